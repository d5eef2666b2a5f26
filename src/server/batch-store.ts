/**
 * A push's unit of work: the `Store` the rules of src/shared see while the server applies a
 * desk's commands, with writes held in memory and written in a few set-based statements when the
 * push is done (`finish`), inside the push's transaction and under the write lock, so no other
 * writer sees the database between. Each command works in a layer of its own: a refused command's
 * layer is dropped (its writes, audit entries and counters vanish without a savepoint); an
 * applied one's joins the push.
 *
 * Reads see the database as it was when the push began (read once, then remembered) with the
 * push's own writes on top. Ids that a command's rule made (`fresh`) cannot be in the database
 * yet (they derive from the command's id, applied once), so lookups by them skip it.
 *
 * Anything that reads `records` or writes any table behind the store's back must `flush` first
 * and `invalidate` after (the command runner does this for the handlers marked `raw`).
 */
import { sql, type SQL } from 'drizzle-orm';
import { chainEntry, type AuditEntry, type AuditEvent } from '../shared/audit/chain';
import type { Assignment } from '../shared/domain/review';
import { ALL_SHARE, OFFICE_SHARE, type PulledTable } from '../shared/hospital/protocol';
import type { LookupField, TableName, TableRows } from '../shared/store/store';
import { sealHead, type AuditKey } from './audit';
import type { Orm } from './database';
import { rowsOf } from './rows';
import { caseShares, insertRemovals, personShares, settleShares } from './shares';
import { FIELD, scopeOf, type ServerStore } from './store';

type Row = Record<string, unknown> & { id: string };

/** Rows written by one statement of a flush. */
const FLUSH_ROWS = 1000;

interface Write {
  table: PulledTable;
  /** null: deleted. */
  row: Row | null;
  /** Explicit shares (a row only some desks hold, with no scope). */
  only?: readonly string[];
}

interface Layer {
  writes: Map<PulledTable, Map<string, Write>>;
  audits: (AuditEntry & { mac: string })[];
  counters: Map<string, number>;
  cases: Set<string>;
  persons: Set<string>;
  fresh: Set<string>;
  wroteSettings: boolean;
}

const newLayer = (): Layer => ({ writes: new Map(), audits: [], counters: new Map(), cases: new Set(), persons: new Set(), fresh: new Set(), wroteSettings: false });

