import { describe, expect, it } from 'vitest';
import shanxiJson from '../../../resources/policy/shanxi-2025.json';
import { cal, chainPack, randomPack } from '../../../test/fixtures/review-packs';
import { caseSchema, NO_DEADLINE } from '../domain/case';
import { endOfChinaDay } from '../time';
import type { Certification } from '../domain/certification';
import type { InsuredPerson } from '../domain/insured';
import { checkChar, parsePolicyPack, type PolicyPack } from '../policy';
import { completionDue, dueFields } from './deadlines';
import { assessIntake, buildIntakeCase, checkIntakeMaterials, heldCertifications, type ApplicantHistory, type IntakeInput } from './intake';

const parsed = parsePolicyPack(shanxiJson);
if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
/** 004 (Shanxi): 46 diseases with the unified exclusion pairs. */
const shanxi: PolicyPack = parsed.pack;

/** An invented resident ID number with a valid check character (sequence 9xx: demo data). */
const idNo = (birth: string, seq: string) => {
  const first17 = `140105${birth}${seq}`;
  return first17 + checkChar(first17);
};
const MAN = idNo('19600315', '901');

const now = new Date('2025-06-20T02:00:00.000Z');
const person: InsuredPerson = {
  id: 'p-1', psnNo: '14000090000000000101', certType: '01', certNo: MAN, name: '林演示', gender: 'male', birthDate: '1960-03-15',
  insutype: '310', regionCode: '140105', offSiteResident: false, createdAt: '2025-01-02T03:00:00.000Z',
};
const none: ApplicantHistory = { cases: [], certifications: [] };
const cert = (code: string, over: Partial<Certification> = {}): Certification =>
  ({
    id: `cert-${code}`, caseId: `c-${code}`, personId: 'p-1', diseaseCode: code, diseaseName: code, certifiedOn: '2024-01-10', begnDate: '2024-01-10',
    endDate: '2026-01-09', reReviewDueOn: '2026-01-09', physicianId: 'dr-1', physicianName: '赵演示', state: 'ready', updatedAt: '2024-01-10T02:00:00.000Z', ...over,
  }) as Certification;
const input = (over: Partial<IntakeInput> = {}): IntakeInput => ({
  person: { certType: '01', certNo: MAN, name: '林演示', psnNo: person.psnNo, insutype: '310', regionCode: '140105' },
  diseaseCode: 'M01600',
  kind: 'first',
  ...over,
});
const build = (over: Partial<IntakeInput> = {}, history = none, pack = shanxi) => buildIntakeCase({ pack, calendar: cal }, input(over), person, history, { id: 'case-1', now });

