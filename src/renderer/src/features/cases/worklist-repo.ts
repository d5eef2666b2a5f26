import type { Collection } from 'dexie';
import type { WorkItem } from '../../../../shared/domain/work-item';
import type { Calendar } from '../../../../shared/policy/calendar';
import { dueSoonCutoff, dueState } from '../../../../shared/review/deadlines';
import { compareByDeadline, matchesQuery, MAX_KEY, planQuery, type IndexPlan, type WorklistQuery } from '../../../../shared/review/worklist';
import type { WorkstationDb } from '../../db/db';

export interface WorklistPage {
  rows: WorkItem[];
  /** Rows matching the query; null when counting would need a scan (a refined filter), see `more`. */
  total: number | null;
  /** Whether rows beyond this page exist. */
  more: boolean;
}

export interface PageRequest {
  offset?: number;
  limit?: number;
  now: Date;
  calendar: Calendar;
  /** false: skip the total (the page shows rows first and asks `countWorklist` after). */
  count?: boolean;
}

const isDue = (calendar: Calendar, now: Date) => (w: WorkItem) => {
  const s = dueState(calendar, w, now);
  return s === 'due-soon' || s === 'overdue';
};

/**
 * One page of a physician's worklist, sorted by deadline. The query reads the compound index
 * that already orders by deadline and bounds it (due soon: up to the cutoff), so a page costs
 * its own rows, not the table; conditions the index does not cover are checked per row, and
 * only then is the total left uncounted (a count would walk every row).
 */
export async function queryWorklist(db: WorkstationDb, q: WorklistQuery, page: PageRequest): Promise<WorklistPage> {
  const offset = page.offset ?? 0;
  const limit = page.limit ?? 200;
  const upper = q.dueSoon ? dueSoonCutoff(page.calendar, page.now) : MAX_KEY;
  const plan = planQuery(q, upper);

  if (!plan.sorted) {
    // A search: a person's few items, read by name or number and sorted here.
    const byCert = db.workItems.where(plan.index).startsWith(plan.prefix).toArray();
    const byPsn = plan.alsoPsnNo ? db.workItems.where('psnNo').startsWith(plan.prefix).toArray() : Promise.resolve([]);
    const seen = new Map<string, WorkItem>();
    for (const w of [...(await byCert), ...(await byPsn)]) seen.set(w.id, w);
    const due = isDue(page.calendar, page.now);
    const all = [...seen.values()].filter((w) => matchesQuery(w, q) && (!q.dueSoon || due(w))).sort(compareByDeadline(q.order));
    return { rows: all.slice(offset, offset + limit), total: all.length, more: all.length > offset + limit };
  }

  const { coll, exact } = indexed(db, q, plan, page);
  const rows = await coll.clone().offset(offset).limit(limit + 1).toArray();
  const more = rows.length > limit;
  const total = page.count === false || !exact ? null : await coll.clone().count();
  return { rows: rows.slice(0, limit), total, more };
}

/** The index range of a sorted plan, with a per-row filter when the index does not cover every condition. */
function indexed(db: WorkstationDb, q: WorklistQuery, plan: Extract<IndexPlan, { sorted: true }>, page: PageRequest): { coll: Collection<WorkItem, string>; exact: boolean } {
  let coll: Collection<WorkItem, string> = db.workItems.where(plan.index).between(plan.lower, plan.upper, true, true);
  if (q.order === 'desc') coll = coll.reverse();
  // Conditions beyond the index's own equality: a second filter, or the exact due-soon test.
  const usedField = plan.index.split('+')[1];
  const extra = Boolean((q.stage && usedField !== 'stage') || (q.diseaseCode && usedField !== 'diseaseCode') || (q.state && usedField !== 'state') || q.dueSoon || q.awaitingCalendar);
  if (extra) {
    const due = isDue(page.calendar, page.now);
    coll = coll.filter((w) => matchesQuery(w, q) && (!q.dueSoon || due(w)));
  }
  return { coll, exact: !extra };
}

/**
 * How many items match, when the index can say so without reading rows (IDBIndex.count);
 * null when a per-row condition would make counting a scan. Asked after the first page is shown.
 */
export async function countWorklist(db: WorkstationDb, q: WorklistQuery, page: PageRequest): Promise<number | null> {
  const plan = planQuery(q, q.dueSoon ? dueSoonCutoff(page.calendar, page.now) : MAX_KEY);
  if (!plan.sorted) return (await queryWorklist(db, q, { ...page, offset: 0, limit: 1000 })).total;
  const { coll, exact } = indexed(db, q, plan, page);
  return exact ? coll.count() : null;
}
