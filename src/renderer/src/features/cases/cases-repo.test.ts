import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { cal, chainPack, DIABETES, institution, physician, randomPack } from '../../../../../test/fixtures/review-packs';
import type { CaseRow } from '../../../../shared/domain/case';
import { physicianProfileSchema, type PhysicianProfile } from '../../../../shared/domain/physician';
import { verifyDraw } from '../../../../shared/review/draw';
import { withFreshDb } from '../../../../../test/fixtures/fresh-db';
import type { WorkstationDb } from '../../db/db';
import { acceptAssignment, assignNext, refuseAssignment, sweepLapsedOffers, type ReviewContext } from './assignment-repo';
import { loadDemoData } from './demo-loader';
import { countWorklist, queryWorklist } from './worklist-repo';

let db: WorkstationDb;
withFreshDb('cases-test', (fresh) => (db = fresh));

const now = new Date('2025-06-20T02:00:00.000Z');
const kaifeng: ReviewContext = { pack: randomPack, calendar: cal, institution };
const jilin: ReviewContext = { pack: chainPack, calendar: cal, institution };
const me = { id: 'me', displayName: '王演示', department: '内分泌科' };

const profile = (id: string): PhysicianProfile => physicianProfileSchema.parse({ ...physician(id), flag: null, updatedAt: now.toISOString() });
const caseRow = (id: string): CaseRow => ({
  id, personId: `p-${id}`, personName: '林演示', certNo: '140105199001011234', psnNo: '', insutype: '310', regionCode: '140105',
  diseaseCode: DIABETES, diseaseName: '糖尿病', kind: 'first', channel: 'assisted', submittedAt: now.toISOString(), receivedOn: '2025-06-20',
  status: 'in-review', stage: null, stageLabel: '', tieBreak: false, dueOn: '2025-07-18', dueAwaits: null, dueProvisional: false, deadlineAt: '2025-07-18T15:59:59.999Z', paused: [],
  result: null, decidedAt: null, updatedAt: now.toISOString(),
});

describe('database version 8', () => {
  it('opens with the case tables and their compound indexes', async () => {
    expect(db.verno).toBe(8);
    expect(db.workItems.schema.indexes.map((i) => i.name)).toEqual(expect.arrayContaining(['[assigneeId+deadlineAt]', '[assigneeId+stage+deadlineAt]', 'certNo', 'psnNo', 'personName']));
    expect(db.tables.map((t) => t.name)).toEqual(expect.arrayContaining(['persons', 'cases', 'assignments', 'reviews', 'materials', 'outsideResults', 'recognitions', 'certifications', 'physicians', 'outbox', 'filings', 'filingBatches']));
  });
});

