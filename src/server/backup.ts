/**
 * Backup and restore of the hospital server's database (architecture.md §10), the same on both
 * drivers (PGlite and a PostgreSQL server):
 *
 *   npm run server -- backup --out FILE (--database URL | --data DIR)
 *   npm run server -- restore --from FILE (--database URL | --data DIR)
 *
 * A backup is one consistent snapshot (a single repeatable-read, read-only transaction) of every
 * table and sequence in the schema the migrations create their tables in (`current_schema()`,
 * normally `public`), found in the catalog, so a table a later migration adds is included without
 * a change here. The file is gzip'd JSON lines:
 *
 *   {"format":"opsp-server-backup","version":1,"serverId":…,"schemaVersion":…,"tables":[…],"sequences":[…],…}
 *   ["table","server_info"]
 *   {"key":"server_id","value":"…"}                 one line per row: row_to_json, as PostgreSQL wrote it
 *   ["row","{…}"]                                   a row whose JSON holds a raw line break (a json column)
 *   ["table","…"] …
 *   ["trailer",{"tables":[{"name","rows","sha256"}],"sha256":"…"}]
 *
 * Row lines are never parsed in JavaScript: PostgreSQL writes them (`row_to_json`) and reads them
 * back (`json_populate_recordset`), so jsonb, bytea, bigint beyond 2^53, timestamptz with its
 * microseconds, arrays and NULLs come back exactly. The trailer holds each table's row count and
 * SHA-256 and the SHA-256 of every line before it; gzip adds its own CRC. A restore first reads the
 * whole file and checks all of it, and only then touches the database; the load itself is one
 * transaction, so a refused or failed restore leaves the target as it was.
 *
 * Restore only into an empty database: no tables, or only what the migrations created, holding
 * only the rows the migrations wrote (told apart by their transaction: such a row carries the same
 * `xmin` as the migration's own row in `schema_migrations`). It migrates the target to the backup's
 * schema version, replaces the migrations' rows with the backup's (a restored server keeps its
 * server_id), loads every table, sets every sequence to where it stood (and past every restored
 * id), and then applies the migrations this code has beyond the backup's version.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { DatabaseKind, Orm, ServerDb } from './database';
import { migrate, MIGRATIONS, type Migration } from './migrations';
import { analyzeRecords } from './hospital';

export const BACKUP_FORMAT = 'opsp-server-backup';
export const BACKUP_FORMAT_VERSION = 1;

/** Restore sends rows in batches of at most this many rows … */
const BATCH_ROWS = 1000;
/** … and at most about this many characters of JSON. */
const BATCH_CHARS = 4 * 1024 * 1024;
/** A backup fetches rows through a cursor, as many per fetch as keep one fetch near this size. */
const FETCH_TARGET_CHARS = 4 * 1024 * 1024;
const FETCH_MAX_ROWS = 2000;
const CURSOR = 'opsp_backup_rows';
const RESTORE_SAVEPOINT = 'opsp_restore_table';
const NEWLINE = Buffer.from('\n');

/** A refusal or failure with a message for the person at the console (Chinese). */
export class BackupError extends Error {
  override name = 'BackupError';
}

const integerText = z.string().regex(/^-?\d{1,19}$/);

const tableSchema = z.object({ name: z.string().min(1), columns: z.array(z.string().min(1)) });
const sequenceSchema = z.object({
  name: z.string().min(1),
  dataType: z.enum(['smallint', 'integer', 'bigint']),
  start: integerText,
  increment: integerText,
  min: integerText,
  max: integerText,
  cache: integerText,
  cycle: z.boolean(),
  lastValue: integerText,
  isCalled: z.boolean(),
});
const headerSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.literal(BACKUP_FORMAT_VERSION),
  serverId: z.string(),
  schemaVersion: z.number().int().nonnegative(),
  createdAt: z.string(),
  database: z.enum(['pglite', 'postgres']),
  postgresVersion: z.string(),
  schema: z.string().min(1),
  tables: z.array(tableSchema),
  sequences: z.array(sequenceSchema),
});
const summarySchema = z.object({ name: z.string(), rows: z.number().int().nonnegative(), sha256: z.string() });
const trailerSchema = z.object({ tables: z.array(summarySchema), sha256: z.string() });

export type BackupHeader = z.infer<typeof headerSchema>;
type SequenceState = z.infer<typeof sequenceSchema>;
export interface TableSummary {
  name: string;
  rows: number;
  sha256: string;
}

