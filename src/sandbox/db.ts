/**
 * The sandbox's database: PGlite (PostgreSQL in WebAssembly, no native build) persisted under
 * `<dataDir>/pgdata`, uploaded files under `<dataDir>/files`. PGlite runs one query at a time;
 * `db.transaction` holds it exclusively, which is what makes a 2503 check-then-insert atomic.
 *
 * A fresh PGlite data directory costs ~5 s of initdb. The first one made on a machine is copied
 * to a template directory in the cache, and later fresh data directories are copies of it
 * (a file copy, well under a second; unpacking PGlite's own tar dump took 1–3 s).
 *
 * Durability: every commit is synchronous (PostgreSQL's default, synchronous_commit = on), so a
 * transaction's WAL has been written to its file before the statement returns and before the
 * sandbox answers; PGlite's NodeFS writes straight through to the files (its syncToFs does
 * nothing, so `relaxedDurability` would not matter here and is left unset). A SIGKILL of the
 * process loses no answered transaction: the writes are in the operating system's cache and the
 * next start replays the WAL (test/integration/sandbox-kill.test.ts). PGlite runs with
 * fsync = off and its NodeFS has no fsync, so an operating-system crash or power loss can still
 * lose recent commits. Measured against asynchronous commit plus a timer flush: no difference in
 * sandbox CPU per 2503 (1.5–1.8 ms either way on a shared 2-core machine).
 */
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { checkLiteralSemantics, first, sql } from './sql';

export type Db = PGlite;


const SCHEMA = `
create table if not exists meta (key text primary key, value text not null);
create sequence if not exists platform_serial;
create table if not exists persons (
  psn_no text primary key,
  seq integer unique,
  certno text not null unique,
  psn_name text not null,
  gend text not null,
  naty text not null,
  brdy text not null,
  insutype text not null,
  insuplc_admdvs text not null,
  psn_type text not null,
  psn_insu_date text not null,
  emp_name text not null,
  ec_token text not null unique,
  card_no text not null unique,
  card_sn text not null
);
create table if not exists sessions (
  sign_no text primary key,
  fixmedins_code text not null,
  opter_no text not null,
  mac text not null,
  ip text not null,
  signed_in_at timestamptz not null,
  expires_at timestamptz not null,
  signed_out_at timestamptz
);
create table if not exists filings (
  trt_dcla_detl_sn text primary key,
  psn_no text not null,
  insutype text not null,
  opsp_dise_code text not null,
  opsp_dise_name text not null,
  tel text,
  addr text,
  insu_optins text not null,
  ide_fixmedins_no text not null,
  ide_fixmedins_name text not null,
  hosp_ide_date text not null,
  diag_dr_codg text not null,
  diag_dr_name text not null,
  begndate text not null,
  enddate text,
  status text not null check (status in ('active', 'revoked')),
  fixmedins_code text not null,
  opter text not null,
  msgid text not null,
  filed_at timestamptz not null,
  revoked_at timestamptz,
  revoke_msgid text,
  revoke_memo text,
  revoke_opter text
);
-- Set when the insurance centre has reviewed the filing; the hospital can no longer revoke it.
alter table filings add column if not exists reviewed_at timestamptz;
create index if not exists filings_psn_status on filings (psn_no, status);
create index if not exists filings_filed_at on filings (filed_at);
create table if not exists files (
  file_qury_no text primary key,
  kind text not null check (kind in ('upload', 'catalogue')),
  filename text not null,
  fixmedins_code text not null,
  size integer not null,
  sha256 text not null,
  msgid text not null,
  created_at timestamptz not null,
  dld_endtime timestamptz not null
);
create table if not exists recognitions (
  rcgn_sn text primary key,
  fixmedins_code text not null,
  hosp_rcgn_id text not null,
  psn_no text not null,
  content_hash text not null,
  data jsonb not null,
  msgid text not null,
  received_at timestamptz not null,
  unique (fixmedins_code, hosp_rcgn_id)
);
`;

const LOCK_FILE = 'sandbox.lock';