describe('buildIntakeCase', () => {
  it('builds the case as the demo generator does: person fields, pack name, assisted, in review with no stage yet', () => {
    const at = new Date('2025-09-26T02:00:00.000Z');
    const r = buildIntakeCase({ pack: randomPack, calendar: cal }, input({ receivedOn: '2025-09-26' }), person, none, { id: 'case-1', now: at });
    if (!r.ok) throw new Error(r.problems[0]!.message);
    expect(caseSchema.parse(r.caseRow)).toEqual(r.caseRow);
    expect(r.caseRow).toMatchObject({
      id: 'case-1', personId: 'p-1', personName: '林演示', certNo: MAN, psnNo: '14000090000000000101', insutype: '310', regionCode: '140105',
      diseaseCode: 'M01600', diseaseName: '糖尿病', kind: 'first', channel: 'assisted', receivedOn: '2025-09-26', status: 'in-review', stage: null, stageLabel: '',
      tieBreak: false, paused: [], result: null, decidedAt: null, submittedAt: at.toISOString(), updatedAt: at.toISOString(),
    });
    // 002: 20 working days across the 2025 National Day holiday.
    expect(r.caseRow.dueOn).toBe('2025-10-30');
    expect(r.caseRow.deadlineAt).toBe(endOfChinaDay('2025-10-30'));
  });

  it('receives today in China time by default, and counts the limit from there', () => {
    const lateEvening = new Date('2025-06-20T17:00:00.000Z'); // 01:00 on the 21st in Beijing
    const r = buildIntakeCase({ pack: shanxi, calendar: cal }, input(), person, none, { id: 'case-2', now: lateEvening });
    if (!r.ok) throw new Error(r.problems[0]!.message);
    expect(r.caseRow.receivedOn).toBe('2025-06-21');
    expect(r.caseRow.dueOn).toBe(dueFields(completionDue(shanxi, cal, '2025-06-21')).dueOn);
  });

  it('000 (Jilin) sets no completion limit: no due day, sorted after every deadline', () => {
    const r = build({}, none, chainPack);
    expect(r.ok && r.caseRow).toMatchObject({ dueOn: null, deadlineAt: NO_DEADLINE });
  });

  it('a person without a psn_no (typed offline) gets an empty one, which IndexedDB can index', () => {
    const r = buildIntakeCase({ pack: shanxi, calendar: cal }, input(), { ...person, psnNo: null }, none, { id: 'case-3', now });
    expect(r.ok && r.caseRow.psnNo).toBe('');
  });

  it('takes a variant\'s own name (器官移植抗排异治疗（肾移植）)', () => {
    const r = build({ diseaseCode: 'M90011' });
    expect(r.ok && r.caseRow.diseaseName).toBe('器官移植抗排异治疗（肾移植）');
  });

  it('says when the calendar lacks the year instead of inventing a due day', () => {
    const r = buildIntakeCase({ pack: shanxi, calendar: cal }, input({ receivedOn: '2026-12-20' }), person, none, { id: 'case-4', now: new Date('2026-12-21T02:00:00.000Z') });
    if (!r.ok) throw new Error(r.problems[0]!.message);
    expect(r.caseRow.dueOn).toBeNull();
    expect(r.warnings.join('')).toMatch(/办结时限要数到 2027 年，缺少 2027 年节假日日历/);
  });

  it('refuses a code not in the pack, a 受理 date after today, and materials that break the rules', () => {
    expect(build({ diseaseCode: 'M99999' })).toMatchObject({ ok: false, problems: [{ code: 'unknown-disease', field: 'diseaseCode', message: expect.stringContaining('M99999') }] });
    expect(build({ receivedOn: '2025-06-21' })).toMatchObject({ ok: false, problems: [{ code: 'received-on', message: '受理日期 2025-06-21 晚于今天' }] });
    expect(build({ receivedOn: '2025-02-30' })).toMatchObject({ ok: false, problems: [{ code: 'received-on' }] });
    const r = build({ materials: [{ kind: 'other', fileName: 'a.docx', mime: 'application/msword', size: 10, documentDate: null, sourceInstitution: '' }] });
    expect(r).toMatchObject({ ok: false, problems: [{ code: 'materials', field: 'materials', message: '“a.docx”不是 PDF、JPEG 或 PNG 文件' }] });
  });
});

