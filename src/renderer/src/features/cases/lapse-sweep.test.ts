import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import { cal, DIABETES, institution, physician, randomPack } from '../../../../../test/fixtures/review-packs';
import type { CaseRow } from '../../../../shared/domain/case';
import { physicianProfileSchema } from '../../../../shared/domain/physician';
import { withFreshDb } from '../../../../../test/fixtures/fresh-db';
import type { WorkstationDb } from '../../db/db';
import { assignNext, type ReviewContext } from './assignment-repo';
import { notifyWorkItemsChanged, onWorkItemsChanged, runExclusive, sweepAll, SWEEP_BATCH } from './lapse-sweep';

let db: WorkstationDb;
withFreshDb('lapse-test', (fresh) => (db = fresh));

const now = new Date('2025-06-20T02:00:00.000Z');
const later = (hours: number) => new Date(now.getTime() + hours * 3_600_000);
const kaifeng: ReviewContext = { pack: randomPack, calendar: cal, institution };
const caseRow = (id: string): CaseRow => ({
  id, personId: `p-${id}`, personName: '林演示', certNo: '140105199001011234', psnNo: '', insutype: '310', regionCode: '140105',
  diseaseCode: DIABETES, diseaseName: '糖尿病', kind: 'first', channel: 'assisted', submittedAt: now.toISOString(), receivedOn: '2025-06-20',
  status: 'in-review', stage: null, stageLabel: '', tieBreak: false, dueOn: '2025-07-18', dueAwaits: null, dueProvisional: false, deadlineAt: '2025-07-18T15:59:59.999Z', paused: [],
  result: null, decidedAt: null, updatedAt: now.toISOString(),
});

/** `count` Kaifeng cases, each offered to one random 初审 expert at `now` (48 h to accept). */
async function seedOffers(count: number) {
  await db.physicians.bulkPut(Array.from({ length: 12 }, (_, i) => `d${i + 1}`).map((id) => physicianProfileSchema.parse({ ...physician(id), flag: null, updatedAt: now.toISOString() })));
  await db.cases.bulkPut(Array.from({ length: count }, (_, i) => caseRow(`c${i}`)));
  for (let i = 0; i < count; i += 1) await assignNext(db, kaifeng, `c${i}`, now, 100 + i);
  return db.assignments.toArray();
}

const inState = (state: string) => db.assignments.where('[state+acceptBy]').between([state, ''], [state, '\uffff']).toArray();

describe('sweepAll (002 Kaifeng: offers not accepted within 48 h are redrawn)', () => {
  it('lapses every overdue offer across several batches and offers each case to another expert', async () => {
    const offered = await seedOffers(SWEEP_BATCH + 5);
    expect(await sweepAll(db, kaifeng, later(47), { pauseMs: 0 })).toBe(0);
    expect(await sweepAll(db, kaifeng, later(49), { pauseMs: 0, seed: () => 7 })).toBe(SWEEP_BATCH + 5);

    const lapsed = await inState('lapsed');
    expect(lapsed.map((a) => a.id).sort()).toEqual(offered.map((a) => a.id).sort());
    expect(lapsed.every((a) => a.closedAt === a.acceptBy)).toBe(true); // lapsed when the window closed
    // Each case goes to another expert; a physician who let three lapse in a row is flagged and
    // no longer drawn (002), so a case may be left unassigned once nobody eligible remains.
    const redrawn = await inState('offered');
    expect(redrawn.length).toBeGreaterThan(SWEEP_BATCH);
    for (const before of offered) {
      const next = redrawn.find((a) => a.replaces === before.id);
      if (next) {
        expect(next.caseId).toBe(before.caseId);
        expect(next.reviewerId).not.toBe(before.reviewerId);
        expect(next.acceptBy).toBe(later(49 + 48).toISOString());
      } else expect(await db.cases.get(before.caseId)).toMatchObject({ status: 'unassigned' });
    }
    // The worklist follows: the lapsed items left, the new offers arrived.
    const items = await db.workItems.toArray();
    expect(items.map((w) => w.id).sort()).toEqual(redrawn.map((a) => a.id).sort());
    expect(items.every((w) => w.state === 'offered')).toBe(true);
    expect((await db.audit.toArray()).filter((e) => e.kind === 'assignment.lapsed')).toHaveLength(SWEEP_BATCH + 5);
    // Nothing is overdue any more.
    expect(await sweepAll(db, kaifeng, later(49), { pauseMs: 0 })).toBe(0);
  });

  it('takes `batch` offers per transaction until a batch comes back short', async () => {
    await seedOffers(5);
    const spy = vi.spyOn(db, 'transaction');
    expect(await sweepAll(db, kaifeng, later(49), { batch: 2, pauseMs: 0, seed: () => 7 })).toBe(5);
    expect(spy).toHaveBeenCalledTimes(3); // 2 + 2 + 1
    spy.mockRestore();
  });

  it('stops between batches once told to (logout, unmount)', async () => {
    await seedOffers(5);
    let batches = 0;
    const moved = await sweepAll(db, kaifeng, later(49), { batch: 2, pauseMs: 0, seed: () => 7, stopped: () => batches++ > 0 });
    expect(moved).toBe(2);
    expect(await inState('lapsed')).toHaveLength(2);
    expect(await inState('offered')).toHaveLength(5); // 3 untouched + 2 redrawn
  });
});

describe('runExclusive (one window sweeps at a time)', () => {
  it('runs under the Web Lock when it is free, skips when another window holds it, and just runs without Web Locks', async () => {
    const requests: { name: string; ifAvailable?: boolean }[] = [];
    const locks = (held: boolean) =>
      ({
        request: (lockName: string, options: { ifAvailable?: boolean }, callback: (lock: Lock | null) => unknown) => {
          requests.push({ name: lockName, ifAvailable: options.ifAvailable });
          return Promise.resolve(callback(held ? null : ({ name: lockName, mode: 'exclusive' } as Lock)));
        },
      }) as unknown as LockManager;
    const work = vi.fn(async () => 3);
    expect(await runExclusive('opsp-lapse-sweeper', work, locks(false))).toBe(3);
    expect(await runExclusive('opsp-lapse-sweeper', work, locks(true))).toBeNull();
    expect(work).toHaveBeenCalledTimes(1);
    expect(requests).toEqual([
      { name: 'opsp-lapse-sweeper', ifAvailable: true },
      { name: 'opsp-lapse-sweeper', ifAvailable: true },
    ]);
    expect(await runExclusive('opsp-lapse-sweeper', work, undefined)).toBe(3);
    expect(work).toHaveBeenCalledTimes(2);
  });
});

describe('onWorkItemsChanged / notifyWorkItemsChanged', () => {
  it('tells every subscriber how many offers moved, until it unsubscribes', () => {
    const heard: number[] = [];
    const off = onWorkItemsChanged((n) => heard.push(n));
    notifyWorkItemsChanged(4);
    off();
    notifyWorkItemsChanged(2);
    expect(heard).toEqual([4]);
  });
});
