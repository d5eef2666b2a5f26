/**
 * Demo data on the server (设置 → 载入演示数据, administrators only), so every desk sees it: the
 * invented physicians and cases of src/shared/demo, written in bulk with their shares worked out
 * as they are written, every row marked demo (`records.demo`, and `demo: true` in the row the
 * desks show as 演示). 正式启用 removes every demo record before the hospital starts real work.
 */
import { sql } from 'drizzle-orm';
import { demoCase, planDemo, type DemoCase } from '../shared/demo/generate';
import { demoPhysicians, demoProfileFor } from '../shared/demo/physicians';
import type { PhysicianProfile } from '../shared/domain/physician';
import { OFFICE_ASSIGNEE } from '../shared/domain/work-item';
import { ALL_SHARE, OFFICE_SHARE, physicianShare, type PulledTable } from '../shared/hospital/protocol';
import type { ReviewContext } from '../shared/cases/context';
import type { Orm } from './database';
import { analyzeRecords, write, type Hospital } from './hospital';
import { reviewContext } from './policy';
import { rowsOf, type PgStore } from './store';

interface BulkRow {
  id: string;
  data: Record<string, unknown>;
  scope: string | null;
  shares: string[];
}

/** One statement per table and batch: rows with their scope and shares already known. */
async function bulkInsert(tx: Orm, table: PulledTable, rows: readonly BulkRow[], demo: boolean) {
  if (rows.length === 0) return;
  await tx.execute(sql`
    insert into records (tbl, id, data, scope, shares, seq, demo)
    select ${table}, r.id, r.data::jsonb, r.scope, string_to_array(r.shares, ','), nextval('change_seq'), ${demo}
    from unnest(${sql.param(rows.map((r) => r.id))}::text[], ${sql.param(rows.map((r) => JSON.stringify(r.data)))}::text[],
                ${sql.param(rows.map((r) => r.scope))}::text[], ${sql.param(rows.map((r) => r.shares.join(',')))}::text[]) as r(id, data, scope, shares)
    on conflict (tbl, id) do update set data = excluded.data, version = records.version + 1, scope = excluded.scope, shares = excluded.shares, seq = excluded.seq, demo = excluded.demo`);
}

const marked = <T extends object>(row: T) => ({ ...row, demo: true }) as unknown as Record<string, unknown>;

/** Who holds a demo case: the office, and each physician with an open offer or assignment on it. */
function sharesOf(c: DemoCase): string[] {
  const held = (a: DemoCase['assignments'][number]) => a.state === 'offered' || a.state === 'accepted' || (a.state === 'completed' && c.caseRow.status !== 'decided');
  const open = c.assignments.filter((a) => held(a) && a.reviewerId !== OFFICE_ASSIGNEE).map((a) => physicianShare(a.reviewerId));
  return [...new Set([OFFICE_SHARE, ...open])].sort();
}

export interface DemoLoad {
  count: number;
  seed: number;
  /** Physician accounts that get a demo registry profile (so they are drawn too). */
  physicianAccounts: readonly { id: string; displayName: string; department?: string | undefined }[];
  actorId: string | null;
  batchSize?: number;
  /** Cases without material and outside-result metadata (the 100,000-case benchmark). */
  withMaterials?: boolean;
  onProgress?: (done: number) => void;
}

