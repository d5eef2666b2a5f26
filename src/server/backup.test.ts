import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { sql, type SQL } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freshPostgres } from '../../test/fixtures/server-db';
import { auditKeyFrom, verifyServerAudit } from './audit';
import { backupDatabase, BackupError, restoreDatabase, type BackupResult } from './backup';
import { openDatabase, type Orm, type ServerDb } from './database';
import { makeHospital, openAuditChain, write } from './hospital';
import { firstRow, migrate, MIGRATIONS, type Migration } from './migrations';

// Backup and restore on both databases and across them (PGlite ⇄ PostgreSQL). Besides the real
// tables, test-only migrations add tables holding every kind of value that must come back exactly:
// jsonb and json (whitespace, duplicate keys, raw line breaks), bytea (every byte value, megabytes),
// bigint past 2^53, timestamptz to the microsecond, text[] with NULL elements, numeric, floats,
// NULLs, Chinese text; a generated column; an identity column; a table that refers to itself; a
// sequence of its own; a trigger that must not fire while rows are loaded.

const PROBE: Migration[] = [
  {
    version: 90_001,
    name: 'backup probe: kinds of values',
    up: [
      sql`create table bk_kinds (
        id bigserial primary key,
        doc jsonb,
        raw json,
        blob bytea,
        big bigint,
        at timestamptz,
        local_at timestamp,
        day date,
        tags text[],
        note text,
        amount numeric,
        ratio double precision,
        flag boolean,
        twice bigint generated always as (big / 2) stored,
        touched text
      )`,
      sql`create function bk_touch() returns trigger language plpgsql as $$
        begin new.touched := 'trigger ' || clock_timestamp()::text; return new; end $$`,
      sql`create trigger bk_touch before insert or update on bk_kinds for each row execute function bk_touch()`,
    ],
  },
  {
    version: 90_002,
    name: 'backup probe: references, identity, a sequence',
    up: [
      // Named to sort before bk_kinds: the load must follow the foreign keys, not the names.
      sql`create table bk_children (
        id integer generated always as identity primary key,
        kind_id bigint not null references bk_kinds (id),
        parent_id integer references bk_children (id) deferrable initially immediate,
        label text not null
      )`,
      sql`create sequence bk_numbers start with 100`,
    ],
  },
];
/** A later migration that changes data: a restore of an older backup applies it after the load. */
const LATER: Migration = {
  version: 90_003,
  name: 'backup probe: a later migration',
  up: [sql`alter table bk_children add column upper_label text`, sql`update bk_children set upper_label = upper(label)`],
};
const ALL = [...MIGRATIONS, ...PROBE];

type Kind = 'PGlite' | 'PostgreSQL';
const kept: ServerDb[] = [];
const scratch: ServerDb[] = [];
/** A new empty database; `keep` for one a describe block shares (else closed after the test). */
async function fresh(kind: Kind, keep = false): Promise<ServerDb> {
  const db = await openDatabase(kind === 'PGlite' ? { kind: 'pglite', dataDir: null } : { kind: 'postgres', url: await freshPostgres('backup_test') });
  (keep ? kept : scratch).push(db);
  return db;
}
afterEach(async () => {
  for (const db of scratch.splice(0)) await db.close().catch(() => undefined);
});

const work = mkdtempSync(join(tmpdir(), 'opsp-backup-test-'));
let files = 0;
const tempFile = (name = 'backup'): string => join(work, `${name}-${++files}.jsonl.gz`);

afterAll(async () => {
  for (const db of kept.splice(0)) await db.close().catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
});

const rows = async <T>(orm: Orm, statement: SQL): Promise<T[]> => ((await orm.execute(statement)) as unknown as { rows: T[] }).rows;

/** The tables of the database's schema, by name. */
async function tableNames(orm: Orm): Promise<string[]> {
  const found = await rows<{ name: string }>(
    orm,
    sql`select c.relname::text as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
         where n.nspname = current_schema() and c.relkind in ('r', 'p') order by 1`,
  );
  return found.map((r) => r.name);
}

