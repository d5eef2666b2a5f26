import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { cal, chainPack, DIABETES, institution, physician, randomPack } from '../../../../../test/fixtures/review-packs';
import { endOfChinaDay } from '../../../../shared/time';
import type { Certification } from '../../../../shared/domain/certification';
import { physicianProfileSchema, type PhysicianProfile } from '../../../../shared/domain/physician';
import { OFFICE_ASSIGNEE } from '../../../../shared/domain/work-item';
import { checkChar } from '../../../../shared/policy';
import { completionDue, dueFields } from '../../../../shared/review/deadlines';
import { withFreshDb } from '../../../../../test/fixtures/fresh-db';
import type { WorkstationDb } from '../../db/db';
import type { ReviewContext } from '../cases/assignment-repo';
import { loadApplicant, redrawCase, takeApplication, unassignedCases, type TakeApplicationInput } from './intake-repo';

let db: WorkstationDb;
withFreshDb('intake-test', (fresh) => (db = fresh));

const now = new Date('2025-06-20T02:00:00.000Z');
const kaifeng: ReviewContext = { pack: randomPack, calendar: cal, institution };
const jilin: ReviewContext = { pack: chainPack, calendar: cal, institution };
const clerk = { id: 'clerk-1' };
const profile = (id: string, over: Partial<PhysicianProfile> = {}): PhysicianProfile => physicianProfileSchema.parse({ ...physician(id), name: `钱演示${id}`, flag: null, updatedAt: now.toISOString(), ...over });

/** Invented resident ID numbers (9xx sequence) with valid check characters. */
const idNo = (birth: string, seq: string) => `140105${birth}${seq}${checkChar(`140105${birth}${seq}`)}`;
const CERT = idNo('19580704', '903');
const input = (over: Partial<TakeApplicationInput> = {}): TakeApplicationInput => ({
  person: { certType: '01', certNo: CERT, name: '孙演示', psnNo: '14000090000000000201', insutype: '390', regionCode: '140105', tel: '13900000000' },
  diseaseCode: DIABETES,
  kind: 'first',
  receivedOn: '2025-06-20',
  ...over,
});