export async function loadDemo(h: Hospital, load: DemoLoad, context?: ReviewContext): Promise<{ cases: number; physicians: number }> {
  const ctx = context ?? (await reviewContext(h.db.orm, h.resourcesDir));
  const now = h.now();
  const at = now.toISOString();
  const institutionCode = ctx.institution.code ?? 'H00000000000';
  const roster: PhysicianProfile[] = demoPhysicians(ctx.pack, institutionCode, load.seed, at);
  const registered = new Map(rowsOf<{ id: string; data: PhysicianProfile }>(await h.db.orm.execute(sql`select id, data from records where tbl = 'physicians'`)).map((r) => [r.id, r.data]));
  const accounts = load.physicianAccounts.filter((a) => !registered.has(a.id)).map((a) => demoProfileFor(a, ctx.pack, institutionCode, at));
  // Physicians with accounts (new demo profiles or already registered) get a fair share of the cases, so whoever logs in to try it has work.
  const withAccounts = load.physicianAccounts.flatMap((a) => { const p = registered.get(a.id); return p ? [p] : []; });
  const plan = planDemo({ seed: load.seed, pack: ctx.pack, calendar: ctx.calendar, institution: ctx.institution, physicians: [...roster, ...accounts, ...withAccounts], now, focusPhysicianIds: load.physicianAccounts.map((a) => a.id), withMaterials: load.withMaterials ?? true });

  await write(h, async (_store, tx) => {
    await bulkInsert(tx, 'physicians', [...roster, ...accounts].map((p) => ({ id: p.id, data: marked(p), scope: null, shares: [ALL_SHARE] })), true);
  });
  const batch = load.batchSize ?? 2000;
  for (let done = 0; done < load.count; done += batch) {
    const cases = Array.from({ length: Math.min(batch, load.count - done) }, (_, i) => demoCase(plan, done + i));
    await write(h, async (_store, tx) => {
      const rows = (table: PulledTable, pick: (c: DemoCase) => readonly { id: string }[], scope: (c: DemoCase) => string) =>
        bulkInsert(tx, table, cases.flatMap((c) => pick(c).map((r) => ({ id: r.id, data: marked(r), scope: scope(c), shares: sharesOf(c) }))), true);
      const ofCase = (c: DemoCase) => `case:${c.caseRow.id}`;
      const ofPerson = (c: DemoCase) => `person:${c.person.id}`;
      // A person with two demo cases is written with the second; their shares are the union.
      const persons = new Map<string, BulkRow>();
      for (const c of cases) {
        const prev = persons.get(c.person.id);
        persons.set(c.person.id, { id: c.person.id, data: marked(c.person), scope: ofPerson(c), shares: [...new Set([...(prev?.shares ?? []), ...sharesOf(c)])].sort() });
      }
      await bulkInsert(tx, 'persons', [...persons.values()], true);
      await rows('cases', (c) => [c.caseRow], ofCase);
      await rows('workItems', (c) => c.workItems, ofCase);
      await rows('assignments', (c) => c.assignments, ofCase);
      await rows('reviews', (c) => c.reviews, ofCase);
      await rows('materials', (c) => c.materials, ofCase);
      await rows('outsideResults', (c) => c.results, ofCase);
      await rows('certifications', (c) => (c.certification ? [c.certification] : []), ofPerson);
      // Hint the desks concerned after commit.
      (_store as PgStore).changedShares.add(OFFICE_SHARE);
      for (const c of cases) for (const s of sharesOf(c)) (_store as PgStore).changedShares.add(s);
    });
    load.onProgress?.(done + cases.length);
  }
  await write(h, (store) => store.audit({ kind: 'demo.loaded', actorId: load.actorId, at, subject: ctx.pack.id, detail: { count: load.count, seed: load.seed } }));
  await analyzeRecords(h);
  return { cases: load.count, physicians: roster.length + accounts.length };
}

/** 正式启用: removes every demo record (each desk holding one is told to drop it) and records who did it. */
export async function goLive(h: Hospital, actorId: string): Promise<{ removed: number }> {
  const done = await write(h, async (store, tx) => {
    const gone = rowsOf<{ tbl: PulledTable; id: string; shares: string[]; scope: string | null }>(await tx.execute(sql`delete from records where demo returning tbl, id, shares, scope`));
    // A desk drops a case's rows with the case and a person's certifications with the person.
    for (const r of gone) if (r.scope === null || r.tbl === 'cases' || r.tbl === 'persons') await store.removalOf(r.tbl, r.id, r.shares);
    await store.audit({ kind: 'hospital.live', actorId, at: h.now().toISOString(), subject: 'demo', detail: { removed: gone.length } });
    return { removed: gone.length };
  });
  await analyzeRecords(h);
  return done;
}