/** Every row of every table as PostgreSQL renders it (in UTC, so both servers render alike), sorted. */
async function dump(db: ServerDb): Promise<Record<string, string[]>> {
  return db.orm.transaction(async (tx) => {
    await tx.execute(sql`set local timezone to 'UTC'`);
    const out: Record<string, string[]> = {};
    for (const name of await tableNames(tx as unknown as Orm)) {
      const found = await rows<{ j: string }>(tx as unknown as Orm, sql`select row_to_json(t)::text as j from ${sql.identifier(name)} t order by 1`);
      out[name] = found.map((r) => r.j);
    }
    return out;
  });
}

/** The values the restore must keep exactly, a few thousand rows of them, and a 3 MB blob. */
async function seed(orm: Orm): Promise<void> {
  await orm.execute(sql`insert into bk_kinds (doc) values (null)`); // every other column NULL
  await orm.execute(sql`
    insert into bk_kinds (doc, raw, blob, big, at, local_at, day, tags, note, amount, ratio, flag)
    values (
      ${JSON.stringify({ 姓名: '张三', 诊断: '高血压 Ⅲ 期', n: 1, nested: { arr: [1, null, '二', { deep: true }] }, emoji: '😀', text: '换行\n制表\t引号"反斜杠\\' })}::jsonb,
      ${'{\n  "保留": "空白与重复键" ,\r\n  "dup": 1, "dup": 2,\n  "big": 123456789012345678901234567890\n}'}::json,
      (select string_agg(set_byte('\\x00'::bytea, 0, i), ''::bytea order by i) from generate_series(0, 255) i),
      9007199254740993,
      '2024-02-29 23:59:59.123456+08',
      '1999-12-31 23:59:59.999999',
      '2024-02-29',
      ${sql.param(['a,b', '引号"与\\反斜杠', null, '', '{}', 'NULL'])}::text[],
      ${"中文备注：'单引号'，\"双引号\"，反斜杠\\，制表\t，换行\n结束"},
      123456789012345678901234567890.000000001,
      0.1,
      true
    )`);
  await orm.execute(sql`
    insert into bk_kinds (doc, blob, big, at, tags, note, amount, ratio, flag)
    values ('{"n": 12345678901234567890.123456789, "e": 1e-7}'::jsonb, ''::bytea, -9223372036854775808, 'infinity', '{}'::text[], '', 'NaN', 'Infinity', false)`);
  await orm.execute(sql`
    insert into bk_kinds (doc, blob, big, at, local_at, day, tags, note, amount, ratio, flag)
    select jsonb_build_object('i', i, '名称', '病例 ' || i, 'list', jsonb_build_array(i, i * 2)),
           sha256(int4send(i)),
           i::bigint * 1000000007,
           timestamptz '2025-01-01 00:00:00+08' + i * interval '1 minute 0.000001 second',
           timestamp '2025-06-01 08:00' + i * interval '1 second',
           date '2025-01-01' + (i % 400),
           array['标签' || (i % 7), case when i % 3 = 0 then null else 'x' || i end],
           case when i % 5 = 0 then null else '备注 ' || repeat('长', i % 50) end,
           i / 7.0,
           i / 3.0,
           i % 2 = 0
      from generate_series(1, 2500) i`);
  // One row of megabytes (scanned materials are bytea): the cursor's fetch must shrink for it.
  await orm.execute(sql`insert into bk_kinds (blob, note) select string_agg(sha256(int4send(i)), ''::bytea order by i), '大文件' from generate_series(1, 100000) i`);
  await orm.execute(sql`delete from bk_kinds where id = 7`); // a gap in the ids
  await orm.execute(sql`
    insert into bk_children (kind_id, label)
    select k.id, '子项 ' || k.id from bk_kinds k where k.id between 1 and 300 order by k.id`);
  // Each child refers to the next one (a row loaded before the row it refers to).
  await orm.execute(sql`update bk_children c set parent_id = c.id + 1 where c.id < (select max(id) from bk_children)`);
  await orm.execute(sql`select nextval('bk_numbers') from generate_series(1, 3)`);
}

const nextIds = async (db: ServerDb) => ({
  kinds: firstRow<{ id: string }>(await db.orm.execute(sql`insert into bk_kinds (note) values ('新行') returning id::text as id`))?.id,
  children: firstRow<{ id: number }>(await db.orm.execute(sql`insert into bk_children (kind_id, label) values (1, '新子项') returning id`))?.id,
  numbers: firstRow<{ n: string }>(await db.orm.execute(sql`select nextval('bk_numbers')::text as n`))?.n,
});

