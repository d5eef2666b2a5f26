import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { withFreshDb } from '../../../../test/fixtures/fresh-db';
import { caseRow, doctorProfile, glucose, person } from '../../../../test/fixtures/review-rows';
import { verifyChain } from '../../../shared/audit/chain';
import type { Assignment } from '../../../shared/domain/review';
import { LOOKUP_FIELDS, TABLE_NAMES, type TableName } from '../../../shared/store/store';
import type { WorkstationDb } from './db';
import { dexieStore } from './dexie-store';

let db: WorkstationDb;
withFreshDb('dexie-store-test', (fresh) => (db = fresh));

const T0 = '2025-06-20T02:00:00.000Z';
const offer = (id: string, state: Assignment['state'], acceptBy: string | null): Assignment => ({
  id, caseId: 'c1', stage: 'first', tieBreak: false, reviewerId: 'dr-me', draw: { mode: 'office', chosen: ['dr-me'] }, offeredAt: T0, acceptBy, state, acceptedAt: null, closedAt: null, refusalReason: null, replaces: null,
});
const inTx = <T>(fn: () => Promise<T>) => db.transaction('rw', [db.cases, db.persons, db.assignments, db.physicians, db.outsideResults, db.audit], fn);

describe('dexieStore (the shared Store on IndexedDB)', () => {
  it('reads every lookup field through an index: its own, or a compound index it leads', () => {
    for (const table of TABLE_NAMES) {
      const indexes = db.table(table).schema.indexes;
      for (const field of LOOKUP_FIELDS[table as TableName] as readonly string[]) {
        const usable = indexes.some((i) => i.keyPath === field || (Array.isArray(i.keyPath) && i.keyPath[0] === field));
        expect(usable, `${table}.${field}`).toBe(true);
      }
    }
  });

  it('finds rows by lookup field, including offers without an acceptance window by state', async () => {
    await inTx(async () => {
      const store = dexieStore(db);
      await store.put('cases', caseRow);
      await store.put('persons', person);
      await store.put('outsideResults', glucose);
      for (const a of [offer('a1', 'offered', '2025-06-22T02:00:00.000Z'), offer('a2', 'accepted', null), offer('a3', 'refused', T0)]) await store.put('assignments', a);
      expect((await store.find('cases', 'status', ['in-review', 'decided'])).map((c) => c.id)).toEqual(['c1']);
      expect((await store.find('cases', 'certNo', [person.certNo])).map((c) => c.id)).toEqual(['c1']);
      expect((await store.find('persons', 'psnNo', [person.psnNo!])).map((p) => p.id)).toEqual(['p1']);
      expect((await store.find('assignments', 'state', ['accepted', 'offered'])).map((a) => a.id).sort()).toEqual(['a1', 'a2']);
      expect((await store.find('assignments', 'reviewerId', ['dr-me'])).map((a) => a.id).sort()).toEqual(['a1', 'a2', 'a3']);
      expect(await store.find('assignments', 'caseId', [])).toEqual([]);
      expect((await store.find('outsideResults', 'caseId', ['c1', 'c1'])).map((r) => r.id)).toEqual([glucose.id]);
      expect((await store.getMany('cases', ['nope', 'c1'])).map((c) => c?.id)).toEqual([undefined, 'c1']);
      await store.delete('assignments', 'a3');
      expect(await store.get('assignments', 'a3')).toBeUndefined();
    });
  });

  it('answers due offers by window, earliest first and bounded, and appends to the audit chain', async () => {
    await inTx(async () => {
      const store = dexieStore(db);
      await store.put('physicians', doctorProfile);
      for (const a of [offer('late', 'offered', '2025-06-22T05:00:00.000Z'), offer('early', 'offered', '2025-06-22T02:00:00.000Z'), offer('open', 'offered', '2025-06-23T02:00:00.000Z'), offer('none', 'offered', null), offer('taken', 'accepted', '2025-06-21T02:00:00.000Z')]) {
        await store.put('assignments', a);
      }
      expect((await store.offersDue(new Date('2025-06-22T05:00:00.000Z'), 10)).map((a) => a.id)).toEqual(['early', 'late']);
      expect((await store.offersDue(new Date('2025-06-30T00:00:00.000Z'), 2)).map((a) => a.id)).toEqual(['early', 'late']);
      expect((await store.all('physicians')).map((p) => p.id)).toEqual(['dr-me']);
      expect(await store.lastAuditSeq()).toBeNull();
      await store.audit({ kind: 'test.one', actorId: null, at: T0, subject: 'c1', detail: {} });
      await store.audit({ kind: 'test.two', actorId: 'dr-me', at: T0, subject: 'c1', detail: { n: 2 } });
      expect(await store.lastAuditSeq()).toBe(2);
    });
    expect(verifyChain(await db.audit.orderBy('seq').toArray())).toEqual({ ok: true, count: 2 });
  });
});