describe('worklist queries over demo data (indexed, sorted by deadline)', () => {
  beforeEach(async () => {
    await loadDemoData(db, kaifeng, { count: 600, seed: 11, focus: me, now, batchSize: 250 });
  });

  it('loads cases, persons, work items and a roster with the logged-in physician', async () => {
    expect(await db.cases.count()).toBe(600);
    expect(await db.persons.count()).toBeGreaterThan(500);
    expect(await db.physicians.get('me')).toMatchObject({ department: '内分泌科', flag: null });
    expect((await db.audit.toArray()).at(-1)).toMatchObject({ kind: 'demo.loaded', detail: { count: 600, seed: 11 } });
  });

  it('pages the physician\'s items by deadline, with a total, both ways', async () => {
    const first = await queryWorklist(db, { assigneeId: 'me' }, { now, calendar: cal, limit: 50 });
    expect(first.rows).toHaveLength(50);
    expect(first.total).toBeGreaterThan(50);
    expect(first.rows.every((r) => r.assigneeId === 'me')).toBe(true);
    const deadlines = first.rows.map((r) => r.deadlineAt);
    expect(deadlines).toEqual([...deadlines].sort());
    const second = await queryWorklist(db, { assigneeId: 'me' }, { now, calendar: cal, offset: 50, limit: 50 });
    expect(second.rows[0]!.deadlineAt >= deadlines.at(-1)!).toBe(true);
    const desc = await queryWorklist(db, { assigneeId: 'me', order: 'desc' }, { now, calendar: cal, limit: 5 });
    expect(desc.rows[0]!.deadlineAt >= desc.rows[4]!.deadlineAt).toBe(true);
  });

  it('filters by stage, disease, state and due soon', async () => {
    const finals = await queryWorklist(db, { assigneeId: 'me', stage: 'final', state: 'accepted' }, { now, calendar: cal, limit: 500 });
    expect(finals.rows.length).toBeGreaterThan(0);
    expect(finals.rows.every((r) => r.stage === 'final' && r.state === 'accepted')).toBe(true);
    expect(finals.total).toBeNull(); // the state condition is checked per row
    expect(await countWorklist(db, { assigneeId: 'me', stage: 'final', state: 'accepted' }, { now, calendar: cal })).toBeNull();
    expect((await queryWorklist(db, { assigneeId: 'me' }, { now, calendar: cal, count: false })).total).toBeNull();
    expect(await countWorklist(db, { assigneeId: 'me', stage: 'final' }, { now, calendar: cal })).toBe((await queryWorklist(db, { assigneeId: 'me', stage: 'final' }, { now, calendar: cal, limit: 1000 })).rows.length);
    const diabetes = await queryWorklist(db, { assigneeId: 'me', diseaseCode: DIABETES }, { now, calendar: cal, limit: 500 });
    expect(diabetes.rows.every((r) => r.diseaseCode === DIABETES)).toBe(true);
    expect(diabetes.total).toBe(diabetes.rows.length);
    const soon = await queryWorklist(db, { assigneeId: 'me', dueSoon: true }, { now, calendar: cal, limit: 500 });
    expect(soon.rows.length).toBeGreaterThan(0);
    expect(soon.rows.length).toBeLessThan((await queryWorklist(db, { assigneeId: 'me' }, { now, calendar: cal, limit: 1000 })).rows.length);
  });

  it('searches by name, ID number and psn_no prefix', async () => {
    const [one] = (await queryWorklist(db, { assigneeId: 'me' }, { now, calendar: cal, limit: 1 })).rows;
    const byName = await queryWorklist(db, { assigneeId: 'me', search: one!.personName }, { now, calendar: cal });
    expect(byName.rows.map((r) => r.id)).toContain(one!.id);
    const byCert = await queryWorklist(db, { assigneeId: 'me', search: one!.certNo.slice(0, 14) }, { now, calendar: cal });
    expect(byCert.rows.map((r) => r.id)).toContain(one!.id);
    const withPsn = (await db.workItems.where('[assigneeId+deadlineAt]').between(['me', ''], ['me', '\uffff']).toArray()).find((w) => w.psnNo !== '')!;
    const byPsn = await queryWorklist(db, { assigneeId: 'me', search: withPsn.psnNo }, { now, calendar: cal });
    expect(byPsn.rows.map((r) => r.id)).toContain(withPsn.id);
    expect((await queryWorklist(db, { assigneeId: 'nobody', search: one!.personName }, { now, calendar: cal })).rows).toEqual([]);
  });
});