const pairs: [Kind, Kind][] = [
  ['PGlite', 'PGlite'],
  ['PGlite', 'PostgreSQL'],
  ['PostgreSQL', 'PostgreSQL'],
  ['PostgreSQL', 'PGlite'],
];

describe.each(pairs)('a backup made on %s, restored on %s', (from, to) => {
  let source: ServerDb;
  let target: ServerDb;
  let file: string;
  let made: BackupResult;
  let before: Record<string, string[]>;

  beforeAll(async () => {
    source = await fresh(from, true);
    await migrate(source.orm, ALL);
    await seed(source.orm);
    before = await dump(source);
    file = tempFile();
    made = await backupDatabase(source, file);
    target = await fresh(to, true);
    await restoreDatabase(target, file, { migrations: ALL });
  }, 120_000);

  it('says what it wrote: every table with its rows, the schema version and the server id', async () => {
    expect(made.tables.map((t) => t.name).sort()).toEqual(Object.keys(before).sort());
    for (const t of made.tables) expect(t.rows, t.name).toBe(before[t.name]!.length);
    expect(made.schemaVersion).toBe(90_002);
    expect(made.serverId).toMatch(/^[0-9a-f]{32}$/);
    expect(made.bytes).toBeGreaterThan(1_000_000);
  });

  it('restores every row of every table exactly, without firing the tables’ triggers', async () => {
    const after = await dump(target);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    for (const name of Object.keys(before)) expect(after[name], name).toEqual(before[name]);
    expect(before['bk_kinds']!.length).toBe(2503);
  });

  it('keeps the server’s identity: the restored database answers with the backup’s server_id', async () => {
    const id = firstRow<{ value: string }>(await target.orm.execute(sql`select value from server_info where key = 'server_id'`))?.value;
    expect(id).toBe(made.serverId);
  });

  it('continues every sequence after the restored rows (serial, identity, a sequence of its own)', async () => {
    const there = await nextIds(target);
    const here = await nextIds(source);
    expect(there).toEqual(here);
    expect(Number(there.kinds)).toBe(2505);
    expect(there.children).toBe(300);
    expect(there.numbers).toBe('103');
  });

  it('refuses to restore into the database it has just restored, naming what is there', async () => {
    await expect(restoreDatabase(target, file, { migrations: ALL })).rejects.toThrow(/目标数据库不是空的：.*bk_kinds（1000 行以上）/);
  });
});