export interface BackupResult {
  file: string;
  /** Size of the file (compressed). */
  bytes: number;
  serverId: string;
  schemaVersion: number;
  tables: TableSummary[];
  sequences: number;
}

export interface RestoreResult {
  file: string;
  serverId: string;
  /** The backup's schema version, and the target's after the migrations that followed the load. */
  schemaVersion: number;
  finalSchemaVersion: number;
  /** Migrations this code has beyond the backup's version, applied after the load. */
  applied: number[];
  tables: TableSummary[];
  sequences: number;
}

export interface RestoreOptions {
  /** The migrations this code knows (tests add their own). */
  migrations?: readonly Migration[];
  /** Told each table as it is loaded. */
  progress?: (table: string, rows: number) => void;
}

// ---------------------------------------------------------------------------------------------
// The catalog: which tables, columns, keys and sequences there are

type Executor = Pick<Orm, 'execute'>;

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows?: T[] }).rows ?? [];
}

async function query<T>(orm: Executor, statement: SQL): Promise<T[]> {
  return rowsOf<T>(await orm.execute(statement));
}

interface TableInfo {
  name: string;
  /** Stored columns, in order (generated columns are left out: PostgreSQL computes them). */
  columns: string[];
  primaryKey: string[];
}

interface Catalog {
  schema: string;
  /** In load order: a table after the tables it refers to by foreign key (cycles: by name). */
  tables: TableInfo[];
  sequences: string[];
}

async function readCatalog(orm: Executor): Promise<Catalog> {
  const schema = (await query<{ s: string | null }>(orm, sql`select current_schema() as s`))[0]?.s;
  if (!schema) throw new BackupError('数据库没有可用的模式（search_path 为空）');
  const columns = await query<{ table_name: string; column_name: string | null }>(
    orm,
    sql`select c.relname::text as table_name, a.attname::text as column_name
          from pg_class c
          join pg_namespace n on n.oid = c.relnamespace
          left join pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
         where n.nspname = ${schema} and c.relkind in ('r', 'p') and not c.relispartition
         order by c.relname, a.attnum`,
  );
  const keys = await query<{ table_name: string; column_name: string }>(
    orm,
    sql`select c.relname::text as table_name, a.attname::text as column_name
          from pg_index i
          join pg_class c on c.oid = i.indrelid
          join pg_namespace n on n.oid = c.relnamespace
          join pg_attribute a on a.attrelid = c.oid and a.attnum = any(i.indkey)
         where i.indisprimary and n.nspname = ${schema}
         order by c.relname, array_position(i.indkey::int2[], a.attnum)`,
  );
  const references = await query<{ child: string; parent: string }>(
    orm,
    sql`select distinct c.relname::text as child, p.relname::text as parent
          from pg_constraint k
          join pg_class c on c.oid = k.conrelid
          join pg_namespace n on n.oid = c.relnamespace
          join pg_class p on p.oid = k.confrelid
          join pg_namespace pn on pn.oid = p.relnamespace
         where k.contype = 'f' and n.nspname = ${schema} and pn.nspname = ${schema} and c.oid <> p.oid`,
  );
  const sequences = await query<{ name: string }>(
    orm,
    sql`select c.relname::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = ${schema} and c.relkind = 'S' order by c.relname`,
  );

  const byName = new Map<string, TableInfo>();
  for (const row of columns) {
    let table = byName.get(row.table_name);
    if (!table) byName.set(row.table_name, (table = { name: row.table_name, columns: [], primaryKey: [] }));
    if (row.column_name !== null) table.columns.push(row.column_name);
  }
  for (const row of keys) byName.get(row.table_name)?.primaryKey.push(row.column_name);
  return { schema, tables: loadOrder(byName, references), sequences: sequences.map((s) => s.name) };
}

/** Kahn's order over foreign keys, ties and cycles broken by name, so that it is deterministic. */
function loadOrder(tables: Map<string, TableInfo>, references: { child: string; parent: string }[]): TableInfo[] {
  const parents = new Map<string, Set<string>>();
  for (const name of tables.keys()) parents.set(name, new Set());
  for (const { child, parent } of references) if (tables.has(child) && tables.has(parent)) parents.get(child)!.add(parent);
  const ordered: TableInfo[] = [];
  const remaining = new Set([...tables.keys()].sort());
  while (remaining.size) {
    const ready = [...remaining].find((name) => [...parents.get(name)!].every((p) => !remaining.has(p))) ?? [...remaining][0]!;
    remaining.delete(ready);
    ordered.push(tables.get(ready)!);
  }
  return ordered;
}

