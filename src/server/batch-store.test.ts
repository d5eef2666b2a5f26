/**
 * The push's unit of work (batch-store.ts) against the store that writes at once (store.ts): the
 * same rules applied to the same commands, one transaction each through PgStore or a push's in
 * one through BatchStore's layers, leave the same rows, held by the same desks, and the same audit
 * chain; a refused command leaves nothing behind; reads see what the push wrote. On both databases.
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { serverTargets } from '../../test/fixtures/server-db';
import { institution } from '../../test/fixtures/review-packs';
import { acceptAssignment, refuseAssignment } from '../shared/cases/assignment';
import { commandIds, type CaseContext } from '../shared/cases/context';
import { takeApplication } from '../shared/cases/intake';
import type { RuleResult } from '../shared/cases/context';
import { auditKeyFrom, verifyServerAudit } from './audit';
import { BatchStore } from './batch-store';
import { openDatabase, type DatabaseTarget, type Orm } from './database';
import { loadDemo } from './demo';
import { makeHospital, openAuditChain, WRITE_LOCK, write, type Hospital } from './hospital';
import { migrate } from './migrations';
import { reviewContext } from './policy';
import { rowsOf } from './rows';
import type { ServerStore } from './store';

const NOW = new Date('2026-06-16T02:00:00.000Z');
const OFFICE = { id: 'user-office' };

async function hospitalOn(target: DatabaseTarget, key = auditKeyFrom(randomBytes(32))): Promise<Hospital> {
  const db = await openDatabase(target);
  await migrate(db.orm);
  const h = makeHospital(db, { auditKey: key, resourcesDir: 'resources', now: () => NOW });
  await openAuditChain(h);
  await write(h, async (store) => {
    await store.putRecord('settings', { id: 'policy.activePackId', key: 'policy.activePackId', value: 'kaifeng-2023' });
    await store.putRecord('settings', { id: 'cases.institution', key: 'cases.institution', value: institution });
  });
  await loadDemo(h, { count: 0, seed: 7, physicianAccounts: [], actorId: null });
  return h;
}

type Step = (store: ServerStore, cx: CaseContext) => Promise<RuleResult<unknown>>;

const person = (certNo: string, name: string) => ({ certType: '01', certNo, name, psnNo: null, insutype: '310', regionCode: '140105' });
const apply = (certNo: string, name: string, diseaseCode = 'M01600'): Step => (store, cx) => takeApplication(store, cx, { person: person(certNo, name), diseaseCode, kind: 'first' }, OFFICE);
const offerOf = async (store: ServerStore, certNo: string) => {
  const [c] = await store.find('cases', 'certNo', [certNo]);
  return (await store.find('assignments', 'caseId', [c!.id])).find((a) => a.state === 'offered');
};
const accept = (certNo: string): Step => async (store, cx) => {
  const a = await offerOf(store, certNo);
  return a ? acceptAssignment(store, cx, a.id, a.reviewerId) : { ok: false, message: 'no offer' };
};
const refuse = (certNo: string): Step => async (store, cx) => {
  const a = await offerOf(store, certNo);
  return a ? refuseAssignment(store, cx, a.id, a.reviewerId, '本周出差') : { ok: false, message: 'no offer' };
};

// Synthetic resident ID numbers (valid check characters, invented people).
const A = '110101199003074477';
const B = '11010119851212305X';

/**
 * Two pushes: three applications (one refused: the same disease again while the first is open);
 * then an acceptance, a refusal that redraws (the first physician's desk must be told to drop the
 * case: a removal), and another application of a known person.
 */
const PUSHES: Step[][] = [
  [apply(A, '测试甲'), apply(B, '测试乙'), apply(A, '测试甲')],
  [accept(A), refuse(B), apply(A, '测试甲', 'M03900')],
];
const STEPS = PUSHES.flat();

const uuid = (i: number) => `cmd-00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
/** Read through `orm`: inside a transaction on PGlite (one connection), the transaction's own. */
const contextFor = async (h: Hospital, orm: Orm, i: number, fresh: (id: string) => string = (id) => id): Promise<CaseContext> => {
  const ids = commandIds(uuid(i));
  let seed = 1000 + i;
  return { ...(await reviewContext(orm, h.resourcesDir)), now: NOW, newId: (p) => fresh(ids(p)), seed: () => seed++ };
};

/** Each step in its own transaction through the store that writes at once (what `write` does). */
async function atOnce(h: Hospital): Promise<boolean[]> {
  const outcomes: boolean[] = [];
  for (const [i, step] of STEPS.entries()) {
    const cx = await contextFor(h, h.db.orm, i);
    const ok = await write(h, async (store, tx) => {
      await tx.execute(sql`savepoint step`);
      const r = await step(store, cx);
      if (!r.ok) await tx.execute(sql`rollback to savepoint step`);
      return r.ok;
    }).catch(() => false);
    outcomes.push(ok);
  }
  return outcomes;
}

/** Each push's steps in one transaction, each step in a layer of the push's BatchStore. */
async function inBatches(h: Hospital): Promise<boolean[]> {
  const outcomes: boolean[] = [];
  for (const steps of PUSHES) {
    await h.db.orm.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${WRITE_LOCK})`);
      const store = new BatchStore(tx, h.auditKey);
      for (const step of steps) {
        const cx = await contextFor(h, tx, outcomes.length, (id) => store.markFresh(id));
        store.begin();
        const r = await step(store, cx);
        if (r.ok) store.commit();
        else store.rollback();
        outcomes.push(r.ok);
      }
      await store.finish();
    });
  }
  return outcomes;
}

