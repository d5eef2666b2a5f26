import { describe, expect, it } from 'vitest';
import shanxiJson from '../../../resources/policy/shanxi-2025.json';
import wuhuJson from '../../../resources/policy/wuhu-2025.json';
import { randomPack } from '../../../test/fixtures/review-packs';
import type { CaseRow } from '../domain/case';
import type { Certification } from '../domain/certification';
import type { InsuredPerson } from '../domain/insured';
import type { Recognition } from '../domain/recognition';
import type { Assignment, Review } from '../domain/review';
import { parsePolicyPack } from '../policy/parse';
import type { PolicyPack } from '../policy/schema';
import type { FilingRow } from '../hospital/filings';
import { buildCaseFile, type PersonRows } from './case-file';

const load = (json: unknown): PolicyPack => {
  const r = parsePolicyPack(json);
  if (!r.ok) throw new Error(r.errors.join('\n'));
  return r.pack;
};
const shanxi = load(shanxiJson);
const wuhu = load(wuhuJson);

// Invented person: a 9xx sequence in the ID number marks demo data.
const person: InsuredPerson = { id: 'p1', psnNo: 'P0000000001', certType: '01', certNo: '14010519800101901X', name: '林演示', gender: 'male', birthDate: '1980-01-01', insutype: '310', regionCode: '140105', offSiteResident: false, createdAt: '2023-01-01T00:00:00.000Z' };

const caseRow = (id: string, code: string, name: string, over: Partial<CaseRow> = {}): CaseRow => ({
  id, personId: 'p1', personName: person.name, certNo: person.certNo, psnNo: 'P0000000001', insutype: '310', regionCode: '140105', diseaseCode: code, diseaseName: name, kind: 'first', channel: 'assisted',
  submittedAt: '2025-03-01T01:00:00.000Z', receivedOn: '2025-03-01', status: 'in-review', stage: 'first', stageLabel: '初审', tieBreak: false, dueOn: '2025-03-28', dueAwaits: null, dueProvisional: false, deadlineAt: '2025-03-28T15:59:59.999Z',
  paused: [], result: null, decidedAt: null, updatedAt: '2025-03-01T01:00:00.000Z', ...over,
});

const cert = (caseId: string, code: string, name: string, over: Partial<Certification> = {}): Certification => ({
  id: `cert-${caseId}`, caseId, personId: 'p1', diseaseCode: code, diseaseName: name, certifiedOn: '2025-03-10', begnDate: '2025-03-10', endDate: '2027-03-09', reReviewDueOn: '2027-03-09',
  physicianId: 'd1', physicianName: '王演示', state: 'ready', updatedAt: '2025-03-10T02:00:00.000Z', ...over,
}) as Certification;

const rows = (over: Partial<PersonRows>): PersonRows => ({ person, cases: [], assignments: [], reviews: [], recognitions: [], certifications: [], filings: [], names: new Map([['d1', '王演示'], ['d2', '李演示']]), ...over });

const draw = { mode: 'random' as const, seed: 7, candidates: ['d1', 'd2'], excluded: [], ineligible: [], chosen: ['d2'] };
const assignment = (id: string, reviewerId: string, over: Partial<Assignment>): Assignment => ({
  id, caseId: 'c1', stage: 'first', tieBreak: false, reviewerId, draw: { ...draw, chosen: [reviewerId] }, offeredAt: '2025-03-01T02:00:00.000Z', acceptBy: '2025-03-03T02:00:00.000Z',
  state: 'offered', acceptedAt: null, closedAt: null, refusalReason: null, replaces: null, ...over,
});

/** One of the server's messages as the 医保办's desk pulls it. */
const filing = (id: string, over: Partial<FilingRow> = {}): FilingRow => ({
  id, kind: 'filing', infno: '2503', batchId: null, certificationId: null, caseId: null, psnNo: 'P0000000001', psnName: '赵演示', summary: '', platform: 'demo',
  phase: 'queued', reason: null, serial: null, sends: 0, nextAttemptAt: null, queuedAt: '2025-03-10T02:00:00.000Z', queuedBy: '孙医保', settledAt: null, updatedAt: '2025-03-10T02:00:00.000Z', ...over,
});