describe('assignment (002 Kaifeng: random, 48 h, three refusals in a row)', () => {
  beforeEach(async () => {
    await db.physicians.bulkPut(['d1', 'd2', 'd3', 'd4', 'd5'].map(profile));
    await db.cases.put(caseRow('c1'));
  });

  it('starts a case with one random 初审 expert, recording a replayable draw', async () => {
    const r = await assignNext(db, kaifeng, 'c1', now, 777);
    expect(r.ok).toBe(true);
    const [a] = r.ok ? r.value : [];
    expect(a!.draw.mode === 'random' && verifyDraw(a!.draw)).toBe(true);
    expect(a!.draw).toMatchObject({ seed: 777, candidates: ['d1', 'd2', 'd3', 'd4', 'd5'] });
    expect(await db.workItems.get(a!.id)).toMatchObject({ state: 'offered', acceptBy: '2025-06-22T02:00:00.000Z', stage: 'first' });
    expect((await db.audit.toArray()).map((e) => e.kind)).toEqual(['case.assigned']);
  });

  it('accept: only the assignee, only inside the window', async () => {
    const [a] = (await assignNext(db, kaifeng, 'c1', now, 1)).ok ? await db.assignments.toArray() : [];
    expect(await acceptAssignment(db, a!.id, 'someone-else', now)).toMatchObject({ ok: false });
    expect(await acceptAssignment(db, a!.id, a!.reviewerId, new Date(now.getTime() + 48 * 3_600_000))).toMatchObject({ ok: false, message: '已超过受理时限，案件将重新分配' });
    expect(await acceptAssignment(db, a!.id, a!.reviewerId, now)).toEqual({ ok: true, value: undefined });
    expect(await db.workItems.get(a!.id)).toMatchObject({ state: 'accepted', deadlineAt: '2025-07-18T15:59:59.999Z' });
  });

  it('refuse: the case goes to another eligible physician; the refuser is excluded from the redraw', async () => {
    await assignNext(db, kaifeng, 'c1', now, 1);
    const [a] = await db.assignments.toArray();
    expect(await refuseAssignment(db, kaifeng, a!.id, a!.reviewerId, '', now, 2)).toMatchObject({ ok: false });
    const r = await refuseAssignment(db, kaifeng, a!.id, a!.reviewerId, '近期外出进修', now, 2);
    expect(r).toEqual({ ok: true, value: { flagged: false } });
    expect(await db.workItems.get(a!.id)).toBeUndefined();
    const open = await db.assignments.where('[state+acceptBy]').between(['offered', ''], ['offered', '\uffff']).toArray();
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ replaces: a!.id });
    expect(open[0]!.reviewerId).not.toBe(a!.reviewerId);
    expect(open[0]!.draw).toMatchObject({ excluded: [a!.reviewerId] });
  });

  it('002: the third refusal in a row flags the physician, who is then not drawn', async () => {
    for (const id of ['c2', 'c3']) await db.cases.put(caseRow(id));
    // d1 refuses three offers in a row, on three cases.
    for (const [i, id] of ['c1', 'c2', 'c3'].entries()) {
      const t = new Date(now.getTime() + i * 3_600_000);
      const a = { id: `x${i}`, caseId: id, stage: 'first', tieBreak: false, reviewerId: 'd1', draw: { mode: 'direct' as const, by: 'test', chosen: ['d1'] }, offeredAt: t.toISOString(), acceptBy: new Date(t.getTime() + 48 * 3_600_000).toISOString(), state: 'offered' as const, acceptedAt: null, closedAt: null, refusalReason: null, replaces: null };
      await db.assignments.put(a);
      const r = await refuseAssignment(db, kaifeng, a.id, 'd1', '工作安排冲突', t, 10 + i);
      expect(r).toEqual({ ok: true, value: { flagged: i === 2 } });
    }
    expect((await db.physicians.get('d1'))!.flag).toMatchObject({ kind: 'refusal-limit', streak: 3 });
    await db.cases.put(caseRow('c4'));
    const r = await assignNext(db, kaifeng, 'c4', now, 5);
    const draw = r.ok ? r.value[0]!.draw : null;
    expect(draw).toMatchObject({ ineligible: [{ id: 'd1', codes: ['refusal-limit'] }] });
    expect((await db.audit.toArray()).map((e) => e.kind)).toContain('physician.flagged');
  });

  it('lapsed offers (past 48 h) are swept and redrawn', async () => {
    await assignNext(db, kaifeng, 'c1', now, 1);
    expect(await sweepLapsedOffers(db, kaifeng, new Date(now.getTime() + 47 * 3_600_000), () => 3)).toBe(0);
    expect(await sweepLapsedOffers(db, kaifeng, new Date(now.getTime() + 49 * 3_600_000), () => 3)).toBe(1);
    const states = (await db.assignments.toArray()).map((a) => a.state).sort();
    expect(states).toEqual(['lapsed', 'offered']);
  });

  it('sweeps in bounded batches so no transaction holds the worklist for long', async () => {
    for (const id of ['c2', 'c3']) await db.cases.put(caseRow(id));
    for (const id of ['c1', 'c2', 'c3']) await assignNext(db, kaifeng, id, now, 1);
    const after = new Date(now.getTime() + 49 * 3_600_000);
    expect(await sweepLapsedOffers(db, kaifeng, after, () => 3, 2)).toBe(2);
    expect(await sweepLapsedOffers(db, kaifeng, after, () => 3, 2)).toBe(1);
    expect(await sweepLapsedOffers(db, kaifeng, after, () => 3, 2)).toBe(0);
  });

  it('marks the case unassigned when nobody eligible is left', async () => {
    await db.physicians.clear();
    const r = await assignNext(db, kaifeng, 'c1', now, 1);
    expect(r).toEqual({ ok: true, value: [] });
    expect(await db.cases.get('c1')).toMatchObject({ status: 'unassigned', stage: 'first' });
  });
});

describe('assignment (000 Jilin: the certifying physician, then the 医保办)', () => {
  it('after the physician concludes, the case moves to the 医保办 queue with no acceptance window', async () => {
    await db.physicians.bulkPut(['d1', 'd2'].map(profile));
    await db.cases.put(caseRow('c1'));
    const [a] = (await assignNext(db, jilin, 'c1', now, 1)).ok ? await db.assignments.toArray() : [];
    expect(a).toMatchObject({ stage: 'initial', acceptBy: null });
    await db.assignments.put({ ...a!, state: 'completed', acceptedAt: now.toISOString(), closedAt: now.toISOString() });
    await db.workItems.delete(a!.id);
    await db.reviews.put({ id: 'r1', caseId: 'c1', assignmentId: a!.id, stage: 'initial', tieBreak: false, reviewerId: a!.reviewerId, reviewerName: 'x', conclusion: { verdict: 'approve' }, criteriaMet: [], at: now.toISOString(), auditSeq: null });
    const r = await assignNext(db, jilin, 'c1', now, 2);
    expect(r.ok && r.value[0]).toMatchObject({ reviewerId: 'office', state: 'accepted', draw: { mode: 'office' } });
    expect(await db.cases.get('c1')).toMatchObject({ status: 'office-review', stage: 'recheck' });
    const office = await queryWorklist(db, { assigneeId: 'office' }, { now, calendar: cal });
    expect(office.rows).toHaveLength(1);
  });
});
