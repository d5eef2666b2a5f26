import { describe, expect, it } from 'vitest';
import { memoryStore, sequentialIds } from '../../../test/fixtures/memory-store';
import { cal, institution, physician, randomPack } from '../../../test/fixtures/review-packs';
import { caseRow } from '../../../test/fixtures/review-rows';
import { physicianProfileSchema } from '../domain/physician';
import { acceptAssignment, assignNext } from './assignment';
import { pauseForSupplement, resumeAfterSupplement } from './supplement';

const T0 = new Date('2025-06-20T02:00:00.000Z'); // Friday 20 June 2025, 10:00 in China
const c1 = { ...caseRow, receivedOn: '2025-06-20', dueOn: '2025-07-18', deadlineAt: '2025-07-18T15:59:59.999Z' };
const ctx = { pack: randomPack, calendar: cal, institution };

describe('supplement time (003: not counted)', () => {
  it('a pause hides the due day of the case and its work items; resuming moves it by the paused working days', async () => {
    const store = memoryStore({ physicians: [physicianProfileSchema.parse({ ...physician('d1'), flag: null, updatedAt: T0.toISOString() })], cases: [c1] });
    const r = await assignNext(store, { ...ctx, now: T0, newId: sequentialIds(), seed: () => 1 }, 'c1');
    const [a] = r.ok ? r.value : [];
    await acceptAssignment(store, { now: T0 }, a!.id, 'd1');

    expect(await pauseForSupplement(store, { now: new Date('2025-06-23T02:00:00.000Z') }, 'c1', 'clerk1')).toEqual({ ok: true, value: { warning: null } });
    expect(await store.get('cases', 'c1')).toMatchObject({ status: 'supplementing', paused: [{ from: '2025-06-23', to: '2025-06-23' }], dueOn: null });
    expect(await store.get('workItems', a!.id)).toMatchObject({ dueOn: null, deadlineAt: '9999-12-31T23:59:59.999Z' });
    expect(await pauseForSupplement(store, { now: new Date('2025-06-24T02:00:00.000Z') }, 'c1', 'clerk1')).toEqual({ ok: false, message: '已在补充材料中' });

    expect(await resumeAfterSupplement(store, { ...ctx, now: new Date('2025-06-27T02:00:00.000Z') }, 'c1', 'clerk1')).toEqual({ ok: true, value: { warning: null } });
    // Received Fri 20 June → due Fri 18 July; Mon 23 – Fri 27 June paused → Fri 25 July.
    expect(await store.get('cases', 'c1')).toMatchObject({ status: 'in-review', dueOn: '2025-07-25' });
    expect(await store.get('workItems', a!.id)).toMatchObject({ dueOn: '2025-07-25', deadlineAt: '2025-07-25T15:59:59.999Z' });
    expect(store.auditKinds()).toEqual(['case.assigned', 'assignment.accepted', 'case.supplement-started', 'case.supplement-ended']);
    expect(store.auditLog.at(-1)).toMatchObject({ actorId: 'clerk1', subject: 'c1', detail: { paused: { from: '2025-06-23', to: '2025-06-27' }, dueOn: '2025-07-25' } });
    expect(await pauseForSupplement(store, { now: T0 }, 'nope', 'clerk1')).toEqual({ ok: false, message: '案件不存在' });
  });
});