async function snapshot(h: Hospital) {
  const records = rowsOf<{ tbl: string; id: string; data: unknown; shares: string[] }>(await h.db.orm.execute(sql`select tbl, id, data, shares from records order by tbl, id`));
  const audit = rowsOf<{ seq: number; kind: string; subject: string; detail: unknown }>(await h.db.orm.execute(sql`select seq::int as seq, kind, subject, detail from audit order by seq`));
  const removals = rowsOf<{ tbl: string; id: string; shares: string[] }>(await h.db.orm.execute(sql`select tbl, id, shares from removals order by tbl, id`));
  const counters = rowsOf<{ name: string; value: string | number }>(await h.db.orm.execute(sql`select name, value from counters order by name`));
  return { records: records.map((r) => ({ ...r, shares: [...r.shares].sort() })), audit, removals, counters: counters.map((c) => ({ name: c.name, value: Number(c.value) })) };
}

describe.each(serverTargets('batch'))('the push unit of work on %s', (_name, target) => {
  it('leaves the same rows, shares, removals and audit chain as writing each command at once', async () => {
    const key = auditKeyFrom(randomBytes(32));
    const [one, many] = [await hospitalOn(await target(), key), await hospitalOn(await target(), key)];
    try {
      const [atOnceOutcomes, batchOutcomes] = [await atOnce(one), await inBatches(many)];
      expect(batchOutcomes).toEqual(atOnceOutcomes);
      // The scenario does what it is meant to: a refusal among the applications, an acceptance, a redraw.
      expect(batchOutcomes).toEqual([true, true, false, true, true, true]);
      const [expected, actual] = [await snapshot(one), await snapshot(many)];
      expect(actual.records).toEqual(expected.records);
      expect(actual.audit).toEqual(expected.audit);
      expect(actual.removals).toEqual(expected.removals);
      expect(actual.removals.length).toBeGreaterThan(0);
      // Physicians who were offered a case and held it, and the person's desks, as the rule says.
      const held = actual.records.filter((r) => r.tbl === 'cases').map((r) => r.shares);
      expect(held.every((s) => s.includes('office'))).toBe(true);
      expect(held.some((s) => s.some((k) => k.startsWith('physician:')))).toBe(true);
      expect(await verifyServerAudit(many.db.orm, many.auditKey)).toMatchObject({ ok: true });
    } finally {
      await one.db.close();
      await many.db.close();
    }
  }, 60_000);

  it('drops everything a refused command did: rows, audit entries, counters', async () => {
    const h = await hospitalOn(await target());
    try {
      const before = await snapshot(h);
      await h.db.orm.transaction(async (tx) => {
        const store = new BatchStore(tx, h.auditKey);
        store.begin();
        await store.putRecord('settings', { id: 'cases.trial', key: 'cases.trial', value: 1 });
        await store.audit({ kind: 'trial', actorId: null, at: NOW.toISOString(), subject: 's', detail: {} });
        expect(await store.nextCounter('case:2026')).toBe(1);
        store.rollback();
        store.begin();
        expect(await store.nextCounter('case:2026')).toBe(1);
        store.rollback();
        await store.finish();
      });
      expect(await snapshot(h)).toEqual(before);
    } finally {
      await h.db.close();
    }
  });

  it('reads what earlier commands of the push wrote, and what the command itself wrote, by id and by field', async () => {
    const h = await hospitalOn(await target());
    try {
      await h.db.orm.transaction(async (tx) => {
        const store = new BatchStore(tx, h.auditKey);
        const cx = await contextFor(h, tx, 1, (id) => store.markFresh(id));
        store.begin();
        expect((await takeApplication(store, cx, { person: person(A, '测试甲'), diseaseCode: 'M01600', kind: 'first' }, OFFICE)).ok).toBe(true);
        const [c] = await store.find('cases', 'certNo', [A]);
        expect(c).toBeDefined();
        store.commit();
        store.begin();
        const offered = (await store.find('assignments', 'caseId', [c!.id])).filter((a) => a.state === 'offered');
        expect(offered).toHaveLength(1);
        await store.put('assignments', { ...offered[0]!, state: 'accepted' });
        // The changed field moves the row from one lookup to the other.
        expect((await store.find('assignments', 'state', ['offered'])).map((a) => a.id)).not.toContain(offered[0]!.id);
        expect((await store.find('assignments', 'state', ['accepted'])).map((a) => a.id)).toContain(offered[0]!.id);
        expect((await store.get('assignments', offered[0]!.id))?.state).toBe('accepted');
        store.commit();
        const head = await store.lastAuditSeq();
        await store.finish();
        // After the flush the rows are read from the database, the same as before it.
        expect((await store.get('assignments', offered[0]!.id))?.state).toBe('accepted');
        expect(Number(rowsOf<{ seq: number | string }>(await tx.execute(sql`select max(seq) as seq from audit`))[0]?.seq)).toBe(head);
      });
      expect(await verifyServerAudit(h.db.orm, h.auditKey)).toMatchObject({ ok: true });
    } finally {
      await h.db.close();
    }
  });
});