describe('takeApplication', () => {
  it('stores the person and the case and offers 初审 at once to a drawn physician (002)', async () => {
    await db.physicians.put(profile('dr-a'));
    const r = await takeApplication(db, kaifeng, input(), clerk, now, 7);
    if (!r.ok) throw new Error(r.message);
    const dueOn = dueFields(completionDue(randomPack, cal, '2025-06-20')).dueOn!;
    expect(r.value).toMatchObject({ personName: '孙演示', diseaseName: '糖尿病', receivedOn: '2025-06-20', due: { kind: 'date', dueOn, provisional: false }, status: 'in-review', offeredTo: [{ id: 'dr-a', name: '钱演示dr-a' }], unassignedReason: null, materials: 0 });
    const c = (await db.cases.get(r.value.caseId))!;
    expect(c).toMatchObject({ personId: r.value.personId, certNo: CERT, psnNo: '14000090000000000201', channel: 'assisted', kind: 'first', status: 'in-review', stage: 'first', dueOn, deadlineAt: endOfChinaDay(dueOn) });
    expect(await db.persons.get(r.value.personId)).toMatchObject({ name: '孙演示', gender: 'male', birthDate: '1958-07-04', tel: '13900000000' });
    expect(await db.workItems.where('caseId').equals(c.id).toArray()).toMatchObject([{ assigneeId: 'dr-a', state: 'offered', personName: '孙演示' }]);
    const audit = await db.audit.orderBy('seq').toArray();
    expect(audit.map((e) => e.kind)).toEqual(['case.received', 'case.assigned']);
    expect(audit[0]).toMatchObject({ actorId: 'clerk-1', subject: c.id, detail: { personId: c.personId, diseaseCode: DIABETES, channel: 'assisted' } });
    expect(JSON.stringify(audit)).not.toContain(CERT); // no ID numbers in the audit
  });

  it('000 (Jilin): the case goes to the certifying physician, then waits; no completion limit', async () => {
    await db.physicians.put(profile('dr-a'));
    const r = await takeApplication(db, jilin, input(), clerk, now, 1);
    expect(r.ok && r.value).toMatchObject({ due: { kind: 'none' }, offeredTo: [{ id: 'dr-a' }], stageLabel: expect.any(String) });
  });

  it('marks the case 待分配 and says why when nobody is eligible', async () => {
    await db.physicians.put(profile('dr-b', { department: '心内科', registry: [{ ...physician('dr-b').registry[0]!, department: '心内科' }] }));
    const r = await takeApplication(db, kaifeng, input(), clerk, now, 7);
    if (!r.ok) throw new Error(r.message);
    expect(r.value).toMatchObject({ status: 'unassigned', offeredTo: [], unassignedReason: '符合条件的认定医师不足：需要 1 名，仅有 0 名' });
    expect((await unassignedCases(db)).map((c) => c.id)).toEqual([r.value.caseId]);
    expect((await db.audit.toArray()).map((e) => e.kind)).toEqual(['case.received', 'case.unassigned']);

    // Once 设置 → 认定医师 has someone eligible, the 医保办 draws again.
    await db.physicians.put(profile('dr-a'));
    const again = await redrawCase(db, kaifeng, r.value.caseId, clerk, now, 3);
    expect(again).toEqual({ ok: true, value: { status: 'in-review', stageLabel: expect.any(String), offeredTo: [{ id: 'dr-a', name: '钱演示dr-a' }], unassignedReason: null } });
    expect(await unassignedCases(db)).toEqual([]);
    expect(await redrawCase(db, kaifeng, r.value.caseId, clerk, now, 3)).toEqual({ ok: false, message: '该案件已不在待分配状态' });
  });

  it('saves uploaded files once per content, with the material rows the review page reads', async () => {
    await db.physicians.put(profile('dr-a'));
    const pdf = new Blob(['%PDF-1.4 invented'], { type: 'application/pdf' });
    const files: TakeApplicationInput['files'] = [
      { blob: pdf, name: '出院小结.pdf', kind: 'medical-record', documentDate: '2025-05-30', sourceInstitution: ' 演示县人民医院 ', stamped: true },
      { blob: new Blob(['%PDF-1.4 invented']), name: '副本.PDF', kind: 'other', documentDate: null, sourceInstitution: '', stamped: false },
      { blob: new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' }), name: '身份证.png', kind: 'identity', documentDate: null, sourceInstitution: '', stamped: false },
    ];
    const r = await takeApplication(db, kaifeng, input({ files }), clerk, now, 7);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.materials).toBe(3);
    const materials = await db.materials.where('caseId').equals(r.value.caseId).toArray();
    const byTitle = new Map(materials.map((m) => [m.title, m]));
    expect(byTitle.get('出院小结.pdf')).toMatchObject({ kind: 'medical-record', documentDate: '2025-05-30', sourceInstitution: '演示县人民医院', mime: 'application/pdf', stamped: true, recordType: null, personId: r.value.personId });
    expect(byTitle.get('副本.PDF')).toMatchObject({ mime: 'application/pdf', attachmentId: byTitle.get('出院小结.pdf')!.attachmentId });
    expect(byTitle.get('身份证.png')).toMatchObject({ kind: 'identity', mime: 'image/png' });
    expect(await db.attachments.count()).toBe(2);
  });

  it('refuses without writing anything: a disease already held, an open application, a foreign psn_no, a bad file', async () => {
    await db.physicians.put(profile('dr-a'));
    const first = await takeApplication(db, kaifeng, input(), clerk, now, 7);
    if (!first.ok) throw new Error(first.message);
    const counts = async () => [await db.cases.count(), await db.persons.count(), await db.materials.count(), await db.attachments.count(), await db.audit.count()];
    const before = await counts();

    const open = await takeApplication(db, kaifeng, input({ person: { ...input().person, certNo: CERT.toLowerCase() } }), clerk, now, 7);
    expect(open).toMatchObject({ ok: false, problems: [{ code: 'open-case' }], message: expect.stringContaining('尚未办结') });

    await db.cases.update(first.value.caseId, { status: 'decided', result: 'approved' });
    const cert: Certification = { id: 'cert-1', caseId: first.value.caseId, personId: first.value.personId, diseaseCode: DIABETES, diseaseName: '糖尿病', certifiedOn: '2025-01-02', begnDate: '2025-01-02', endDate: '2027-01-01', reReviewDueOn: '2027-01-01', physicianId: 'dr-a', physicianName: '钱演示', state: 'ready', updatedAt: now.toISOString() };
    await db.certifications.put(cert);
    expect(await takeApplication(db, kaifeng, input(), clerk, now, 7)).toMatchObject({ ok: false, problems: [{ code: 'already-held', field: 'kind' }] });

    const other = { certType: '01', certNo: idNo('19700101', '904'), name: '周演示', psnNo: '14000090000000000201', insutype: '310', regionCode: '140105' };
    expect(await takeApplication(db, kaifeng, input({ person: other }), clerk, now, 7)).toMatchObject({ ok: false, message: expect.stringContaining('属于另一参保人（孙演示）') });

    const docx = [{ blob: new Blob(['x'], { type: 'application/msword' }), name: 'a.doc', kind: 'other' as const, documentDate: null, sourceInstitution: '', stamped: false }];
    expect(await takeApplication(db, kaifeng, input({ diseaseCode: 'M03900', files: docx }), clerk, now, 7)).toMatchObject({ ok: false, problems: [{ code: 'materials' }] });
    expect(await counts()).toEqual(before);
  });

  it('updates a known person in place and takes their 复审', async () => {
    await db.physicians.put(profile('dr-a'));
    const first = await takeApplication(db, kaifeng, input(), clerk, now, 7);
    if (!first.ok) throw new Error(first.message);
    await db.cases.update(first.value.caseId, { status: 'decided', result: 'approved' });
    await db.certifications.put({ id: 'cert-1', caseId: first.value.caseId, personId: first.value.personId, diseaseCode: DIABETES, diseaseName: '糖尿病', certifiedOn: '2023-07-01', begnDate: '2023-07-01', endDate: '2025-06-30', reReviewDueOn: '2025-06-30', physicianId: 'dr-a', physicianName: '钱演示', state: 'ready', updatedAt: now.toISOString() });
    const r = await takeApplication(db, kaifeng, input({ kind: 're-review', person: { ...input().person, tel: '13700000000' } }), clerk, now, 9);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.personId).toBe(first.value.personId);
    expect(await db.persons.count()).toBe(1);
    expect(await db.persons.get(r.value.personId)).toMatchObject({ tel: '13700000000' });
    expect(await db.cases.get(r.value.caseId)).toMatchObject({ kind: 're-review' });
    const applicant = await loadApplicant(db, '01', CERT);
    expect(applicant.person?.id).toBe(r.value.personId);
    expect(applicant.history.cases).toHaveLength(2);
    expect(applicant.history.certifications).toHaveLength(1);
  });

  it('a pack whose first stage is the 医保办\'s goes to its queue', async () => {
    const officeFirst = { ...chainPack, process: { ...chainPack.process, stages: chainPack.process.stages.filter((s) => s.role === 'office') } };
    const r = await takeApplication(db, { ...jilin, pack: officeFirst }, input(), clerk, now, 1);
    expect(r.ok && r.value).toMatchObject({ status: 'office-review', offeredTo: [{ id: OFFICE_ASSIGNEE, name: '医保办' }] });
  });
});
