import { describe, expect, it } from 'vitest';
import { memoryStore, sequentialIds } from '../../../test/fixtures/memory-store';
import { cal, chainPack, DIABETES, institution, physician, randomPack } from '../../../test/fixtures/review-packs';
import type { Certification } from '../domain/certification';
import { physicianProfileSchema, type PhysicianProfile } from '../domain/physician';
import { OFFICE_ASSIGNEE } from '../domain/work-item';
import { checkChar } from '../policy';
import { completionDue, dueFields } from '../review/deadlines';
import { endOfChinaDay } from '../time';
import type { CaseContext } from './context';
import { readApplicant, redrawCase, takeApplication, type IntakeApplication, type IntakeMaterial } from './intake';

// Friday 20 June 2025, 10:00 in China: explicit, so any machine clock or zone gives the same dates.
const now = new Date('2025-06-20T02:00:00.000Z');
const newId = sequentialIds();
const cx = (over: Partial<CaseContext> = {}): CaseContext => ({ pack: randomPack, calendar: cal, institution, now, newId, seed: () => 7, ...over });
const clerk = { id: 'clerk-1' };
const profile = (id: string, over: Partial<PhysicianProfile> = {}): PhysicianProfile => physicianProfileSchema.parse({ ...physician(id), name: `钱演示${id}`, flag: null, updatedAt: now.toISOString(), ...over });
const cardiologist = profile('dr-b', { department: '心内科', registry: [{ ...physician('dr-b').registry[0]!, department: '心内科' }] });

/** Invented resident ID numbers (9xx sequence) with valid check characters. */
const idNo = (birth: string, seq: string) => `140105${birth}${seq}${checkChar(`140105${birth}${seq}`)}`;
const CERT = idNo('19580704', '903');
const application = (over: Partial<IntakeApplication> = {}): IntakeApplication => ({
  person: { certType: '01', certNo: CERT, name: '孙演示', psnNo: '14000090000000000201', insutype: '390', regionCode: '140105', tel: '13900000000' },
  diseaseCode: DIABETES,
  kind: 'first',
  receivedOn: '2025-06-20',
  ...over,
});
const SHA = 'a'.repeat(64);
const scan: IntakeMaterial = { kind: 'medical-record', fileName: '出院小结.pdf', mime: 'application/pdf', size: 2048, documentDate: '2025-05-30', sourceInstitution: ' 演示县人民医院 ', sha256: SHA, stamped: true, attachmentId: 'att-9' };