describe('assessIntake: who may apply for what', () => {
  const on = { kind: 'first' as const, receivedOn: '2025-06-20' };

  it('refuses a first application for a disease the person holds, but takes its 复审', () => {
    const history: ApplicantHistory = { cases: [], certifications: [cert('M01600')] };
    const first = assessIntake(shanxi, history, { ...on, diseaseCode: 'M01600' });
    expect(first.problems).toEqual([{ code: 'already-held', field: 'kind', message: expect.stringMatching(/已认定“糖尿病（合并严重并发症）”，有效期至 2026-01-09，不能重复申请.*复审/) }]);
    expect(first.held).toEqual([{ code: 'M01600', name: '糖尿病（合并严重并发症）', endDate: '2026-01-09' }]);
    const again = assessIntake(shanxi, history, { ...on, kind: 're-review', diseaseCode: 'M01600' });
    expect(again.problems).toEqual([]);
    expect(again.warnings).toEqual([]);
  });

  it('a revoked certification or one whose term has ended holds nothing (000: then a new first application)', () => {
    const history: ApplicantHistory = { cases: [], certifications: [cert('M01600', { endDate: '2025-06-19' }), cert('M03900', { state: 'revoked', trtDclaDetlSn: 'SN1', revokedAt: '2025-01-01T00:00:00.000Z', revokeReason: '测试' } as Partial<Certification>)] };
    expect(heldCertifications(history.certifications, '2025-06-20')).toEqual([]);
    expect(assessIntake(shanxi, history, { ...on, diseaseCode: 'M01600' }).problems).toEqual([]);
    expect(assessIntake(shanxi, history, { ...on, diseaseCode: 'M03900' }).problems).toEqual([]);
  });

  it('warns (without refusing) when a 复审 has no certification known on this workstation', () => {
    const r = assessIntake(shanxi, none, { ...on, kind: 're-review', diseaseCode: 'M01600' });
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([expect.stringContaining('本机没有该参保人“糖尿病（合并严重并发症）”的有效认定记录')]);
  });

  it('refuses while an application for the same disease is open; a decided one does not block', () => {
    const open: ApplicantHistory = { cases: [{ id: 'c-9', diseaseCode: 'M01600', diseaseName: '糖尿病（合并严重并发症）', status: 'supplementing', receivedOn: '2025-06-02' }], certifications: [] };
    expect(assessIntake(shanxi, open, { ...on, diseaseCode: 'M01600' }).problems).toEqual([{ code: 'open-case', field: 'diseaseCode', message: '该参保人“糖尿病（合并严重并发症）”的申请（2025-06-02 受理）尚未办结，不能重复受理' }]);
    expect(assessIntake(shanxi, open, { ...on, kind: 're-review', diseaseCode: 'M01600' }).problems).toHaveLength(1);
    const decided: ApplicantHistory = { cases: [{ ...open.cases[0]!, status: 'decided' }], certifications: [] };
    expect(assessIntake(shanxi, decided, { ...on, diseaseCode: 'M01600' }).problems).toEqual([]);
  });

  it('004: refuses a disease exclusive with one held (支气管哮喘 × 慢阻肺), in either direction', () => {
    const copd: ApplicantHistory = { cases: [], certifications: [cert('M05300')] };
    const r = assessIntake(shanxi, copd, { ...on, diseaseCode: 'M90111' });
    expect(r.conflicts).toHaveLength(1);
    expect(r.problems).toEqual([{ code: 'exclusion', field: 'diseaseCode', message: '已认定的“慢性阻塞性肺疾病”与申请的“支气管哮喘”互斥，不能同时享受待遇（来源：004）' }]);
    const asthma: ApplicantHistory = { cases: [], certifications: [cert('M90111')] };
    expect(assessIntake(shanxi, asthma, { ...on, diseaseCode: 'M05300' }).problems.map((p) => p.code)).toEqual(['exclusion']);
  });

  it('004: a transplant relapse may be applied for again once the clerk confirms the exception', () => {
    const dialysis: ApplicantHistory = { cases: [], certifications: [cert('M90021')] };
    const r = assessIntake(shanxi, dialysis, { ...on, diseaseCode: 'M90011' });
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]!.message).toMatch(/如属“移植器官再次出现相关病情.*请勾选确认后受理/);
    expect(r.conflicts[0]!.exception?.id).toBe('transplant-relapse');
    expect(assessIntake(shanxi, dialysis, { ...on, diseaseCode: 'M90011', waive: ['transplant-relapse'] }).problems).toEqual([]);
  });

  it('warns about an open application for an exclusive disease, and about diseases handled at once', () => {
    const open: ApplicantHistory = { cases: [{ id: 'c-8', diseaseCode: 'M05300', diseaseName: '慢性阻塞性肺疾病', status: 'in-review', receivedOn: '2025-06-10' }], certifications: [] };
    const r = assessIntake(shanxi, open, { ...on, diseaseCode: 'M90112' });
    expect(r.problems).toEqual([]);
    expect(r.warnings).toEqual([expect.stringContaining('在办的“慢性阻塞性肺疾病”申请与“肺源性心脏病”互斥')]);
    expect(assessIntake(shanxi, none, { ...on, diseaseCode: 'M90001' }).warnings).toEqual([expect.stringContaining('应随时受理、及时办结（来源：004）')]);
  });
});

describe('checkIntakeMaterials (002: PDF/JPEG/PNG, together ≤ 15 MB)', () => {
  it('refuses a total above the pack\'s limit and a document dated after receipt', () => {
    const big = { kind: 'medical-record' as const, fileName: '病历.pdf', mime: 'application/pdf', size: 8 * 1024 * 1024, documentDate: '2025-06-01', sourceInstitution: '演示县医院' };
    expect(checkIntakeMaterials(shanxi, [big], '2025-06-20')).toEqual([]);
    expect(checkIntakeMaterials(randomPack, [big, { ...big, fileName: '报告.png', mime: 'image/png' }], '2025-06-20')).toEqual([
      { code: 'materials', field: 'materials', message: '材料合计 16.0 MB，超过 15.0 MB 的上限（来源：002）' },
    ]);
    expect(checkIntakeMaterials(shanxi, [{ ...big, documentDate: '2025-06-21' }], '2025-06-20')[0]!.message).toBe('“病历.pdf”的文件日期 2025-06-21 晚于受理日期 2025-06-20');
  });
});
