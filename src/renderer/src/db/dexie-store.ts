import Dexie, { type Table } from 'dexie';
import type { Assignment } from '../../../shared/domain/review';
import type { LookupField, Store, TableName, TableRows } from '../../../shared/store/store';
import { appendAudit } from './audit';
import type { WorkstationDb } from './db';

/**
 * The desk's copy of the case tables as a `Store`, so the shared case rules (src/shared/cases)
 * run on IndexedDB. Valid only inside a Dexie transaction the caller opened over the tables the
 * rule touches and `db.audit`: every call joins it, and the rules await nothing but these calls
 * (the audit chain hashes synchronously), so IndexedDB never commits half a change. Give
 * `db.transaction` an `async` scope function even when it only returns the rule's promise: Dexie
 * keeps its zone across the rule's native awaits only for a scope it sees is async.
 *
 * `find` reads an index: each LOOKUP_FIELD is indexed on its own or leads a compound index whose
 * other parts every row has (cases.status → [status+deadlineAt], workItems.assigneeId →
 * [assigneeId+deadlineAt], assignments.reviewerId → [reviewerId+offeredAt], reviews.reviewerId →
 * [reviewerId+at]), which Dexie queries by its first part. schema.ts v6 indexes assignments.state.
 */
export function dexieStore(db: WorkstationDb): Store {
  const table = <T extends TableName>(name: T) => db.table(name) as Table<TableRows[T], string>;
  // Each method hands back Dexie's own promise (chained with its `then`) rather than wrapping it
  // in another async function: no needless native promise hops between IndexedDB requests.
  return {
    get: (name, id) => table(name).get(id),
    getMany: (name, ids) => table(name).bulkGet([...ids]),
    find: <T extends TableName>(name: T, field: LookupField<T>, values: readonly string[]) =>
      values.length === 0 ? Dexie.Promise.resolve([]) : table(name).where(field).anyOf([...new Set(values)]).toArray(),
    all: (name) => table(name).toArray(),
    put: (name, row) => table(name).put(row).then(() => undefined),
    delete: (name, id) => table(name).delete(id),
    audit: (event) => appendAudit(db, event),
    lastAuditSeq: () => db.audit.orderBy('seq').last().then((entry) => entry?.seq ?? null),
    offersDue: (now: Date, limit: number): Promise<Assignment[]> =>
      db.assignments.where('[state+acceptBy]').between(['offered', ''], ['offered', now.toISOString()], true, true).limit(limit).toArray(),
  };
}