describe('takeApplication and the first draw', () => {
  it('stores the person, the case and its materials, and offers 初审 at once (002)', async () => {
    const store = memoryStore({ physicians: [profile('dr-a')] });
    const r = await takeApplication(store, cx(), application({ materials: [scan] }), clerk);
    if (!r.ok) throw new Error(r.message);
    const dueOn = dueFields(completionDue(randomPack, cal, '2025-06-20')).dueOn!;
    expect(r.value).toMatchObject({ personName: '孙演示', diseaseName: '糖尿病', receivedOn: '2025-06-20', due: { kind: 'date', dueOn }, status: 'in-review', stageLabel: '初审', offeredTo: [{ id: 'dr-a', name: '钱演示dr-a' }], unassignedReason: null, materials: 1 });
    expect(await store.get('cases', r.value.caseId)).toMatchObject({ personId: r.value.personId, certNo: CERT, channel: 'assisted', status: 'in-review', stage: 'first', dueOn, deadlineAt: endOfChinaDay(dueOn) });
    expect(await store.get('persons', r.value.personId)).toMatchObject({ name: '孙演示', gender: 'male', birthDate: '1958-07-04', tel: '13900000000' });
    expect(store.rows('materials')).toEqual([
      expect.objectContaining({ caseId: r.value.caseId, personId: r.value.personId, title: '出院小结.pdf', sourceInstitution: '演示县人民医院', mime: 'application/pdf', size: 2048, sha256: SHA, attachmentId: 'att-9', stamped: true, addedAt: now.toISOString() }),
    ]);
    expect(await store.find('workItems', 'caseId', [r.value.caseId])).toMatchObject([{ assigneeId: 'dr-a', state: 'offered', personName: '孙演示' }]);
    expect(store.auditKinds()).toEqual(['case.received', 'case.assigned']);
    expect(store.auditLog[0]).toMatchObject({ actorId: 'clerk-1', subject: r.value.caseId, detail: { materials: [store.rows('materials')[0]!.id] } });
    expect(JSON.stringify(store.auditLog)).not.toContain(CERT); // no ID numbers in the audit
  });

  it('says why nobody was drawn, and the 医保办 draws again once someone is eligible', async () => {
    const store = memoryStore({ physicians: [cardiologist] });
    const r = await takeApplication(store, cx(), application(), clerk);
    if (!r.ok) throw new Error(r.message);
    expect(r.value).toMatchObject({ status: 'unassigned', offeredTo: [], unassignedReason: '符合条件的认定医师不足：需要 1 名，仅有 0 名' });
    expect(store.auditKinds()).toEqual(['case.received', 'case.unassigned']);

    await store.put('physicians', profile('dr-a'));
    expect(await redrawCase(store, cx(), r.value.caseId, clerk)).toEqual({ ok: true, value: { status: 'in-review', stageLabel: '初审', offeredTo: [{ id: 'dr-a', name: '钱演示dr-a' }], unassignedReason: null } });
    expect(store.auditKinds().slice(2)).toEqual(['case.redraw-requested', 'case.assigned']);
    expect(await redrawCase(store, cx(), r.value.caseId, clerk)).toEqual({ ok: false, message: '该案件已不在待分配状态' });
    expect(await redrawCase(store, cx(), 'nope', clerk)).toEqual({ ok: false, message: '案件不存在' });
  });

  it('a pack whose first stage is the 医保办\'s goes to its queue', async () => {
    const officeFirst = { ...chainPack, process: { ...chainPack.process, stages: chainPack.process.stages.filter((s) => s.role === 'office') } };
    const r = await takeApplication(memoryStore(), cx({ pack: officeFirst }), application(), clerk);
    expect(r.ok && r.value).toMatchObject({ status: 'office-review', offeredTo: [{ id: OFFICE_ASSIGNEE, name: '医保办' }], unassignedReason: null });
  });

  it('refuses without writing anything: an open application, a disease held, a foreign psn_no, a bad file', async () => {
    const store = memoryStore({ physicians: [profile('dr-a')] });
    const first = await takeApplication(store, cx(), application(), clerk);
    if (!first.ok) throw new Error(first.message);
    const snapshot = () => JSON.stringify([store.tables, store.auditLog], (_k, v: unknown) => (v instanceof Map ? [...v] : v));
    const before = snapshot();

    expect(await takeApplication(store, cx(), application({ person: { ...application().person, certNo: CERT.toLowerCase() } }), clerk)).toMatchObject({ ok: false, problems: [{ code: 'open-case' }], message: expect.stringContaining('尚未办结') });
    const other = { certType: '01', certNo: idNo('19700101', '904'), name: '周演示', psnNo: '14000090000000000201', insutype: '310', regionCode: '140105' };
    expect(await takeApplication(store, cx(), application({ person: other }), clerk)).toEqual({ ok: false, message: '人员编号 14000090000000000201 在本机属于另一参保人（孙演示），请核对后再受理', problems: [{ code: 'person', field: 'person', message: expect.any(String) }] });
    const doc: IntakeMaterial = { ...scan, fileName: 'a.doc', mime: 'application/msword' };
    expect(await takeApplication(store, cx(), application({ diseaseCode: 'M03900', materials: [doc] }), clerk)).toMatchObject({ ok: false, problems: [{ code: 'materials' }] });
    expect(snapshot()).toEqual(before);

    const c = (await store.get('cases', first.value.caseId))!;
    await store.put('cases', { ...c, status: 'decided', result: 'approved' });
    const cert: Certification = { id: 'cert-1', caseId: c.id, personId: c.personId, diseaseCode: DIABETES, diseaseName: '糖尿病', certifiedOn: '2025-01-02', begnDate: '2025-01-02', endDate: '2027-01-01', reReviewDueOn: '2027-01-01', physicianId: 'dr-a', physicianName: '钱演示', state: 'ready', updatedAt: now.toISOString() };
    await store.put('certifications', cert);
    expect(await takeApplication(store, cx(), application(), clerk)).toMatchObject({ ok: false, problems: [{ code: 'already-held', field: 'kind' }] });
  });

  it('updates a known person in place; readApplicant finds their cases and certifications', async () => {
    const store = memoryStore({ physicians: [profile('dr-a')] });
    const first = await takeApplication(store, cx(), application(), clerk);
    if (!first.ok) throw new Error(first.message);
    const c = (await store.get('cases', first.value.caseId))!;
    await store.put('cases', { ...c, status: 'decided', result: 'approved' });
    await store.put('certifications', { id: 'cert-1', caseId: c.id, personId: c.personId, diseaseCode: DIABETES, diseaseName: '糖尿病', certifiedOn: '2023-07-01', begnDate: '2023-07-01', endDate: '2025-06-30', reReviewDueOn: '2025-06-30', physicianId: 'dr-a', physicianName: '钱演示', state: 'ready', updatedAt: now.toISOString() });
    const r = await takeApplication(store, cx(), application({ kind: 're-review', person: { ...application().person, tel: '13700000000' } }), clerk);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.personId).toBe(first.value.personId);
    expect(store.rows('persons')).toHaveLength(1);
    expect(await store.get('persons', r.value.personId)).toMatchObject({ tel: '13700000000' });
    const applicant = await readApplicant(store, '01', CERT.toLowerCase());
    expect(applicant.person?.id).toBe(r.value.personId);
    expect(applicant.history.cases.map((x) => x.id).sort()).toEqual([first.value.caseId, r.value.caseId].sort());
    expect(applicant.history.certifications).toHaveLength(1);
    expect(await readApplicant(store, '01', '  ')).toEqual({ person: null, history: { cases: [], certifications: [] } });
  });
});
