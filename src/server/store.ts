/**
 * The server's `Store` (src/shared/store/store.ts) over PostgreSQL: the records as JSON rows, each
 * write stamped with the next change sequence in the same transaction (the change log, compacted
 * to each row's latest change), and, when the transaction's work is done, each touched case's and
 * person's share recomputed: a case is held by the 医保办's desks and by the physicians with an
 * open offer or assignment on it; a person by the desks of any of their cases. A desk that stops
 * holding one gets a removal in the change log.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { AuditEvent } from '../shared/audit/chain';
import type { Assignment } from '../shared/domain/review';
import { ALL_SHARE, OFFICE_SHARE, type PulledTable } from '../shared/hospital/protocol';
import type { LookupField, Store, TableName, TableRows } from '../shared/store/store';
import type { Orm } from './database';
import { appendServerAudit, type AuditKey } from './audit';

/** The lookups, each written out so the expression indexes of migration 2 serve them. */
export const FIELD: Record<string, SQL> = {
  certNo: sql`data ->> 'certNo'`,
  psnNo: sql`data ->> 'psnNo'`,
  personId: sql`data ->> 'personId'`,
  status: sql`data ->> 'status'`,
  caseId: sql`data ->> 'caseId'`,
  assigneeId: sql`data ->> 'assigneeId'`,
  reviewerId: sql`data ->> 'reviewerId'`,
  state: sql`data ->> 'state'`,
  sha256: sql`data ->> 'sha256'`,
  resultId: sql`data ->> 'resultId'`,
  department: sql`data ->> 'department'`,
};

import { rowsOf } from './rows';
import { settleShares } from './shares';

export { rowsOf };

/** Which case or person a row goes with; null for rows every desk holds. */
export function scopeOf(table: PulledTable, row: Record<string, unknown>): string | null {
  switch (table) {
    case 'cases':
      return `case:${String(row['id'])}`;
    case 'persons':
      return `person:${String(row['id'])}`;
    // A person's certifications show in every review of that person (held diseases).
    case 'certifications':
      return `person:${String(row['personId'])}`;
    case 'physicians':
    case 'users':
    case 'settings':
    case 'conflicts':
    case 'filings':
    case 'filingBatches':
      return null;
    default:
      return `case:${String(row['caseId'])}`;
  }
}

/** What the server's command handlers write through, deferred (BatchStore) or at once (PgStore). */
export interface ServerStore extends Store {
  readonly changedShares: Set<string>;
  /** Any pulled table, including the accounts' public rows; `only`: the shares that hold it (a row without scope). */
  putRecord(table: PulledTable, row: Record<string, unknown> & { id: string }, only?: readonly string[]): Promise<void>;
  /** The next value of a named counter (a year's case numbers), in this transaction. */
  nextCounter(name: string): Promise<number>;
}

export class PgStore implements ServerStore {
  /** Share keys whose desks should be told to pull after commit. */
  readonly changedShares = new Set<string>();
  /** A shared setting was written (the pack, a calendar, the hospital's facts): a cached review context is stale. */
  wroteSettings = false;
  private readonly touchedCases = new Set<string>();
  private readonly touchedPersons = new Set<string>();

  constructor(
    private readonly tx: Orm,
    private readonly auditKey: AuditKey,
  ) {}

  async get<T extends TableName>(table: T, id: string): Promise<TableRows[T] | undefined> {
    const rows = rowsOf<{ data: TableRows[T] }>(await this.tx.execute(sql`select data from records where tbl = ${table} and id = ${id}`));
    return rows[0]?.data;
  }

  async getMany<T extends TableName>(table: T, ids: readonly string[]): Promise<(TableRows[T] | undefined)[]> {
    if (ids.length === 0) return [];
    const rows = rowsOf<{ id: string; data: TableRows[T] }>(
      await this.tx.execute(sql`select id, data from records where tbl = ${table} and id = any(${sql.param([...ids])}::text[])`),
    );
    const byId = new Map(rows.map((r) => [r.id, r.data]));
    return ids.map((id) => byId.get(id));
  }

  async find<T extends TableName>(table: T, field: LookupField<T>, values: readonly string[]): Promise<TableRows[T][]> {
    const expr = FIELD[field];
    if (!expr) throw new Error(`not a lookup field: ${table}.${field}`);
    if (values.length === 0) return [];
    const rows = rowsOf<{ data: TableRows[T] }>(
      await this.tx.execute(sql`select data from records where tbl = ${table} and ${expr} = any(${sql.param([...values])}::text[])`),
    );
    return rows.map((r) => r.data);
  }

