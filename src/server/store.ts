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
import { OFFICE_ASSIGNEE } from '../shared/domain/work-item';
import { ALL_SHARE, OFFICE_SHARE, physicianShare, type PulledTable } from '../shared/hospital/protocol';
import type { LookupField, Store, TableName, TableRows } from '../shared/store/store';
import type { Orm } from './database';
import { appendServerAudit, type AuditKey } from './audit';

/** The lookups, each written out so the expression indexes of migration 2 serve them. */
const FIELD: Record<string, SQL> = {
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

export const rowsOf = <T>(result: unknown): T[] => (result as { rows?: T[] }).rows ?? [];

/** Which case or person a row goes with; null for rows every desk holds. */
function scopeOf(table: PulledTable, row: Record<string, unknown>): string | null {
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
      return null;
    default:
      return `case:${String(row['caseId'])}`;
  }
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x) => b.includes(x));

export class PgStore implements Store {
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

  /**
   * Settles who holds what after the transaction's writes: call once, last, inside the transaction.
   * A desk that starts holding a case gets all of its rows (they take new sequence numbers); one
   * that stops gets a removal.
   */
  async finish(): Promise<void> {
    for (const caseId of this.touchedCases) {
      const scope = `case:${caseId}`;
      // The case and its assignments, by scope alone (one index, whatever the statistics say).
      const rows = rowsOf<{ tbl: string; person: string | null; status: string | null; reviewer: string | null; state: string | null }>(
        await this.tx.execute(sql`
          select tbl, data ->> 'personId' as person, data ->> 'status' as status, data ->> 'reviewerId' as reviewer, data ->> 'state' as state
          from records where scope = ${scope} and tbl in ('cases', 'assignments')`),
      );
      const c = rows.find((r) => r.tbl === 'cases');
      if (c?.person) this.touchedPersons.add(c.person);
      // Whoever holds an offer or assignment of the case, and, until it is decided, whoever has
      // already concluded a stage of it (they follow it to its decision); a refusal or a lapse
      // ends a physician's share at once.
      const states = c && c.status !== 'decided' ? ['offered', 'accepted', 'completed'] : ['offered', 'accepted'];
      const reviewers = [
        ...new Set(rows.filter((r) => r.tbl === 'assignments' && r.state !== null && states.includes(r.state) && r.reviewer !== null).map((r) => r.reviewer!)),
      ].filter((r) => r !== OFFICE_ASSIGNEE);
      await this.settle(scope, 'cases', caseId, [OFFICE_SHARE, ...reviewers.map(physicianShare)].sort());
    }
    for (const personId of this.touchedPersons) {
      const held = rowsOf<{ share: string }>(
        await this.tx.execute(sql`
          select distinct unnest(shares) as share from records
          where tbl = 'cases' and data ->> 'personId' = ${personId}`),
      ).map((r) => r.share);
      await this.settle(`person:${personId}`, 'persons', personId, [...new Set([OFFICE_SHARE, ...held])].sort());
    }
    this.touchedCases.clear();
    this.touchedPersons.clear();
  }

  /**
   * When any row of the scope is not held by exactly these shares, every row of it takes them
   * and a new sequence number (a desk that starts holding it gets all of it); one statement.
   */
  private async settle(scope: string, table: 'cases' | 'persons', id: string, shares: string[]) {
    const wanted = sql.param(shares);
    const result = rowsOf<{ previous: string[] | null; n: number }>(
      await this.tx.execute(sql`
        with stale as (
          select 1 from records where scope = ${scope} and not (shares @> ${wanted}::text[] and shares <@ ${wanted}::text[]) limit 1
        ), updated as (
          update records set shares = ${wanted}::text[], seq = nextval('change_seq')
          where scope = ${scope} and exists (select 1 from stale)
          returning 1
        )
        select (select shares from records where tbl = ${table} and id = ${id}) as previous, (select count(*) from updated)::int as n`),
    )[0];
    if (!result?.n) return;
    const previous = result.previous ?? [];
    for (const s of shares) this.changedShares.add(s);
    const left = previous.filter((s) => !shares.includes(s));
    if (left.length && !sameSet(previous, shares)) await this.removal(table, id, left);
  }
}
