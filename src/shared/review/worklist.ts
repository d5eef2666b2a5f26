/**
 * The worklist's query as data, and how it maps onto the work-item indexes, so the renderer's
 * repository and the tests agree on what "my due-soon 终审 cases for 糖尿病" means.
 */
import type { WorkItem } from '../domain/work-item';

export type WorklistOrder = 'asc' | 'desc';

export interface WorklistQuery {
  assigneeId: string;
  stage?: string | null;
  diseaseCode?: string | null;
  /** offered: waiting for accept or refuse; accepted: in review. */
  state?: WorkItem['state'] | null;
  dueSoon?: boolean;
  /** Only items whose completion deadline waits for a holiday calendar (时限待定). */
  awaitingCalendar?: boolean;
  search?: string;
  order?: WorklistOrder;
}

export type SearchKey = { kind: 'number'; value: string } | { kind: 'name'; value: string };

/**
 * What was typed in the search box. Digits (an ID number may end in X) search ID numbers and
 * psn_no by prefix; anything else searches names by prefix. Full-width digits from some IMEs
 * become ASCII. Fewer than 2 characters search nothing (too broad to be useful).
 */
export function parseSearch(text: string | undefined): SearchKey | null {
  if (!text) return null;
  const s = text.trim().replace(/[０-９Ｘｘ]/g, (c) => (c === 'Ｘ' || c === 'ｘ' ? 'X' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)));
  if (s.length < 2) return null;
  if (/^\d+[Xx]?$/.test(s)) return { kind: 'number', value: s.toUpperCase() };
  return { kind: 'name', value: s };
}

/**
 * The index a query reads and its bounds: the most selective equality first, then deadlineAt
 * as the range so rows come out already sorted by deadline. A search reads its own index and
 * the rest is filtered per row (a person's few items).
 */
export type IndexPlan =
  | { index: string; lower: unknown[]; upper: unknown[]; sorted: true }
  | { index: 'certNo' | 'psnNo' | 'personName'; prefix: string; sorted: false; alsoPsnNo: boolean };

export const MIN_KEY = '';
export const MAX_KEY = '\uffff';

export function planQuery(q: WorklistQuery, deadlineUpper: string = MAX_KEY): IndexPlan {
  const key = parseSearch(q.search);
  if (key) return key.kind === 'name' ? { index: 'personName', prefix: key.value, sorted: false, alsoPsnNo: false } : { index: 'certNo', prefix: key.value, sorted: false, alsoPsnNo: true };
  const range = (field: string, value: string) => ({ index: `[assigneeId+${field}+deadlineAt]`, lower: [q.assigneeId, value, MIN_KEY], upper: [q.assigneeId, value, deadlineUpper], sorted: true as const });
  if (q.stage) return range('stage', q.stage);
  if (q.diseaseCode) return range('diseaseCode', q.diseaseCode);
  if (q.state) return range('state', q.state);
  return { index: '[assigneeId+deadlineAt]', lower: [q.assigneeId, MIN_KEY], upper: [q.assigneeId, deadlineUpper], sorted: true };
}

/** Every condition of the query on one row (the index already applied some; the rest here). */
export function matchesQuery(item: WorkItem, q: WorklistQuery): boolean {
  if (item.assigneeId !== q.assigneeId) return false;
  if (q.stage && item.stage !== q.stage) return false;
  if (q.diseaseCode && item.diseaseCode !== q.diseaseCode) return false;
  if (q.state && item.state !== q.state) return false;
  if (q.awaitingCalendar && item.dueAwaits == null) return false;
  const key = parseSearch(q.search);
  if (key?.kind === 'name' && !item.personName.startsWith(key.value)) return false;
  if (key?.kind === 'number' && !item.certNo.toUpperCase().startsWith(key.value) && !item.psnNo.startsWith(key.value)) return false;
  return true;
}

/** Orders rows by deadline (then case id, so equal deadlines keep a stable order). */
export function compareByDeadline(order: WorklistOrder = 'asc'): (a: WorkItem, b: WorkItem) => number {
  const sign = order === 'asc' ? 1 : -1;
  return (a, b) => sign * (a.deadlineAt < b.deadlineAt ? -1 : a.deadlineAt > b.deadlineAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