function pgliteVersion(): string {
  try {
    const require = createRequire(import.meta.url);
    const main = require.resolve('@electric-sql/pglite');
    const pkg = JSON.parse(fs.readFileSync(path.join(path.dirname(main), '..', 'package.json'), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** One sandbox per data directory: a second one would corrupt the PGlite files. */
function takeLock(dataDir: string): () => void {
  const file = path.join(dataDir, LOCK_FILE);
  const token = `${process.pid}:${randomBytes(6).toString('hex')}`;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      fs.writeFileSync(file, token, { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8') === token) fs.unlinkSync(file);
        } catch {
          // already gone
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = Number(fs.readFileSync(file, 'utf8').split(':')[0]);
      if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
        throw new Error(`数据目录 ${dataDir} 正被另一个沙箱使用（进程 ${holder}）`, { cause: e });
      }
      fs.unlinkSync(file); // stale: its process is gone
    }
  }
  throw new Error(`无法锁定数据目录 ${dataDir}`);
}

export interface OpenedDb {
  db: Db;
  filesDir: string;
  close(): Promise<void>;
}

export interface OpenDbOptions {
  dataDir: string;
  /** Where the initdb template is kept; default `<os tmpdir>/opsp-sandbox-cache`. */
  cacheDir?: string;
  log?: (line: string) => void;
}

/** Opens (creating when new) the database and files directory under dataDir. */
export async function openDb(options: OpenDbOptions): Promise<OpenedDb> {
  const dataDir = path.resolve(options.dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const release = takeLock(dataDir);
  try {
    const pgdata = path.join(dataDir, 'pgdata');
    const filesDir = path.join(dataDir, 'files');
    fs.mkdirSync(filesDir, { recursive: true });
    const fresh = !fs.existsSync(path.join(pgdata, 'PG_VERSION'));
    const cacheDir = options.cacheDir ?? path.join(os.tmpdir(), 'opsp-sandbox-cache');
    const template = path.join(cacheDir, `pglite-${pgliteVersion()}-initdb`);
    if (fresh) {
      // A directory without PG_VERSION is a half-made one (e.g. killed during initdb): start over.
      fs.rmSync(pgdata, { recursive: true, force: true });
      if (fs.existsSync(path.join(template, 'PG_VERSION'))) {
        fs.cpSync(template, pgdata, { recursive: true });
      } else {
        const init = await PGlite.create({ dataDir: pgdata });
        await init.close(); // a clean shutdown, so the directory can be copied
        saveTemplate(pgdata, template, options.log);
      }
    }
    const db = await PGlite.create({ dataDir: pgdata });
    await db.exec(SCHEMA);
    await checkLiteralSemantics(db);
    return {
      db,
      filesDir,
      async close() {
        try {
          if (!db.closed) await db.close(); // a shutdown checkpoint
        } finally {
          release();
        }
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}

function saveTemplate(pgdata: string, template: string, log?: (line: string) => void): void {
  const tmp = `${template}.${process.pid}.${randomBytes(4).toString('hex')}`;
  try {
    fs.mkdirSync(path.dirname(template), { recursive: true });
    fs.cpSync(pgdata, tmp, { recursive: true });
    fs.renameSync(tmp, template); // atomic: a parallel first run sees all of it or nothing
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    // Another process may have won the race; only a missing template is worth a word.
    if (!fs.existsSync(path.join(template, 'PG_VERSION'))) {
      log?.(`（提示）未能保存数据库模板，下次新建数据目录仍需约 5 秒：${(e as Error).message}`);
    }
  }
}

/** The next number of the platform's one sequence (filings, files, sessions, recognitions). */
export async function nextSerial(db: Pick<Db, 'exec'>): Promise<number> {
  const r = await first<{ n: string }>(db, sql`select nextval('platform_serial')::text as n`);
  return Number(r!.n);
}

/** Removes everything a run created; persons are kept unless `persons` is true. */
export async function wipe(db: Db, filesDir: string, persons: boolean): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.exec(`delete from filings; delete from sessions; delete from files; delete from recognitions;`);
    if (persons) await tx.exec('delete from persons');
  });
  for (const name of fs.readdirSync(filesDir)) fs.rmSync(path.join(filesDir, name), { force: true, recursive: true });
}
