import type { PhysicianProfile } from '../../../../shared/domain/physician';
import { demoCase, planDemo } from '../../../../shared/demo/generate';
import { demoPhysicians, demoProfileFor } from '../../../../shared/demo/physicians';
import { appendAudit } from '../../db/audit';
import type { WorkstationDb } from '../../db/db';
import type { ReviewContext } from './assignment-repo';

export interface DemoLoadOptions {
  count: number;
  seed: number;
  /** The logged-in physician: gets a profile and a share of the cases. */
  focus?: { id: string; displayName: string; department?: string | undefined } | null;
  now?: Date;
  /** Cases per transaction: large enough to be fast, small enough to keep the page responsive. */
  batchSize?: number;
  /** Material and outside-result metadata; the benchmark may skip it to load 100,000 cases fast. */
  withMaterials?: boolean;
  /** Case numbers start here, so a second load adds cases instead of overwriting the first. */
  startIndex?: number;
  actorId?: string | null;
  onProgress?: (done: number, total: number) => void;
}

const yieldToPage = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * Writes `count` synthetic cases (设置 → 载入演示数据, and the benchmark) in batches, one
 * transaction each, yielding between batches so the page keeps painting. Every row is invented
 * (see src/shared/demo); the same seed gives the same data.
 */
export async function loadDemoData(db: WorkstationDb, ctx: ReviewContext, options: DemoLoadOptions): Promise<{ cases: number; physicians: number }> {
  const now = options.now ?? new Date();
  const at = now.toISOString();
  const institutionCode = ctx.institution.code ?? 'H00000000000';
  const roster: PhysicianProfile[] = demoPhysicians(ctx.pack, institutionCode, options.seed, at);
  if (options.focus) {
    const existing = await db.physicians.get(options.focus.id);
    roster.push(existing ?? demoProfileFor(options.focus, ctx.pack, institutionCode, at));
  }
  await db.physicians.bulkPut(roster);
  const plan = planDemo({ seed: options.seed, pack: ctx.pack, calendar: ctx.calendar, institution: ctx.institution, physicians: roster, now, focusPhysicianIds: options.focus ? [options.focus.id] : [], withMaterials: options.withMaterials ?? true });

  const batch = options.batchSize ?? 2000;
  const start = options.startIndex ?? 0;
  for (let done = 0; done < options.count; done += batch) {
    const n = Math.min(batch, options.count - done);
    const cases = Array.from({ length: n }, (_, i) => demoCase(plan, start + done + i));
    await db.transaction('rw', [db.persons, db.cases, db.workItems, db.assignments, db.reviews, db.materials, db.outsideResults, db.certifications], async () => {
      await db.persons.bulkPut(cases.map((c) => c.person));
      await db.cases.bulkPut(cases.map((c) => c.caseRow));
      await db.workItems.bulkPut(cases.flatMap((c) => c.workItems));
      await db.assignments.bulkPut(cases.flatMap((c) => c.assignments));
      await db.reviews.bulkPut(cases.flatMap((c) => c.reviews));
      await db.materials.bulkPut(cases.flatMap((c) => c.materials));
      await db.outsideResults.bulkPut(cases.flatMap((c) => c.results));
      await db.certifications.bulkPut(cases.flatMap((c) => (c.certification ? [c.certification] : [])));
    });
    options.onProgress?.(done + n, options.count);
    await yieldToPage();
  }
  await db.transaction('rw', db.audit, () =>
    appendAudit(db, { kind: 'demo.loaded', actorId: options.actorId ?? null, at, subject: ctx.pack.id, detail: { count: options.count, seed: options.seed, startIndex: start } }),
  );
  return { cases: options.count, physicians: roster.length };
}