describe('case file timeline', () => {
  it('002: each step of a case and who made it — the draw, a refusal handed on, the review, the decision — oldest first', () => {
    const c = caseRow('c1', 'M01600', '糖尿病', { status: 'decided', stage: null, result: 'approved', decidedAt: '2025-03-10T02:00:00.000Z' });
    const assignments = [
      assignment('a1', 'd2', { state: 'refused', closedAt: '2025-03-01T05:00:00.000Z', refusalReason: '需回避' }),
      assignment('a2', 'd1', { offeredAt: '2025-03-01T05:00:00.000Z', state: 'completed', acceptedAt: '2025-03-01T06:00:00.000Z', closedAt: '2025-03-02T01:00:00.000Z', replaces: 'a1' }),
    ];
    const reviews: Review[] = [{ id: 'r1', caseId: 'c1', assignmentId: 'a2', stage: 'first', tieBreak: false, reviewerId: 'd1', reviewerName: '王演示', conclusion: { verdict: 'approve' }, criteriaMet: [], at: '2025-03-02T01:00:00.000Z', auditSeq: 3 }];
    const file = buildCaseFile(randomPack, rows({ cases: [c], assignments, reviews }), { today: '2025-04-01' });
    const lines = file.events.map((e) => `${e.title}|${e.actor ?? ''}`);
    expect(lines).toEqual([
      '首次认定申请：糖尿病|',
      '初审分配给 李演示|',
      '李演示 拒绝受理初审|李演示',
      '初审分配给 王演示|',
      '王演示 受理初审|王演示',
      '初审结论：符合|王演示',
      '办结：糖尿病认定通过|',
    ]);
    expect(file.events[0]!.detail).toBe('医保办窗口代办，2025-03-01 受理，办结时限 2025-03-28');
    expect(file.events[1]!.detail).toContain('随机抽取（候选 2 人，种子 7');
    expect(file.events[2]!.detail).toBe('理由：需回避，已另行分配');
    expect(file.events[5]!.detail).toBe('已记入审计链第 3 条');
  });

  it('the application says when its deadline waits for a calendar, or rests on a provisional one', () => {
    const waiting = caseRow('c1', 'M01600', '糖尿病', { receivedOn: '2026-12-10', dueOn: null, dueAwaits: 2027, deadlineAt: '2027-01-05T15:59:59.999Z' });
    expect(buildCaseFile(randomPack, rows({ cases: [waiting] }), { today: '2026-12-15' }).events[0]!.detail).toBe('医保办窗口代办，2026-12-10 受理，时限待定：待导入 2027 年节假日日历');
    const provisional = caseRow('c1', 'M01600', '糖尿病', { receivedOn: '2026-12-10', dueOn: '2027-01-08', dueProvisional: true, deadlineAt: '2027-01-08T15:59:59.999Z' });
    expect(buildCaseFile(randomPack, rows({ cases: [provisional] }), { today: '2026-12-15' }).events[0]!.detail).toBe('医保办窗口代办，2026-12-10 受理，办结时限 2027-01-08（按暂定日历计算，可能变化）');
  });

  it('000: at one moment a conclusion precedes the next stage\'s offer; a same-day certification follows the decision', () => {
    const c = caseRow('c1', 'M01600', '糖尿病', { status: 'decided', stage: null, result: 'approved', decidedAt: '2025-03-05T03:00:00.000Z' });
    const at = '2025-03-04T02:00:00.000Z';
    const reviews: Review[] = [{ id: 'r1', caseId: 'c1', assignmentId: 'a1', stage: 'first', tieBreak: false, reviewerId: 'd1', reviewerName: '王演示', conclusion: { verdict: 'approve' }, criteriaMet: [], at, auditSeq: null }];
    const next = assignment('a2', 'd2', { stage: 'final', offeredAt: at });
    const file = buildCaseFile(randomPack, rows({ cases: [c], reviews, assignments: [next], certifications: [cert('c1', 'M01600', '糖尿病', { certifiedOn: '2025-03-05', begnDate: '2025-03-05' })] }), { today: '2025-04-01' });
    expect(file.events.map((e) => e.kind)).toEqual(['application', 'review', 'offer', 'decision', 'certification', 're-review-due']);
  });

  it('000: a rejection gives its reason; materials missing lists the pack\'s items by name', () => {
    const reviews: Review[] = [
      { id: 'r1', caseId: 'c1', assignmentId: 'a1', stage: 'first', tieBreak: false, reviewerId: 'd1', reviewerName: '王演示', conclusion: { verdict: 'materials-missing', missingItems: ['medical-record', 'exam-report'] }, criteriaMet: [], at: '2025-03-02T01:00:00.000Z', auditSeq: null },
      { id: 'r2', caseId: 'c1', assignmentId: 'a2', stage: 'final', tieBreak: false, reviewerId: 'd2', reviewerName: '李演示', conclusion: { verdict: 'reject', reason: '血糖记录不足' }, criteriaMet: [], at: '2025-03-05T01:00:00.000Z', auditSeq: null },
    ];
    const file = buildCaseFile(randomPack, rows({ cases: [caseRow('c1', 'M01600', '糖尿病')], reviews }), { today: '2025-04-01' });
    const review = file.events.filter((e) => e.kind === 'review');
    expect(review[0]).toMatchObject({ title: '初审结论：需补充材料', tone: 'orange', detail: '需补充：近期病历（住院病历或门诊病历）；相关检查检验报告' });
    expect(review[1]).toMatchObject({ title: '终审结论：不符合', tone: 'red', detail: '理由：血糖记录不足', actor: '李演示' });
  });

  it('a conclusion made offline and sent later shows when it was made beside when the server recorded it', () => {
    const reviews: Review[] = [
      { id: 'r1', caseId: 'c1', assignmentId: 'a1', stage: 'first', tieBreak: false, reviewerId: 'd1', reviewerName: '王演示', conclusion: { verdict: 'approve' }, criteriaMet: [], at: '2025-03-05T01:00:00.000Z', madeAt: '2025-03-03T08:10:00.000Z', auditSeq: 9 },
    ];
    const file = buildCaseFile(randomPack, rows({ cases: [caseRow('c1', 'M01600', '糖尿病')], reviews }), { today: '2025-04-01' });
    expect(file.events.find((e) => e.kind === 'review')).toMatchObject({ at: '2025-03-05T01:00:00.000Z', detail: '离线时于 2025-03-03 16:10 作出（工作站时间），联网后送达；已记入审计链第 9 条' });
  });

  it('国卫医发〔2022〕6号: a recognised result and a repeated one with the pack\'s reason and the patient told', () => {
    const base = { caseId: 'c1', personId: 'p1', sourceInstitution: '演示县医院', reportDate: '2025-02-20', withinValidity: true, physicianId: 'd1', department: '内分泌科', at: '2025-03-02T00:30:00.000Z', outboxId: null };
    const recognitions: Recognition[] = [
      { ...base, id: 'g1', resultId: 'o1', item: '糖化血红蛋白', hrMark: 'HR', decision: { decision: 'recognised' } },
      { ...base, id: 'g2', resultId: 'o2', item: '血常规', hrMark: null, decision: { decision: 'repeated', reasonCode: 'condition-changed', patientInformed: true } },
    ];
    // The first record has been reported to the platform (recognition extension); the second is still waiting.
    const reported = filing('rc-1', { kind: 'recognition', infno: 'HR01', phase: 'accepted', settledAt: '2025-03-02T01:00:00.000Z' });
    recognitions[0] = { ...recognitions[0]!, outboxId: reported.id };
    const file = buildCaseFile(randomPack, rows({ cases: [caseRow('c1', 'M01600', '糖尿病')], recognitions, filings: [reported] }), { today: '2025-04-01' });
    expect(file.events.filter((e) => e.kind === 'message')).toEqual([]); // told with the recognition, not twice
    const [rec, rep] = file.events.filter((e) => e.kind === 'recognition');
    expect(rec!.sync).toEqual({ label: '平台已接收', tone: 'green' });
    expect(rep!.sync).toBeUndefined();
    expect(rec).toMatchObject({ title: '互认：糖化血红蛋白', actor: '王演示', detail: '演示县医院，报告日期 2025-02-20，互认标识 HR' });
    const reason = randomPack.recognition.repeatReasons.find((r) => r.code === 'condition-changed')!.label;
    expect(rep!.detail).toBe(`演示县医院，报告日期 2025-02-20，无互认标识；理由：${reason}；已向患者说明`);
  });

  it('domain §5: a filing with its receipt, its revocation, and a refused filing with the platform\'s reason', () => {
    const filed = filing('f1', { summary: '高血压病 2025-03-10 起', diseaseName: '高血压病', phase: 'accepted', serial: 'SN-0001', settledAt: '2025-03-12T02:00:00.000Z' });
    const revocation = filing('r1', { kind: 'revocation', infno: '2504', summary: '撤销 高血压病 2025-03-10 起（更正）', phase: 'accepted', serial: null, queuedAt: '2025-03-20T02:00:00.000Z', settledAt: '2025-03-20T03:00:00.000Z' });
    const refused = filing('f2', { summary: '糖尿病 2025-03-21 起', diseaseName: '糖尿病', phase: 'rejected', reason: '该参保人已有有效备案', queuedAt: '2025-03-21T02:00:00.000Z', queuedBy: '张医保', settledAt: '2025-03-21T03:00:00.000Z' });
    const file = buildCaseFile(randomPack, rows({ filings: [filed, revocation, refused] }), { today: '2025-04-01' });
    const platform = file.events.map((e) => [e.title, e.sync?.label, e.sync?.receipt ?? e.sync?.reason ?? null]);
    expect(platform).toEqual([
      ['提交备案（2503）：高血压病', '已备案', 'SN-0001'],
      ['平台已接受备案：高血压病', '已备案', 'SN-0001'],
      ['申请撤销备案（2504）', '已撤销', null],
      ['平台已接受撤销备案', '已撤销', null],
      ['提交备案（2503）：糖尿病', '被拒绝', '该参保人已有有效备案'],
      ['平台拒绝备案：糖尿病', '被拒绝', '该参保人已有有效备案'],
    ]);
    expect(file.events[0]!.detail).toBe('高血压病 2025-03-10 起');
    expect(file.events[1]!.detail).toBe('备案流水号 SN-0001');
    expect(file.events[4]!.actor).toBe('张医保');
  });

  it('a queued filing reads 待上传; a filed certification whose message is not here still shows its receipt', () => {
    const queued = filing('q1');
    const certs = [
      cert('c1', 'M03900', '高血压3级（极高危）', { state: 'filing-queued', outboxId: queued.id } as Partial<Certification>),
      cert('c2', 'M01600', '糖尿病（合并严重并发症）', { state: 'filed', outboxId: 'elsewhere', trtDclaDetlSn: 'SN-9', filedAt: '2025-03-11T01:00:00.000Z' } as Partial<Certification>),
    ];
    const file = buildCaseFile(shanxi, rows({ certifications: certs, filings: [queued] }), { today: '2025-04-01' });
    expect(file.events.find((e) => e.kind === 'filing')!.sync).toEqual({ label: '待上传', tone: 'blue' });
    expect(file.events.find((e) => e.id === 'cert-c2:filed')!.sync).toMatchObject({ label: '已备案', receipt: 'SN-9' });
    expect(file.holdings.held.map((h) => h.filing.label)).toEqual(['待上传', '已备案']);
  });

  it('a corrected filing: the old certification revoked and replaced, the new one current and linked; the revoked disease is no longer held', () => {
    const old = cert('c1', 'M03900', '高血压3级（极高危）', { state: 'revoked', trtDclaDetlSn: 'SN-1', revokedAt: '2025-03-20T03:00:00.000Z', revokeReason: '开始日期有误', correctedById: 'cert-c1b' } as Partial<Certification>);
    const corrected = { ...cert('c1', 'M03900', '高血压3级（极高危）', { state: 'filed', outboxId: 'x', trtDclaDetlSn: 'SN-2', filedAt: '2025-03-21T03:00:00.000Z', begnDate: '2025-03-12', correctsId: old.id } as Partial<Certification>), id: 'cert-c1b' };
    const file = buildCaseFile(shanxi, rows({ certifications: [old, corrected] }), { today: '2025-04-01' });
    expect(file.holdings.held.map((h) => [h.certification.id, h.filing.label, h.filing.receipt])).toEqual([['cert-c1b', '已备案', 'SN-2']]);
    expect(file.events.find((e) => e.id === `${old.id}:revoked`)).toMatchObject({ title: '备案已撤销：高血压3级（极高危）', detail: '理由：开始日期有误；已由更正后的备案取代' });
    expect(file.events.find((e) => e.id === 'cert-c1b:certified')!.detail).toContain('更正此前的备案');
    // Revoked alone (no correction): not held either.
    const revoked = buildCaseFile(shanxi, rows({ certifications: [{ ...old, correctedById: undefined } as Certification] }), { today: '2025-04-01' });
    expect(revoked.holdings.held).toEqual([]);
  });
});