/** A row's value of a lookup field as the SQL of store.ts compares it (`data ->> field`). */
function fieldText(row: Row, field: string): string | null {
  const v = row[field];
  if (v === null || v === undefined) return null;
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export class BatchStore implements ServerStore {
  /** Share keys whose desks should be told to pull after commit. */
  readonly changedShares = new Set<string>();
  private readonly base = newLayer();
  private layer: Layer | null = null;
  /** Rows read from the database (null: not there), by table and id. */
  private readonly known = new Map<string, Row | null>();
  /** Rows of the database by a lookup field's value ("tbl field value"). */
  private readonly found = new Map<string, Row[]>();
  private readonly whole = new Map<string, Row[]>();
  private head: { seq: number; hash: string } | null | undefined;
  private readonly counterBase = new Map<string, number>();

  constructor(
    private readonly tx: Orm,
    private readonly auditKey: AuditKey,
  ) {}

  /**
   * What the caller read at the start of the transaction, before any write: the chain's head, a
   * counter's value, a whole small table. Saves each its own query.
   */
  seed(known: { auditHead?: { seq: number; hash: string } | null; counters?: Record<string, number>; tables?: Partial<Record<PulledTable, Row[]>> }): void {
    if (known.auditHead !== undefined) this.head = known.auditHead;
    for (const [name, value] of Object.entries(known.counters ?? {})) this.counterBase.set(name, value);
    for (const [table, shared] of Object.entries(known.tables ?? {})) {
      // A copy: the caller may keep its rows for the next transaction, whatever a rule does to these.
      const rows = structuredClone(shared);
      this.whole.set(table, rows);
      for (const r of rows) this.known.set(`${table} ${r.id}`, r);
    }
  }

  /** Starts a command's layer. */
  begin(): void {
    this.layer = newLayer();
  }

  /** The command was applied: its layer joins the push. Whether it wrote a shared setting. */
  commit(): boolean {
    const l = this.layer;
    this.layer = null;
    if (!l) return false;
    for (const [table, rows] of l.writes) {
      const into = this.tableWrites(this.base, table);
      for (const [id, w] of rows) into.set(id, w);
    }
    this.base.audits.push(...l.audits);
    for (const [k, v] of l.counters) this.base.counters.set(k, v);
    for (const c of l.cases) this.base.cases.add(c);
    for (const p of l.persons) this.base.persons.add(p);
    for (const f of l.fresh) this.base.fresh.add(f);
    this.base.wroteSettings ||= l.wroteSettings;
    return l.wroteSettings;
  }

  /** The command was refused: nothing it did remains. */
  rollback(): void {
    this.layer = null;
  }

  /** Ids a command's rule made: no row of the database has them or refers to them yet. */
  markFresh(id: string): string {
    (this.layer ?? this.base).fresh.add(id);
    return id;
  }

  /** Whether writes to shared settings wait in memory (the review context reads them from the database). */
  get settingsPending(): boolean {
    return this.base.wroteSettings || (this.layer?.wroteSettings ?? false);
  }

  // ---- reads ----

  async get<T extends TableName>(table: T, id: string): Promise<TableRows[T] | undefined> {
    return (await this.getRow(table, id)) as TableRows[T] | undefined;
  }

  async getMany<T extends TableName>(table: T, ids: readonly string[]): Promise<(TableRows[T] | undefined)[]> {
    await this.load(table, ids.filter((id) => !this.written(table, id) && !this.isFresh(id) && !this.known.has(`${table} ${id}`)));
    return Promise.all(ids.map((id) => this.get(table, id)));
  }

  private async getRow(table: PulledTable, id: string): Promise<Row | undefined> {
    const w = this.written(table, id);
    if (w) return w.row ?? undefined;
    if (this.isFresh(id)) return undefined;
    const key = `${table} ${id}`;
    if (!this.known.has(key)) await this.load(table, [id]);
    return this.known.get(key) ?? undefined;
  }

  private async load(table: PulledTable, ids: readonly string[]) {
    if (!ids.length) return;
    const rows = rowsOf<{ id: string; data: Row }>(await this.tx.execute(sql`select id, data from records where tbl = ${table} and id = any(${sql.param([...ids])}::text[])`));
    for (const id of ids) this.known.set(`${table} ${id}`, null);
    for (const r of rows) this.known.set(`${table} ${r.id}`, r.data);
  }

  async find<T extends TableName>(table: T, field: LookupField<T>, values: readonly string[]): Promise<TableRows[T][]> {
    const expr = FIELD[field];
    if (!expr) throw new Error(`not a lookup field: ${table}.${field}`);
    if (values.length === 0) return [];
    const wanted = new Set(values);
    await this.lookUp(table, field, expr, [...wanted]);
    const fromDb = [...wanted].flatMap((v) => this.found.get(`${table} ${field} ${v}`) ?? []);
    return this.overlay(table, fromDb, (r) => wanted.has(fieldText(r, field) ?? '\u0000')) as TableRows[T][];
  }

  /** Reads ahead, in one query per table and field, what the push's commands will look up. */
  async prefetch(wants: readonly { table: TableName; field: string; value: string }[]): Promise<void> {
    const groups = new Map<string, { table: TableName; field: string; values: Set<string> }>();
    for (const w of wants) {
      const key = `${w.table} ${w.field}`;
      const g = groups.get(key) ?? { table: w.table, field: w.field, values: new Set<string>() };
      g.values.add(w.value);
      groups.set(key, g);
    }
    for (const g of groups.values()) {
      const expr = FIELD[g.field];
      if (expr) await this.lookUp(g.table, g.field, expr, [...g.values]);
    }
  }

  /** The database's rows by a field's values, each value read once per push. */
  private async lookUp(table: PulledTable, field: string, expr: SQL, values: readonly string[]) {
    const missing = values.filter((v) => !this.isFresh(v) && !this.found.has(`${table} ${field} ${v}`));
    if (!missing.length) return;
    const rows = rowsOf<{ data: Row }>(await this.tx.execute(sql`select data from records where tbl = ${table} and ${expr} = any(${sql.param(missing)}::text[])`)).map((r) => r.data);
    for (const v of missing) this.found.set(`${table} ${field} ${v}`, []);
    for (const r of rows) {
      const v = fieldText(r, field);
      if (v !== null) this.found.get(`${table} ${field} ${v}`)?.push(r);
      this.known.set(`${table} ${r.id}`, r);
    }
  }

  async all<T extends 'physicians'>(table: T): Promise<TableRows[T][]> {
    let rows = this.whole.get(table);
    if (!rows) {
      rows = rowsOf<{ data: Row }>(await this.tx.execute(sql`select data from records where tbl = ${table}`)).map((r) => r.data);
      this.whole.set(table, rows);
      for (const r of rows) this.known.set(`${table} ${r.id}`, r);
    }
    return (this.overlay(table, rows, () => true) as TableRows[T][]).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  async offersDue(now: Date, limit: number): Promise<Assignment[]> {
    const at = now.toISOString();
    const fromDb = rowsOf<{ data: Row }>(
      await this.tx.execute(sql`
        select data from records
        where tbl = 'assignments' and data ->> 'state' = 'offered' and data ->> 'acceptBy' is not null and data ->> 'acceptBy' <= ${at}
        order by data ->> 'acceptBy' limit ${limit + this.writeCount('assignments')}`),
    ).map((r) => r.data);
    const due = (this.overlay('assignments', fromDb, (r) => r['state'] === 'offered' && typeof r['acceptBy'] === 'string' && r['acceptBy'] <= at) as unknown as Assignment[])
      .sort((a, b) => (a.acceptBy! < b.acceptBy! ? -1 : a.acceptBy! > b.acceptBy! ? 1 : 0));
    return due.slice(0, limit);
  }

  async lastAuditSeq(): Promise<number | null> {
    const last = this.layer?.audits.at(-1) ?? this.base.audits.at(-1);
    if (last) return last.seq;
    return (await this.auditHead())?.seq ?? null;
  }

  /** Rows from the database as this push has left them: written rows replace theirs, new ones that `keep` join. */
  private overlay(table: PulledTable, fromDb: readonly Row[], keep: (r: Row) => boolean): Row[] {
    const out = new Map<string, Row>();
    for (const r of fromDb) {
      const w = this.written(table, r.id);
      if (!w) out.set(r.id, r);
    }
    for (const layer of this.layers()) {
      for (const [id, w] of layer.writes.get(table) ?? []) {
        if (w.row && keep(w.row)) out.set(id, w.row);
        else out.delete(id);
      }
    }
    return [...out.values()];
  }

  // ---- writes ----

  async put<T extends TableName>(table: T, row: TableRows[T]): Promise<void> {
    await this.putRecord(table, row as unknown as Row);
  }

  async putRecord(table: PulledTable, row: Row, only?: readonly string[]): Promise<void> {
    const l = this.current();
    this.tableWrites(l, table).set(row.id, { table, row, ...(only ? { only } : {}) });
    if (!only) this.touch(l, scopeOf(table, row));
    if (table === 'settings') l.wroteSettings = true;
  }

  async delete<T extends TableName>(table: T, id: string): Promise<void> {
    const row = await this.getRow(table, id);
    if (!row) return;
    const l = this.current();
    this.tableWrites(l, table).set(id, { table, row: null });
    this.touch(l, scopeOf(table, row));
    if ((table as string) === 'settings') l.wroteSettings = true;
  }

  async audit(event: AuditEvent): Promise<void> {
    const l = this.current();
    const previous = l.audits.at(-1) ?? this.base.audits.at(-1) ?? (await this.auditHead());
    const entry = chainEntry(previous ? ({ seq: previous.seq, hash: previous.hash } as AuditEntry) : undefined, event);
    l.audits.push({ ...entry, mac: this.auditKey.mac(entry.hash) });
  }

  /** The next value of a named counter (a year's case numbers), taken with this push. */
  async nextCounter(name: string): Promise<number> {
    const l = this.current();
    let value = l.counters.get(name) ?? this.base.counters.get(name) ?? this.counterBase.get(name);
    if (value === undefined) {
      const row = rowsOf<{ value: number | string }>(await this.tx.execute(sql`select value from counters where name = ${name}`))[0];
      value = Number(row?.value ?? 0);
      this.counterBase.set(name, value);
    }
    l.counters.set(name, value + 1);
    return value + 1;
  }

  // ---- to the database ----

  /**
   * Writes what the applied commands left in memory (rows, deletions, audit entries, counters),
   * in a fixed number of statements, and forgets what it had read (the database now holds the
   * writes). A command under way keeps its layer. Shares are settled by `finish`.
   */
  async flush(preset: ReadonlyMap<string, string[]> = new Map()): Promise<void> {
    const puts: { tbl: string; id: string; data: Row; scope: string | null; shares: string[]; ord: number }[] = [];
    const deletes: { tbl: string; id: string }[] = [];
    for (const [table, rows] of this.base.writes) {
      for (const [id, w] of rows) {
        if (!w.row) deletes.push({ tbl: table, id });
        else {
          const scope = w.only ? null : scopeOf(table, w.row);
          const shares = w.only ? [...w.only] : scope ? (preset.get(scope) ?? [OFFICE_SHARE]) : [ALL_SHARE];
          puts.push({ tbl: table, id, data: w.row, scope, shares, ord: puts.length });
        }
      }
    }
    if (deletes.length) {
      const gone = rowsOf<{ tbl: PulledTable; id: string; shares: string[]; scope: string | null }>(
        await this.tx.execute(sql`
          delete from records r using jsonb_to_recordset(${JSON.stringify(deletes)}::jsonb) as x(tbl text, id text)
          where r.tbl = x.tbl and r.id = x.id
          returning r.tbl, r.id, r.shares, r.scope`),
      );
      for (const g of gone) this.touch(this.base, g.scope);
      await insertRemovals(this.tx, gone);
      for (const g of gone) for (const s of g.shares) this.changedShares.add(s);
    }
    // A new scoped row starts with the 医保办's share (or what `preset` says); `finish` settles it.
    // An existing scoped row keeps its shares until then; a row without scope takes the shares
    // it is given. At most FLUSH_ROWS rows a statement (a calendar import may rewrite thousands).
    for (let i = 0; i < puts.length; i += FLUSH_ROWS) {
      const chunk = puts.slice(i, i + FLUSH_ROWS);
      const rows = rowsOf<{ shares: string[] }>(
        await this.tx.execute(sql`
          insert into records (tbl, id, data, scope, shares, seq)
          select x.tbl, x.id, x.data, x.scope, x.shares, nextval('change_seq')
          from jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) as x(tbl text, id text, data jsonb, scope text, shares text[], ord int)
          order by x.ord
          on conflict (tbl, id) do update
            set data = excluded.data, version = records.version + 1, scope = excluded.scope, seq = excluded.seq,
                shares = case when excluded.scope is null then excluded.shares else records.shares end
          returning shares`),
      );
      for (const r of rows) for (const s of r.shares) this.changedShares.add(s);
    }
    const audits = this.base.audits;
    if (audits.length) {
      const entries = audits.map((e) => ({ seq: e.seq, kind: e.kind, actor_id: e.actorId, at: e.at, subject: e.subject, detail: e.detail, prev_hash: e.prevHash, hash: e.hash, mac: e.mac }));
      const last = audits[audits.length - 1]!;
      await this.tx.execute(sql`
        with entries as (
          insert into audit (seq, kind, actor_id, at, subject, detail, prev_hash, hash, mac)
          select x.seq, x.kind, x.actor_id, x.at, x.subject, x.detail, x.prev_hash, x.hash, x.mac
          from jsonb_to_recordset(${JSON.stringify(entries)}::jsonb) as x(seq bigint, kind text, actor_id text, at text, subject text, detail jsonb, prev_hash text, hash text, mac text)
        )
        insert into server_info (key, value) values ('audit_head', ${sealHead(this.auditKey, last)}) on conflict (key) do update set value = excluded.value`);
      this.head = { seq: last.seq, hash: last.hash };
    }
    if (this.base.counters.size) {
      const counters = [...this.base.counters].map(([name, value]) => ({ name, value }));
      await this.tx.execute(sql`
        insert into counters (name, value) select x.name, x.value from jsonb_to_recordset(${JSON.stringify(counters)}::jsonb) as x(name text, value bigint)
        on conflict (name) do update set value = excluded.value`);
      for (const { name, value } of counters) this.counterBase.set(name, value);
    }
    this.base.writes.clear();
    // What the push made is in the database now: lookups by its ids must read it there.
    this.base.fresh.clear();
    this.base.audits = [];
    this.base.counters.clear();
    this.base.wroteSettings = false;
    this.forgetReads();
  }

  /** Someone wrote behind the store's back (a `raw` command): read everything again. */
  invalidate(): void {
    this.forgetReads();
    this.head = undefined;
    this.counterBase.clear();
  }

  /** Writes everything and settles who holds what: call once, last, inside the transaction. */
  async finish(): Promise<void> {
    const preset = this.freshShares();
    const cases = new Set([...this.base.cases].filter((id) => !preset.has(`case:${id}`)));
    const persons = new Set([...this.base.persons].filter((id) => !preset.has(`person:${id}`)));
    for (const [scope, person] of this.freshCasePersons) if (preset.has(scope) && !preset.has(`person:${person}`)) persons.add(person);
    await this.flush(preset);
    for (const s of await settleShares(this.tx, cases, persons)) this.changedShares.add(s);
    this.base.cases.clear();
    this.base.persons.clear();
  }

  private freshCasePersons = new Map<string, string>();

  /**
   * The shares of cases and persons this push made, whose every row is still in memory: written
   * with their rows (src/server/shares.ts's rule), so the settling after the flush has nothing
   * to rewrite for them.
   */
  private freshShares(): Map<string, string[]> {
    const preset = new Map<string, string[]>();
    this.freshCasePersons.clear();
    const byScope = new Map<string, Row[]>();
    for (const [table, rows] of this.base.writes) {
      if (table === 'settings' || table === 'users' || table === 'physicians' || table === 'conflicts') continue;
      for (const w of rows.values()) {
        if (!w.row || w.only) continue;
        const scope = scopeOf(table, w.row);
        if (!scope) continue;
        const list = byScope.get(scope);
        if (list) list.push({ ...w.row, tbl: table } as Row);
        else byScope.set(scope, [{ ...w.row, tbl: table } as Row]);
      }
    }
    const casesOfPerson = new Map<string, string[][]>();
    for (const caseId of this.base.cases) {
      if (!this.base.fresh.has(caseId)) continue;
      const rows = byScope.get(`case:${caseId}`) ?? [];
      const c = rows.find((r) => r['tbl'] === 'cases');
      if (!c) continue;
      const assignments = rows.filter((r) => r['tbl'] === 'assignments').map((a) => ({ reviewer: (a['reviewerId'] as string | null) ?? null, state: (a['state'] as string | null) ?? null }));
      const shares = caseShares((c['status'] as string | null) ?? null, assignments);
      preset.set(`case:${caseId}`, shares);
      const person = String(c['personId']);
      this.freshCasePersons.set(`case:${caseId}`, person);
      casesOfPerson.set(person, [...(casesOfPerson.get(person) ?? []), shares]);
    }
    for (const personId of this.base.persons) {
      if (!this.base.fresh.has(personId) || !this.written('persons', personId)?.row) continue;
      preset.set(`person:${personId}`, personShares((casesOfPerson.get(personId) ?? []).flat()));
    }
    return preset;
  }

  // ---- parts ----

  private forgetReads() {
    this.known.clear();
    this.found.clear();
    this.whole.clear();
  }

  private current(): Layer {
    return this.layer ?? this.base;
  }

  private *layers(): Iterable<Layer> {
    yield this.base;
    if (this.layer) yield this.layer;
  }

  private tableWrites(l: Layer, table: PulledTable): Map<string, Write> {
    let m = l.writes.get(table);
    if (!m) l.writes.set(table, (m = new Map()));
    return m;
  }

  private written(table: PulledTable, id: string): Write | undefined {
    return this.layer?.writes.get(table)?.get(id) ?? this.base.writes.get(table)?.get(id);
  }

  private writeCount(table: PulledTable): number {
    return (this.base.writes.get(table)?.size ?? 0) + (this.layer?.writes.get(table)?.size ?? 0);
  }

  private isFresh(id: string): boolean {
    return this.base.fresh.has(id) || (this.layer?.fresh.has(id) ?? false);
  }

  private touch(l: Layer, scope: string | null) {
    if (scope?.startsWith('case:')) l.cases.add(scope.slice(5));
    else if (scope?.startsWith('person:')) l.persons.add(scope.slice(7));
  }

  private async auditHead(): Promise<{ seq: number; hash: string } | null> {
    if (this.head === undefined) {
      const row = rowsOf<{ seq: number | string; hash: string }>(await this.tx.execute(sql`select seq, hash from audit order by seq desc limit 1`))[0];
      this.head = row ? { seq: Number(row.seq), hash: row.hash } : null;
    }
    return this.head;
  }
}