const qualified = (schema: string, name: string): SQL => sql`${sql.identifier(schema)}.${sql.identifier(name)}`;
const columnList = (columns: readonly string[]): SQL => sql.join(columns.map((c) => sql.identifier(c)), sql`, `);

async function readSequence(orm: Executor, schema: string, name: string): Promise<SequenceState> {
  const settings = (
    await query<Omit<SequenceState, 'name' | 'lastValue' | 'isCalled'>>(
      orm,
      sql`select s.data_type::text as "dataType", s.start_value::text as start, s.increment_by::text as increment,
                 s.min_value::text as min, s.max_value::text as max, s.cache_size::text as cache, s.cycle
            from pg_sequences s where s.schemaname = ${schema} and s.sequencename = ${name}`,
    )
  )[0];
  const state = (await query<{ last_value: string; is_called: boolean }>(orm, sql`select last_value::text as last_value, is_called from ${qualified(schema, name)}`))[0];
  if (!settings || !state) throw new BackupError(`无法读取序列 ${name}`);
  return { name, ...settings, lastValue: state.last_value, isCalled: state.is_called };
}

// ---------------------------------------------------------------------------------------------
// Backup

/** Writes one consistent snapshot of every table and sequence to `out` (replaced atomically). */
export async function backupDatabase(db: ServerDb, out: string, options: { progress?: (table: string, rows: number) => void } = {}): Promise<BackupResult> {
  const part = `${out}.part`;
  try {
    const result = await db.orm.transaction(
      async (tx) => {
        const catalog = await readCatalog(tx);
        const names = new Set(catalog.tables.map((t) => t.name));
        if (!names.has('schema_migrations') || !names.has('server_info')) {
          throw new BackupError(`数据库 ${db.where} 不是院内服务器的数据库（没有 schema_migrations 与 server_info 表），未备份`);
        }
        const serverId = (await query<{ value: string }>(tx, sql`select value from ${qualified(catalog.schema, 'server_info')} where key = ${'server_id'}`))[0]?.value ?? '';
        const version = (await query<{ v: number }>(tx, sql`select coalesce(max(version), 0)::int as v from ${qualified(catalog.schema, 'schema_migrations')}`))[0]?.v ?? 0;
        const postgresVersion = (await query<{ v: string }>(tx, sql`select current_setting('server_version') as v`))[0]?.v ?? '';
        const sequences: SequenceState[] = [];
        for (const name of catalog.sequences) sequences.push(await readSequence(tx, catalog.schema, name));
        const header: BackupHeader = {
          format: BACKUP_FORMAT,
          version: BACKUP_FORMAT_VERSION,
          serverId,
          schemaVersion: Number(version),
          createdAt: new Date().toISOString(),
          database: db.kind satisfies DatabaseKind,
          postgresVersion,
          schema: catalog.schema,
          tables: catalog.tables.map((t) => ({ name: t.name, columns: t.columns })),
          sequences,
        };
        const summaries: TableSummary[] = [];
        await pipeline(
          Readable.from(backupChunks(tx, catalog, header, summaries, options.progress), { objectMode: false }),
          createGzip(),
          createWriteStream(part),
        );
        return { header, summaries };
      },
      { isolationLevel: 'repeatable read', accessMode: 'read only' },
    );
    const handle = await open(part, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(part, out);
    return {
      file: out,
      bytes: (await stat(out)).size,
      serverId: result.header.serverId,
      schemaVersion: result.header.schemaVersion,
      tables: result.summaries,
      sequences: result.header.sequences.length,
    };
  } catch (e) {
    await rm(part, { force: true }).catch(() => undefined);
    if (e instanceof BackupError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BackupError(`无法写入备份文件 ${out}：所在目录不存在`, { cause: e });
    if (code === 'EACCES' || code === 'EPERM') throw new BackupError(`无权写入备份文件 ${out}`, { cause: e });
    if (code === 'ENOSPC') throw new BackupError(`磁盘空间不足，备份文件 ${out} 未写成`, { cause: e });
    throw new BackupError(`备份失败：${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}

/** The file's bytes, a fetch at a time; each table's rows and the whole file hashed on the way. */
async function* backupChunks(
  tx: Executor,
  catalog: Catalog,
  header: BackupHeader,
  summaries: TableSummary[],
  progress?: (table: string, rows: number) => void,
): AsyncGenerator<Buffer> {
  const whole = createHash('sha256');
  const emit = (text: string, table?: Hash): Buffer => {
    const bytes = Buffer.from(text, 'utf8');
    whole.update(bytes);
    table?.update(bytes);
    return bytes;
  };
  yield emit(`${JSON.stringify(header)}\n`);
  for (const table of catalog.tables) {
    yield emit(`${JSON.stringify(['table', table.name])}\n`);
    const hash = createHash('sha256');
    const ordered = table.primaryKey.length > 0 && table.primaryKey.every((c) => table.columns.includes(c));
    // The cursor reads the transaction's snapshot a fetch at a time, so a table of any size passes
    // through in pieces; rows in primary-key order, so that a backup of unchanged data is the same.
    await tx.execute(sql`declare ${sql.identifier(CURSOR)} no scroll cursor for
      select row_to_json(r)::text as j from (select ${columnList(table.columns)} from ${qualified(catalog.schema, table.name)}) r
      ${ordered ? sql`order by ${columnList(table.primaryKey)}` : sql``}`);
    let rows = 0;
    // Start small: a table of scanned materials can hold megabytes in one row.
    let size = 1;
    for (;;) {
      // FETCH takes its count only as a literal: an integer this function computed.
      const fetched = await query<{ j: string }>(tx, sql`fetch forward ${sql.raw(String(Math.trunc(size)))} from ${sql.identifier(CURSOR)}`);
      if (fetched.length === 0) break;
      let chars = 0;
      const lines: string[] = [];
      for (const { j } of fetched) {
        chars += j.length;
        // JSON may hold a raw line break only between tokens, and only a `json` column keeps one;
        // such a row is written as a JSON string, so that one line stays one row.
        lines.push(/[\r\n]/.test(j) ? JSON.stringify(['row', j]) : j, '\n');
      }
      rows += fetched.length;
      yield emit(lines.join(''), hash);
      if (fetched.length < size) break;
      size = Math.max(1, Math.min(FETCH_MAX_ROWS, size * 2, Math.floor(FETCH_TARGET_CHARS / Math.max(1, chars / fetched.length))));
    }
    await tx.execute(sql`close ${sql.identifier(CURSOR)}`);
    summaries.push({ name: table.name, rows, sha256: hash.digest('hex') });
    progress?.(table.name, rows);
  }
  yield Buffer.from(`${JSON.stringify(['trailer', { tables: summaries, sha256: whole.digest('hex') }])}\n`, 'utf8');
}

// ---------------------------------------------------------------------------------------------
// Reading a backup file

type BackupEvent =
  | { kind: 'header'; header: BackupHeader }
  | { kind: 'table'; name: string }
  | { kind: 'rows'; table: string; rows: string[] }
  | { kind: 'end'; tables: TableSummary[] };

const damaged = (file: string, why: string): BackupError =>
  new BackupError(`备份文件 ${file} 已损坏或不完整：${why}。未对数据库做任何改动，请换用完好的备份文件。`);

/** The decompressed file, a line at a time (without its line break). */
async function* linesOf(file: string): AsyncGenerator<Buffer> {
  const source = createReadStream(file);
  const gunzip = createGunzip();
  source.on('error', (e) => gunzip.destroy(e));
  source.pipe(gunzip);
  try {
    let carry: Buffer[] = [];
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      let start = 0;
      for (let end = chunk.indexOf(10, start); end !== -1; end = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, end);
        yield carry.length ? Buffer.concat([...carry, piece]) : piece;
        carry = [];
        start = end + 1;
      }
      if (start < chunk.length) carry.push(chunk.subarray(start));
    }
    if (carry.length) throw damaged(file, '最后一行不完整（文件被截断）');
  } catch (e) {
    if (e instanceof BackupError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new BackupError(`找不到备份文件：${file}`);
    if (code === 'EISDIR') throw new BackupError(`${file} 是目录，不是备份文件`);
    if (code === 'EACCES') throw new BackupError(`无权读取备份文件：${file}`);
    if (typeof code === 'string' && code.startsWith('Z_')) throw damaged(file, `解压失败（${(e as Error).message}）`);
    throw e;
  } finally {
    source.destroy();
    gunzip.destroy();
  }
}

/**
 * The backup's header, its rows in batches per table, and its end, after checking every line:
 * the order of the tables, each table's row count and SHA-256 and the whole file's against the
 * trailer. Anything amiss throws a BackupError (for the last table only after its rows were
 * yielded: a restore loads inside a transaction and so rolls back).
 */
async function* readBackup(file: string): AsyncGenerator<BackupEvent> {
  const whole = createHash('sha256');
  let header: BackupHeader | undefined;
  let current: { name: string; hash: Hash; rows: number; batch: string[]; chars: number } | undefined;
  const seen: TableSummary[] = [];
  let ended = false;

  const finishTable = function* (): Generator<BackupEvent> {
    if (!current) return;
    if (current.batch.length) yield { kind: 'rows', table: current.name, rows: current.batch };
    seen.push({ name: current.name, rows: current.rows, sha256: current.hash.digest('hex') });
    current = undefined;
  };

  for await (const line of linesOf(file)) {
    if (ended) throw damaged(file, '结尾校验行之后还有数据');
    if (!header) {
      header = parseHeader(file, line);
      whole.update(line).update(NEWLINE);
      yield { kind: 'header', header };
      continue;
    }
    let row: string | undefined;
    if (line[0] === 0x7b /* { */) row = line.toString('utf8');
    else {
      const tagged = parseTagged(file, line);
      if (tagged[0] === 'row' && typeof tagged[1] === 'string') row = tagged[1];
      else if (tagged[0] === 'table' && typeof tagged[1] === 'string') {
        whole.update(line).update(NEWLINE);
        yield* finishTable();
        const expected = header.tables[seen.length];
        if (expected?.name !== tagged[1]) throw damaged(file, `出现了意外的表 ${tagged[1]}`);
        current = { name: tagged[1], hash: createHash('sha256'), rows: 0, batch: [], chars: 0 };
        yield { kind: 'table', name: tagged[1] };
        continue;
      } else if (tagged[0] === 'trailer') {
        yield* finishTable();
        checkTrailer(file, header, tagged[1], seen, whole.digest('hex'));
        ended = true;
        continue;
      } else throw damaged(file, '出现了无法识别的行');
    }
    if (!current) throw damaged(file, '数据行不属于任何表');
    whole.update(line).update(NEWLINE);
    current.hash.update(line).update(NEWLINE);
    current.rows += 1;
    current.batch.push(row);
    current.chars += row.length;
    if (current.batch.length >= BATCH_ROWS || current.chars >= BATCH_CHARS) {
      yield { kind: 'rows', table: current.name, rows: current.batch };
      current.batch = [];
      current.chars = 0;
    }
  }
  if (!header) throw damaged(file, '文件是空的');
  if (!ended) throw damaged(file, '缺少结尾的校验行（文件被截断）');
  yield { kind: 'end', tables: seen };
}

function parseHeader(file: string, line: Buffer): BackupHeader {
  let value: unknown;
  try {
    value = JSON.parse(line.toString('utf8'));
  } catch {
    throw new BackupError(`${file} 不是院内服务器的备份文件（首行不是备份说明）`);
  }
  const format = (value as { format?: unknown } | null)?.format;
  if (format !== BACKUP_FORMAT) throw new BackupError(`${file} 不是院内服务器的备份文件`);
  const version = (value as { version?: unknown }).version;
  if (version !== BACKUP_FORMAT_VERSION) throw new BackupError(`备份文件 ${file} 的格式版本为 ${String(version)}，本程序只认识版本 ${BACKUP_FORMAT_VERSION}：请用更新的程序恢复`);
  const parsed = headerSchema.safeParse(value);
  if (!parsed.success) throw damaged(file, '首行的备份说明不完整');
  return parsed.data;
}

function parseTagged(file: string, line: Buffer): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(line.toString('utf8'));
  } catch {
    throw damaged(file, '出现了无法解析的行');
  }
  if (!Array.isArray(value) || typeof value[0] !== 'string') throw damaged(file, '出现了无法识别的行');
  return value;
}

function checkTrailer(file: string, header: BackupHeader, value: unknown, seen: TableSummary[], digest: string): void {
  const trailer = trailerSchema.safeParse(value);
  if (!trailer.success) throw damaged(file, '结尾的校验行不完整');
  if (seen.length !== header.tables.length) throw damaged(file, `应有 ${header.tables.length} 张表，只读到 ${seen.length} 张`);
  for (const [i, table] of seen.entries()) {
    const expected = trailer.data.tables[i];
    if (!expected || expected.name !== table.name) throw damaged(file, `校验行与表 ${table.name} 不符`);
    if (expected.rows !== table.rows) throw damaged(file, `表 ${table.name} 应有 ${expected.rows} 行，读到 ${table.rows} 行`);
    if (expected.sha256 !== table.sha256) throw damaged(file, `表 ${table.name} 的数据与校验值不符`);
  }
  if (trailer.data.tables.length !== seen.length) throw damaged(file, '校验行列出的表与文件中的不符');
  if (trailer.data.sha256 !== digest) throw damaged(file, '文件的校验值不符');
}

/** Reads the whole file and checks it (format, every table's rows and checksums); its header and tables. */
export async function verifyBackup(file: string): Promise<{ header: BackupHeader; tables: TableSummary[] }> {
  let header: BackupHeader | undefined;
  for await (const event of readBackup(file)) {
    if (event.kind === 'header') header = event.header;
    if (event.kind === 'end') return { header: header!, tables: event.tables };
  }
  throw damaged(file, '缺少结尾的校验行（文件被截断）');
}

// ---------------------------------------------------------------------------------------------
// Restore

const TRIGGER_ENABLE: Record<string, SQL> = { O: sql`enable trigger`, A: sql`enable always trigger`, R: sql`enable replica trigger` };

/**
 * Loads a backup into an empty database (see the file comment), in one transaction; refuses a
 * damaged file, a backup of a newer schema than this code knows, and a target that holds data.
 */
export async function restoreDatabase(db: ServerDb, from: string, options: RestoreOptions = {}): Promise<RestoreResult> {
  const migrations = options.migrations ?? MIGRATIONS;
  // Every line is checked before the database is touched.
  const { header } = await verifyBackup(from);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (header.schemaVersion > known) {
    throw new BackupError(`备份来自结构版本 ${header.schemaVersion} 的数据库，本程序只认识到版本 ${known}：请先把程序升级到与备份来源相同或更新的版本，再恢复`);
  }
  if (header.schemaVersion > 0 && !migrations.some((m) => m.version === header.schemaVersion)) {
    throw new BackupError(`本程序不认识备份的结构版本 ${header.schemaVersion}：备份可能来自另一分支的程序，未恢复`);
  }

  let restored: RestoreResult;
  try {
    restored = await db.orm.transaction(async (tx) => {
      const orm = tx as unknown as Orm;
      // Deferrable foreign keys (a table that refers to itself) are checked at commit.
      await orm.execute(sql`set constraints all deferred`);
      await assertEmpty(orm, header.schemaVersion);
      await migrate(orm, migrations.filter((m) => m.version <= header.schemaVersion));

      const catalog = await readCatalog(orm);
      const schema = catalog.schema;
      const target = new Map(catalog.tables.map((t) => [t.name, t]));
      assertSameTables(header, target);

      // The target's own triggers would rewrite or add rows while loading (a change log, a
      // timestamp): off for the load, back as they were after it, in this transaction.
      const triggers = await query<{ table_name: string; trigger_name: string; enabled: string }>(
        orm,
        sql`select c.relname::text as table_name, t.tgname::text as trigger_name, t.tgenabled::text as enabled
              from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = ${schema} and not t.tgisinternal and t.tgenabled <> 'D' and c.relkind in ('r', 'p')`,
      );
      for (const t of triggers) await orm.execute(sql`alter table ${qualified(schema, t.table_name)} disable trigger ${sql.identifier(t.trigger_name)}`);

      // What the migrations wrote (server_info's new identity, seed rows) gives way to the backup's.
      if (header.tables.length) await orm.execute(sql`truncate table ${sql.join(header.tables.map((t) => qualified(schema, t.name)), sql`, `)}`);

      let tables: TableSummary[] = [];
      let table: { name: string; columns: string[]; rows: number } | undefined;
      for await (const event of readBackup(from)) {
        if (event.kind === 'table') {
          if (table) {
            await orm.execute(sql`release savepoint ${sql.identifier(RESTORE_SAVEPOINT)}`);
            options.progress?.(table.name, table.rows);
          }
          const columns = header.tables.find((t) => t.name === event.name)!.columns;
          table = { name: event.name, columns, rows: 0 };
          // A table's rows in a subtransaction of their own: their xmin then differs from
          // schema_migrations' rows, so a restored database never passes for an empty one.
          await orm.execute(sql`savepoint ${sql.identifier(RESTORE_SAVEPOINT)}`);
        } else if (event.kind === 'rows' && table) {
          const into = qualified(schema, table.name);
          const list = columnList(table.columns);
          const json = `[${event.rows.join(',')}]`;
          await orm.execute(sql`insert into ${into} ${table.columns.length ? sql`(${list})` : sql``} overriding system value
                                select ${list} from json_populate_recordset(null::${into}, ${json}::json)`);
          table.rows += event.rows.length;
        } else if (event.kind === 'end') {
          if (table) {
            await orm.execute(sql`release savepoint ${sql.identifier(RESTORE_SAVEPOINT)}`);
            options.progress?.(table.name, table.rows);
          }
          tables = event.tables;
        }
      }

      // The deferred foreign keys checked now, before the later migrations alter these tables.
      await orm.execute(sql`set constraints all immediate`);
      for (const t of triggers) {
        await orm.execute(sql`alter table ${qualified(schema, t.table_name)} ${TRIGGER_ENABLE[t.enabled] ?? sql`enable trigger`} ${sql.identifier(t.trigger_name)}`);
      }
      await restoreSequences(orm, schema, header.sequences, catalog.sequences);
      await advanceOwnedSequences(orm, schema);
      const applied = await migrate(orm, migrations);
      const views = await query<{ name: string }>(orm, sql`select matviewname::text as name from pg_matviews where schemaname = ${schema} and ispopulated order by 1`);
      for (const view of views) await orm.execute(sql`refresh materialized view ${qualified(schema, view.name)}`);
      const finalVersion = (await query<{ v: number }>(orm, sql`select coalesce(max(version), 0)::int as v from ${qualified(schema, 'schema_migrations')}`))[0]?.v ?? 0;

      return {
        file: from,
        serverId: header.serverId,
        schemaVersion: header.schemaVersion,
        finalSchemaVersion: Number(finalVersion),
        applied,
        tables,
        sequences: header.sequences.length,
      };
    });
  } catch (e) {
    if (e instanceof BackupError) throw e;
    throw new BackupError(`恢复失败，数据库未做任何改动：${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  // The planner's statistics for the loaded rows (PGlite never gathers them by itself).
  await analyzeRecords({ db });
  return restored;
}

/**
 * Refuses a target that holds anything but what migrations made: a table no migration made, or a
 * row that a migration did not write (such a row carries another transaction's xmin than every
 * row of schema_migrations), or a schema newer than the backup's.
 */
async function assertEmpty(orm: Orm, backupVersion: number): Promise<void> {
  const catalog = await readCatalog(orm);
  if (catalog.tables.length === 0) return;
  const names = catalog.tables.map((t) => t.name);
  // Nothing else writes to them until this transaction ends (a server left running on the target).
  await orm.execute(sql`lock table ${sql.join(names.map((n) => qualified(catalog.schema, n)), sql`, `)} in access exclusive mode`);
  const shown = (list: string[]): string => (list.length > 8 ? `${list.slice(0, 8).join('、')} 等 ${list.length} 张表` : list.join('、'));
  if (!names.includes('schema_migrations')) {
    throw new BackupError(`目标数据库不是空的：其中已有表 ${shown(names)}，且不是院内服务器的数据库。只能恢复到新建的空数据库（或新的 PGlite 数据目录）`);
  }
  const migrationsTable = qualified(catalog.schema, 'schema_migrations');
  const holding: string[] = [];
  for (const table of catalog.tables) {
    if (table.name === 'schema_migrations') continue;
    const limit = 1000;
    const n = Number(
      (
        await query<{ n: number }>(
          orm,
          sql`select count(*)::int as n from (
                select 1 from ${qualified(catalog.schema, table.name)} t
                 where t.xmin::text not in (select m.xmin::text from ${migrationsTable} m)
                 limit ${limit + 1}) x`,
        )
      )[0]?.n ?? 0,
    );
    if (n > 0) holding.push(`${table.name}（${n > limit ? `${limit} 行以上` : `${n} 行`}）`);
  }
  if (holding.length) {
    throw new BackupError(`目标数据库不是空的：${shown(holding)}。恢复只能写入空数据库（新建的数据库，或新的 PGlite 数据目录；恢复前不要在其上启动服务器），未做任何改动`);
  }
  const version = Number((await query<{ v: number }>(orm, sql`select coalesce(max(version), 0)::int as v from ${migrationsTable}`))[0]?.v ?? 0);
  if (version > backupVersion) {
    throw new BackupError(`目标数据库已升级到结构版本 ${version}，高于备份的版本 ${backupVersion}：请恢复到新建的空数据库（恢复前不要在其上启动服务器），未做任何改动`);
  }
}

function assertSameTables(header: BackupHeader, target: Map<string, TableInfo>): void {
  const problems: string[] = [];
  for (const table of header.tables) {
    const there = target.get(table.name);
    if (!there) {
      problems.push(`表 ${table.name} 不存在`);
      continue;
    }
    const missing = table.columns.filter((c) => !there.columns.includes(c));
    const extra = there.columns.filter((c) => !table.columns.includes(c));
    if (missing.length) problems.push(`表 ${table.name} 缺少列 ${missing.join('、')}`);
    if (extra.length) problems.push(`表 ${table.name} 多出列 ${extra.join('、')}`);
  }
  const inBackup = new Set(header.tables.map((t) => t.name));
  for (const name of target.keys()) if (!inBackup.has(name)) problems.push(`备份中没有表 ${name}`);
  if (problems.length) {
    throw new BackupError(`备份与本程序在结构版本 ${header.schemaVersion} 下建出的数据库不一致：${problems.join('；')}。未做任何改动`);
  }
}

/** Each sequence as the backup found it; one the migrations did not create is created as it was. */
async function restoreSequences(orm: Orm, schema: string, sequences: readonly SequenceState[], existing: readonly string[]): Promise<void> {
  for (const s of sequences) {
    if (!existing.includes(s.name)) {
      // CREATE SEQUENCE takes its options only as literals: integers checked by the header's
      // schema (integerText), the type one of three words.
      const types: Record<SequenceState['dataType'], SQL> = { smallint: sql`smallint`, integer: sql`integer`, bigint: sql`bigint` };
      const n = (value: string): SQL => sql.raw(String(BigInt(value)));
      await orm.execute(
        sql`create sequence ${qualified(schema, s.name)} as ${types[s.dataType]} increment by ${n(s.increment)}
              minvalue ${n(s.min)} maxvalue ${n(s.max)} start with ${n(s.start)} cache ${n(s.cache)} ${s.cycle ? sql`cycle` : sql`no cycle`}`,
      );
    }
    await orm.execute(sql`select setval(format('%I.%I', ${schema}::text, ${s.name}::text)::regclass, ${s.lastValue}::bigint, ${s.isCalled})`);
  }
}

/**
 * A serial or identity column's sequence, if it would hand out a value a restored row already
 * holds, moves past the column's largest value (ascending sequences: every serial and identity).
 */
async function advanceOwnedSequences(orm: Orm, schema: string): Promise<void> {
  const owned = await query<{ table_name: string; column_name: string; sequence_schema: string; sequence_name: string }>(
    orm,
    sql`select c.relname::text as table_name, a.attname::text as column_name,
               sn.nspname::text as sequence_schema, sc.relname::text as sequence_name
          from pg_attribute a
          join pg_class c on c.oid = a.attrelid
          join pg_namespace n on n.oid = c.relnamespace
          cross join lateral (select pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname)::regclass as seq) s
          join pg_class sc on sc.oid = s.seq
          join pg_namespace sn on sn.oid = sc.relnamespace
          join pg_sequence ps on ps.seqrelid = sc.oid
         where n.nspname = ${schema} and c.relkind in ('r', 'p') and not c.relispartition
           and a.attnum > 0 and not a.attisdropped and ps.seqincrement > 0`,
  );
  for (const o of owned) {
    await orm.execute(sql`
      select setval(format('%I.%I', ${o.sequence_schema}::text, ${o.sequence_name}::text)::regclass, m.top, true)
        from (select max(${sql.identifier(o.column_name)})::bigint as top from ${qualified(schema, o.table_name)}) m,
             ${qualified(o.sequence_schema, o.sequence_name)} s
       where m.top is not null and (case when s.is_called then s.last_value else s.last_value - 1 end) < m.top`);
  }
}