describe('what the person holds today', () => {
  it('004: chronic limits stack — the highest in full, two more at 50 %, the rest none', () => {
    const codes: [string, string][] = [['M03900', '高血压3级（极高危）'], ['M01600', '糖尿病（合并严重并发症）'], ['M05300', '慢性阻塞性肺疾病'], ['M90104', '慢性肾功能不全（CKD 3-5期）']];
    const certs = codes.map(([code, name], i) => cert(`c${i}`, code, name));
    const file = buildCaseFile(shanxi, rows({ certifications: certs }), { today: '2025-06-01' });
    expect(file.holdings.held.map((h) => [h.certification.diseaseCode, h.limit?.basis])).toEqual([
      ['M03900', 'none'],
      ['M01600', 'full'],
      ['M05300', 'share'],
      ['M90104', 'share'],
    ]);
  });

  it('000: re-review is due before the term ends — reminded within the pack\'s window, lapsed after it, continuing once applied for', () => {
    const c = cert('c1', 'M03900', '高血压3级（极高危）', { begnDate: '2023-06-01', endDate: '2025-05-31', reReviewDueOn: '2025-05-31' });
    const soon = buildCaseFile(shanxi, rows({ certifications: [c] }), { today: '2025-05-01' });
    expect(soon.holdings.held[0]!.reminder).toMatchObject({ tone: 'orange' });
    expect(soon.events.at(-1)).toMatchObject({ kind: 're-review-due', title: '复审期限：高血压3级（极高危）', future: true });

    const lapsed = buildCaseFile(shanxi, rows({ certifications: [c] }), { today: '2025-06-02' });
    expect(lapsed.holdings.held).toEqual([]); // benefits stopped at the term's end

    const reapplied = caseRow('c9', 'M03900', '高血压3级（极高危）', { kind: 're-review', receivedOn: '2025-05-20', submittedAt: '2025-05-20T01:00:00.000Z' });
    const continuing = buildCaseFile(shanxi, rows({ cases: [reapplied], certifications: [c] }), { today: '2025-06-02' });
    expect(continuing.holdings.held[0]).toMatchObject({ standing: 'continuing', reminder: { tone: 'blue' } });
    expect(continuing.openCases.map((x) => x.id)).toEqual(['c9']);
  });

  it('revoked and expired certifications are history, not holdings', () => {
    const certs = [
      cert('c1', 'M03900', '高血压3级（极高危）', { state: 'revoked', trtDclaDetlSn: 'SN-1', revokedAt: '2025-03-15T01:00:00.000Z', revokeReason: '误报' } as Partial<Certification>),
      cert('c2', 'M01600', '糖尿病（合并严重并发症）', { begnDate: '2021-01-01', endDate: '2022-12-31' }),
    ];
    const file = buildCaseFile(shanxi, rows({ certifications: certs }), { today: '2025-04-01' });
    expect(file.holdings.held).toEqual([]);
    expect(file.events.find((e) => e.id === 'cert-c1:revoked')).toMatchObject({ title: '备案已撤销：高血压3级（极高危）', detail: '理由：误报' });
    expect(file.events.find((e) => e.id === 'cert-c2:ended')).toMatchObject({ title: '待遇期满：糖尿病（合并严重并发症）', at: '2022-12-31T15:59:59.999Z' });
    expect(file.events.some((e) => e.id === 'cert-c1:ended')).toBe(false);
  });

  it('004: exclusions — held dialysis blocks CKD and kidney transplant; an open CKD application conflicts', () => {
    const file = buildCaseFile(shanxi, rows({ cases: [caseRow('c2', 'M90104', '慢性肾功能不全（CKD 3-5期）')], certifications: [cert('c1', 'M90021', '尿毒症透析', { endDate: null, reReviewDueOn: null })] }), { today: '2025-04-01' });
    const { exclusions } = file.holdings;
    expect(exclusions.amongHeld).toEqual([]);
    expect(exclusions.openApplications[0]!.conflicts[0]!.message).toContain('慢性肾功能不全（CKD 3-5期） 与 尿毒症透析 互斥');
    const blocked = exclusions.blocks[0]!;
    expect(blocked.held.name).toBe('尿毒症透析');
    expect(blocked.diseases.map((d) => d.code)).toEqual(expect.arrayContaining(['M90104', 'M90103', 'M90011']));
    expect(blocked.diseases.find((d) => d.code === 'M90011')!.exception).not.toBeNull(); // 004: transplant relapse
    expect(file.holdings.held[0]!.reReview.kind).toBe('no-term');
  });

  it('004: two held diseases that exclude each other are reported', () => {
    const file = buildCaseFile(shanxi, rows({ certifications: [cert('c1', 'M90112', '肺源性心脏病'), cert('c2', 'M05300', '慢性阻塞性肺疾病')] }), { today: '2025-04-01' });
    expect(file.holdings.exclusions.amongHeld).toHaveLength(1);
  });

  it('001: the March screening flags 24 months without related cost — and says when the cost date is unknown', () => {
    const c = cert('c1', 'M03900', '高血压病', { begnDate: '2023-01-01', endDate: '2026-12-31' });
    const unknown = buildCaseFile(wuhu, rows({ certifications: [c] }), { today: '2025-06-01' }).holdings.held[0]!.inactivity;
    expect(unknown).toMatchObject({ applicable: true, flagged: true, costKnown: false, screeningDate: '2025-03-01' });
    expect(unknown.message).toContain('最后一次相关费用日期未知');

    const known = buildCaseFile(wuhu, rows({ certifications: [c] }), { today: '2025-06-01', lastRelatedCost: new Map([['M03900', '2024-11-20']]) }).holdings.held[0]!.inactivity;
    expect(known).toMatchObject({ flagged: false, costKnown: true });
    expect(known.message).not.toContain('未知');

    const noRule = buildCaseFile(shanxi, rows({ certifications: [cert('c1', 'M03900', '高血压3级（极高危）')] }), { today: '2025-06-01' }).holdings.held[0]!.inactivity;
    expect(noRule).toMatchObject({ applicable: false, message: '本地区未规定无费用筛查' });
  });
});