  async all<T extends 'physicians'>(table: T): Promise<TableRows[T][]> {
    return rowsOf<{ data: TableRows[T] }>(await this.tx.execute(sql`select data from records where tbl = ${table} order by id`)).map((r) => r.data);
  }

  async put<T extends TableName>(table: T, row: TableRows[T]): Promise<void> {
    await this.putRecord(table, row as unknown as Record<string, unknown> & { id: string });
  }

  /** Any pulled table, including the accounts' public rows. */
  async putRecord(table: PulledTable, row: Record<string, unknown> & { id: string }, only?: readonly string[]): Promise<void> {
    const scope = only ? null : scopeOf(table, row);
    this.touch(scope);
    if (table === 'settings') this.wroteSettings = true;
    // A new scoped row starts with the 医保办's share; finish() settles it before commit.
    const shares = only ? [...only] : scope ? [OFFICE_SHARE] : [ALL_SHARE];
    const rows = rowsOf<{ shares: string[] }>(
      await this.tx.execute(sql`
        insert into records (tbl, id, data, scope, shares, seq)
        values (${table}, ${row.id}, ${JSON.stringify(row)}::jsonb, ${scope}, ${sql.param(shares)}::text[], nextval('change_seq'))
        on conflict (tbl, id) do update
          set data = excluded.data, version = records.version + 1, scope = excluded.scope, seq = excluded.seq,
              shares = case when excluded.scope is null then excluded.shares else records.shares end
        returning shares`),
    );
    for (const s of rows[0]?.shares ?? shares) this.changedShares.add(s);
  }

  async delete<T extends TableName>(table: T, id: string): Promise<void> {
    const rows = rowsOf<{ shares: string[]; scope: string | null }>(await this.tx.execute(sql`delete from records where tbl = ${table} and id = ${id} returning shares, scope`));
    const gone = rows[0];
    if (!gone) return;
    if ((table as string) === 'settings') this.wroteSettings = true;
    this.touch(gone.scope);
    await this.removal(table, id, gone.shares);
  }

  async audit(event: AuditEvent): Promise<void> {
    await appendServerAudit(this.tx, this.auditKey, event);
  }

  async nextCounter(name: string): Promise<number> {
    const row = rowsOf<{ value: number | string }>(
      await this.tx.execute(sql`insert into counters (name, value) values (${name}, 1) on conflict (name) do update set value = counters.value + 1 returning value`),
    )[0];
    return Number(row?.value ?? 0);
  }

  async lastAuditSeq(): Promise<number | null> {
    const row = rowsOf<{ seq: number | string }>(await this.tx.execute(sql`select max(seq) as seq from audit`))[0];
    return row?.seq === null || row?.seq === undefined ? null : Number(row.seq);
  }

  async offersDue(now: Date, limit: number): Promise<Assignment[]> {
    return rowsOf<{ data: Assignment }>(
      await this.tx.execute(sql`
        select data from records
        where tbl = 'assignments' and data ->> 'state' = 'offered' and data ->> 'acceptBy' is not null and data ->> 'acceptBy' <= ${now.toISOString()}
        order by data ->> 'acceptBy' limit ${limit}`),
    ).map((r) => r.data);
  }

  private touch(scope: string | null) {
    if (scope?.startsWith('case:')) this.touchedCases.add(scope.slice(5));
    else if (scope?.startsWith('person:')) this.touchedPersons.add(scope.slice(7));
  }

  /** Records that a row left these shares (it was deleted in bulk by the caller). */
  removalOf(table: PulledTable, id: string, shares: readonly string[]) {
    return this.removal(table, id, shares);
  }

  private async removal(table: PulledTable, id: string, shares: readonly string[]) {
    if (shares.length === 0) return;
    await this.tx.execute(sql`insert into removals (seq, tbl, id, shares) values (nextval('change_seq'), ${table}, ${id}, ${sql.param([...shares])}::text[])`);
    for (const s of shares) this.changedShares.add(s);
  }

  /** Settles who holds what after the transaction's writes (src/server/shares.ts): call once, last, inside the transaction. */
  async finish(): Promise<void> {
    for (const s of await settleShares(this.tx, this.touchedCases, this.touchedPersons)) this.changedShares.add(s);
    this.touchedCases.clear();
    this.touchedPersons.clear();
  }
}