describe.each(['PGlite', 'PostgreSQL'] as Kind[])('refusals on %s', (kind) => {
  let source: ServerDb;
  let file: string;
  /** An empty database every refusal below must leave empty. */
  let empty: ServerDb;

  beforeAll(async () => {
    source = await fresh(kind, true);
    await migrate(source.orm, ALL);
    await seed(source.orm);
    file = tempFile();
    await backupDatabase(source, file);
    empty = await fresh(kind, true);
  }, 120_000);

  const damaged: [string, (gz: Buffer) => Buffer][] = [
    ['cut short', (gz) => gz.subarray(0, Math.floor(gz.length / 2))],
    ['cut before its trailer', (gz) => gzipSync(Buffer.from(gunzipSync(gz).toString('utf8').replace(/\["trailer".*\n$/, '')))],
    ['with a byte changed in the compressed stream', (gz) => Buffer.from(gz).fill(gz[gz.length >> 1]! ^ 0xff, gz.length >> 1, (gz.length >> 1) + 1)],
    ['with one row changed, validly compressed', (gz) => gzipSync(Buffer.from(gunzipSync(gz).toString('utf8').replace('"子项 1"', '"子项 X"')))],
    ['with one row dropped, validly compressed', (gz) => gzipSync(Buffer.from(gunzipSync(gz).toString('utf8').replace(/\n\{"id":2,[^\n]*/, '')))],
    ['empty', () => Buffer.alloc(0)],
    ['not compressed', (gz) => gunzipSync(gz)],
  ];

  it.each(damaged)('refuses a file %s and leaves the empty target untouched', async (_label, spoil) => {
    const bad = tempFile('damaged');
    writeFileSync(bad, spoil(readFileSync(file)));
    const attempt = restoreDatabase(empty, bad, { migrations: ALL });
    await expect(attempt).rejects.toBeInstanceOf(BackupError);
    await expect(attempt).rejects.toThrow(/已损坏或不完整|不是院内服务器的备份文件/);
    expect(await tableNames(empty.orm)).toEqual([]);
  });

  it('refuses a file that is not a backup, and one that does not exist', async () => {
    const other = tempFile('other');
    writeFileSync(other, gzipSync(Buffer.from('{"format":"something-else"}\n')));
    await expect(restoreDatabase(empty, other, { migrations: ALL })).rejects.toThrow(/不是院内服务器的备份文件/);
    await expect(restoreDatabase(empty, join(work, 'missing.jsonl.gz'), { migrations: ALL })).rejects.toThrow(/找不到备份文件/);
    expect(await tableNames(empty.orm)).toEqual([]);
  });

  it('a load that fails part-way (a broken reference, checksums intact) leaves nothing behind', async () => {
    const bad = tempFile('dangling');
    writeFileSync(bad, rewrite(readFileSync(file), (line) => line.replace(/^\{"id":5,"kind_id":5,/, '{"id":5,"kind_id":999999,')));
    await expect(restoreDatabase(empty, bad, { migrations: ALL })).rejects.toThrow(/恢复失败，数据库未做任何改动/);
    expect(await tableNames(empty.orm)).toEqual([]);
  });

  it('refuses a target that holds data, naming the tables, and changes nothing there', async () => {
    const target = await fresh(kind);
    await migrate(target.orm, ALL);
    await target.orm.execute(sql`insert into bk_kinds (note) values ('已有数据')`);
    await target.orm.execute(sql`insert into accounts (id, username, display_name, role, password_hash) values ('u1', 'admin', '管理员', 'admin', 'x')`);
    const held = await dump(target);
    await expect(restoreDatabase(target, file, { migrations: ALL })).rejects.toThrow(/目标数据库不是空的：accounts（1 行）、bk_kinds（1 行）/);
    expect(await dump(target)).toEqual(held);
  });

  it('refuses a database of something else, naming its tables', async () => {
    const target = await fresh(kind);
    await target.orm.execute(sql`create table patients (id integer primary key)`);
    await expect(restoreDatabase(target, file, { migrations: ALL })).rejects.toThrow(/目标数据库不是空的：其中已有表 patients，且不是院内服务器的数据库/);
    expect(await tableNames(target.orm)).toEqual(['patients']);
  });

  it('loads into a database the migrations have set up but nobody has used, replacing its new identity', async () => {
    const target = await fresh(kind);
    await migrate(target.orm, ALL);
    const restored = await restoreDatabase(target, file, { migrations: ALL });
    expect(await dump(target)).toEqual(await dump(source));
    expect(firstRow<{ value: string }>(await target.orm.execute(sql`select value from server_info where key = 'server_id'`))?.value).toBe(restored.serverId);
  });

  it('refuses a backup of a newer schema than this code knows', async () => {
    await expect(restoreDatabase(empty, file, { migrations: MIGRATIONS })).rejects.toThrow(
      new RegExp(`备份来自结构版本 90002 的数据库，本程序只认识到版本 ${MIGRATIONS.at(-1)!.version}`),
    );
    expect(await tableNames(empty.orm)).toEqual([]);
  });

  it('says why it cannot write a backup, leaving no partial file', async () => {
    const nowhere = join(work, 'no-such-folder', 'backup.jsonl.gz');
    await expect(backupDatabase(source, nowhere)).rejects.toThrow(/无法写入备份文件 .*：所在目录不存在/);
    expect(existsSync(`${nowhere}.part`)).toBe(false);
  });

  it('refuses to back up a database that is not the hospital server’s', async () => {
    await expect(backupDatabase(empty, tempFile('none'))).rejects.toThrow(/不是院内服务器的数据库（没有 schema_migrations 与 server_info 表），未备份/);
  });

  it('refuses a target already migrated past the backup', async () => {
    const target = await fresh(kind);
    await migrate(target.orm, [...ALL, LATER]);
    await expect(restoreDatabase(target, file, { migrations: [...ALL, LATER] })).rejects.toThrow(/目标数据库已升级到结构版本 90003，高于备份的版本 90002/);
  });

  it('restores an older backup at its own version, then applies the later migrations to the restored rows', async () => {
    const target = await fresh(kind);
    const restored = await restoreDatabase(target, file, { migrations: [...ALL, LATER] });
    expect(restored).toMatchObject({ schemaVersion: 90_002, finalSchemaVersion: 90_003, applied: [90_003] });
    const labels = await rows<{ label: string; upper_label: string }>(target.orm, sql`select label, upper_label from bk_children where id = 1`);
    expect(labels).toEqual([{ label: '子项 1', upper_label: '子项 1' }]);
    expect(firstRow<{ n: number }>(await target.orm.execute(sql`select count(*)::int as n from bk_children where upper_label is null`))?.n).toBe(0);
  });
});

/** Edits a backup's row lines and writes a file whose checksums match again (a well-formed but wrong backup). */
function rewrite(gz: Buffer, edit: (line: string) => string): Buffer {
  const lines = gunzipSync(gz).toString('utf8').split('\n').slice(0, -1);
  const whole = createHash('sha256');
  const tables: { name: string; rows: number; sha256: string }[] = [];
  let current: { name: string; rows: number; hash: ReturnType<typeof createHash> } | undefined;
  const finish = () => {
    if (current) tables.push({ name: current.name, rows: current.rows, sha256: current.hash.digest('hex') });
    current = undefined;
  };
  const out: string[] = [];
  for (const [i, original] of lines.entries()) {
    if (original.startsWith('["trailer"')) break;
    const line = i > 0 && original.startsWith('{') ? edit(original) : original;
    if (line.startsWith('["table"')) {
      finish();
      current = { name: (JSON.parse(line) as [string, string])[1], rows: 0, hash: createHash('sha256') };
    } else if (i > 0 && current) {
      current.rows += 1;
      current.hash.update(`${line}\n`);
    }
    whole.update(`${line}\n`);
    out.push(line);
  }
  finish();
  out.push(JSON.stringify(['trailer', { tables, sha256: whole.digest('hex') }]));
  return gzipSync(Buffer.from(`${out.join('\n')}\n`));
}

describe.each(['PGlite', 'PostgreSQL'] as Kind[])('the hospital’s records and audit chain on %s', (kind) => {
  it('come back intact: every case, review and certification, every audit entry, and the chain verifies with the server’s key', async () => {
    const secret = randomBytes(32);
    const source = await fresh(kind);
    await migrate(source.orm);
    const hospital = makeHospital(source, { auditKey: auditKeyFrom(secret), resourcesDir: resolve('resources') });
    await openAuditChain(hospital);
    for (let i = 1; i <= 20; i++) {
      await write(hospital, async (store) => {
        await store.putRecord('cases', { id: `case-${i}`, personId: `person-${i}`, status: 'reviewing', title: `病例 ${i}` });
        await store.putRecord('reviews', { id: `review-${i}`, caseId: `case-${i}`, reviewerId: 'doctor-1', verdict: i % 2 ? '符合' : '不符合' });
        await store.putRecord('certifications', { id: `cert-${i}`, caseId: `case-${i}`, personId: `person-${i}`, state: 'certified' });
        await store.audit({ kind: 'case.concluded', actorId: 'doctor-1', at: new Date(Date.UTC(2026, 0, i)).toISOString(), subject: `case-${i}`, detail: { 结论: '符合', i } });
      });
    }
    const key = auditKeyFrom(secret);
    expect(await verifyServerAudit(source.orm, key)).toMatchObject({ ok: true });
    const file = tempFile('hospital');
    await backupDatabase(source, file);

    const target = await fresh(kind === 'PGlite' ? 'PostgreSQL' : 'PGlite');
    const restored = await restoreDatabase(target, file);
    expect(await dump(target)).toEqual(await dump(source));
    const counts = Object.fromEntries(
      (await rows<{ tbl: string; n: number }>(target.orm, sql`select tbl, count(*)::int as n from records group by tbl order by tbl`)).map((r) => [r.tbl, r.n]),
    );
    expect(counts).toEqual({ cases: 20, certifications: 20, reviews: 20 });
    expect(restored.tables.find((t) => t.name === 'audit')?.rows).toBe(21);
    expect(await verifyServerAudit(target.orm, key)).toMatchObject({ ok: true });
    // The key is not in the backup: with another key the restored chain does not verify.
    expect(await verifyServerAudit(target.orm, auditKeyFrom(randomBytes(32)))).toMatchObject({ ok: false });
    // The restored server goes on writing its chain where it stopped.
    const next = makeHospital(target, { auditKey: key, resourcesDir: resolve('resources') });
    await write(next, (store) => store.audit({ kind: 'case.reopened', actorId: 'office-1', at: new Date(Date.UTC(2026, 1, 1)).toISOString(), subject: 'case-1', detail: {} }));
    expect(await verifyServerAudit(target.orm, key)).toMatchObject({ ok: true });
  }, 120_000);
});

describe('the command line', () => {
  const run = (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((done) => {
      execFile('npx', ['tsx', 'src/server/cli.ts', ...args], { cwd: resolve('.'), timeout: 120_000, encoding: 'utf8' }, (error, stdout, stderr) => {
        done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
      });
    });

  it('backs up a PGlite folder and restores it into a new one, end to end', async () => {
    const from = join(work, 'cli-source');
    const db = await openDatabase({ kind: 'pglite', dataDir: from });
    await migrate(db.orm);
    await db.orm.execute(sql`insert into records (tbl, id, data, shares, seq) values ('cases', 'case-1', ${JSON.stringify({ id: 'case-1', 姓名: '李四' })}::jsonb, ${sql.param(['office'])}::text[], nextval('change_seq'))`);
    const before = await dump(db);
    await db.close();

    const file = join(work, 'cli.jsonl.gz');
    const backedUp = await run(['backup', '--out', file, '--data', from]);
    expect(backedUp.stderr).toBe('');
    expect(backedUp.code).toBe(0);
    expect(backedUp.stdout).toMatch(/已备份 PGlite（内置） .*cli-source 到 .*cli\.jsonl\.gz：\d+ 张表，\d+ 行，\d+ 个序列，[\d,]+ 字节（结构版本 \d+，服务器标识 [0-9a-f]{32}/);
    expect(backedUp.stdout).toMatch(/records\s+1 行/);

    const into = join(work, 'cli-restored');
    const restored = await run(['restore', '--from', file, '--data', into]);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/已从 .*cli\.jsonl\.gz 恢复到 PGlite（内置） .*cli-restored：\d+ 张表，\d+ 行/);
    const check = await openDatabase({ kind: 'pglite', dataDir: into });
    expect(await dump(check)).toEqual(before);
    await check.close();

    const again = await run(['restore', '--from', file, '--data', into]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/目标数据库不是空的：records（1 行）、server_info（2 行）/);
  }, 120_000);

  it('refuses a damaged file (exit 1) without leaving a new folder behind', async () => {
    const bad = join(work, 'cli-bad.jsonl.gz');
    writeFileSync(bad, gzipSync(Buffer.from('{"format":"opsp-server-backup","version":1}\n')));
    const into = join(work, 'cli-never');
    const result = await run(['restore', '--from', bad, '--data', into]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/已损坏或不完整/);
    expect(existsSync(into)).toBe(false);
  }, 60_000);

  it('refuses a PGlite folder that is open (exit 1), and wrong arguments (exit 2)', async () => {
    const dir = join(work, 'cli-busy');
    const db = await openDatabase({ kind: 'pglite', dataDir: dir });
    try {
      const busy = await run(['backup', '--out', join(work, 'busy.jsonl.gz'), '--data', dir]);
      expect(busy.code).toBe(1);
      expect(busy.stderr).toMatch(/正被院内服务器或工作站使用/);
    } finally {
      await db.close();
    }
    const unknown = await run(['frobnicate', '--data', dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/未知的子命令：frobnicate/);
    const noOut = await run(['backup', '--data', dir]);
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toMatch(/请用 --out 指定备份文件/);
    const both = await run(['restore', '--from', 'x', '--data', dir, '--database', 'postgres://h/db']);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--database 与 --data 只能选一个/);
  }, 120_000);
});
