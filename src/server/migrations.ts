/**
 * Versioned migrations: each is applied once, in order, in its own transaction together with its
 * row in `schema_migrations`, under a transaction-scoped advisory lock, so two server processes
 * starting on one database never apply the same step twice. A published migration is never
 * edited: a change is the next version.
 */
import { sql, type SQL } from 'drizzle-orm';
import type { Orm } from './database';

export interface Migration {
  version: number;
  name: string;
  /** One statement each: both drivers send a statement with its parameters as one prepared query. */
  up: readonly SQL[];
}

/** Taken by every migrating process; an arbitrary constant ("opsp" in ASCII). */
const MIGRATION_LOCK = 0x6f707370;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'server identity',
    // Which hospital database this is: a desk remembers the id and refuses to mix two servers' data.
    up: [
      sql`create table server_info (key text primary key, value text not null)`,
      sql`insert into server_info (key, value) values ('server_id', md5(random()::text || clock_timestamp()::text))`,
      sql`insert into server_info (key, value) values ('created_at', to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'))`,
    ],
  },
  {
    version: 2,
    name: 'records, change log, commands, accounts, desks, audit',
    up: [
      // Every record the desks share, one row per (table, id) as JSON (the zod schemas in
      // src/shared/domain are its shape). `seq` is the change log compacted to each row's latest
      // change: every write takes the next value in the same transaction, so a desk that pulls
      // "seq > cursor" gets the row as it now is. `scope` ties a row to the case ('case:<id>') or
      // person ('person:<id>') whose desks hold it; `shares` lists those desks' share keys.
      sql`create sequence change_seq`,
      sql`create table records (
        tbl text not null,
        id text not null,
        data jsonb not null,
        version integer not null default 1,
        scope text,
        shares text[] not null,
        seq bigint not null,
        -- Demo data (设置 → 载入演示数据): marked wherever it shows, removed by 正式启用.
        demo boolean not null default false,
        primary key (tbl, id)
      )`,
      sql`create index records_seq on records (seq)`,
      sql`create index records_scope on records (scope) where scope is not null`,
      // The lookups the shared rules make (src/shared/store/store.ts LOOKUP_FIELDS).
      sql`create index records_by_certno on records (tbl, (data ->> 'certNo'))`,
      sql`create index records_by_psnno on records (tbl, (data ->> 'psnNo'))`,
      sql`create index records_by_personid on records (tbl, (data ->> 'personId'))`,
      sql`create index records_by_status on records (tbl, (data ->> 'status'))`,
      sql`create index records_by_caseid on records (tbl, (data ->> 'caseId'))`,
      sql`create index records_by_assigneeid on records (tbl, (data ->> 'assigneeId'))`,
      sql`create index records_by_reviewerid on records (tbl, (data ->> 'reviewerId'))`,
      sql`create index records_by_state on records (tbl, (data ->> 'state'))`,
      sql`create index records_by_sha256 on records (tbl, (data ->> 'sha256'))`,
      sql`create index records_by_resultid on records (tbl, (data ->> 'resultId'))`,
      sql`create index records_by_department on records (tbl, (data ->> 'department'))`,
      // What left a share: a deleted row, or a case that left a physician's desk. A desk pulling
      // past it removes the row (a case with every row that belongs to it).
      sql`create table removals (
        seq bigint primary key,
        tbl text not null,
        id text not null,
        shares text[] not null,
        at timestamptz not null default now()
      )`,
      // Each command applied exactly once: its id commits with its effect; a repeat gets `result`.
      sql`create table commands (
        id text primary key,
        desk_id text not null,
        user_id text,
        kind text not null,
        made_at timestamptz not null,
        applied_at timestamptz not null default now(),
        state text not null,
        result jsonb not null
      )`,
      sql`create table accounts (
        id text primary key,
        username text not null unique,
        display_name text not null,
        role text not null,
        department text,
        password_hash text not null,
        must_change_password boolean not null default false,
        disabled boolean not null default false,
        failed_logins integer not null default 0,
        locked_until timestamptz,
        created_at timestamptz not null default now(),
        created_by text
      )`,
      // An enrolled desk holds a secret whose hash is here; an enrolment code is good once, briefly.
      sql`create table desks (
        id text primary key,
        name text not null,
        token_hash text not null unique,
        enrolled_at timestamptz not null default now(),
        enrolled_by text,
        last_seen timestamptz,
        revoked_at timestamptz
      )`,
      sql`create table enrolment_codes (
        code_hash text primary key,
        desk_name text not null,
        made_by text,
        expires_at timestamptz not null,
        used_at timestamptz
      )`,
      sql`create table sessions (
        token_hash text primary key,
        user_id text not null references accounts (id),
        desk_id text not null references desks (id),
        created_at timestamptz not null default now(),
        expires_at timestamptz not null
      )`,
      // Numbers people read (case numbers per year: 'case:2026'), one row per counter.
      sql`create table counters (name text primary key, value bigint not null)`,
      // Material bytes, stored once by content hash.
      sql`create table blobs (
        sha256 text primary key,
        bytes bytea not null,
        size integer not null,
        mime text not null
      )`,
      // The audit chain: each entry hashes the one before; `mac` is keyed by a secret kept
      // outside the database, so rewriting the chain needs more than access to the tables.
      sql`create table audit (
        seq bigint primary key,
        kind text not null,
        actor_id text,
        at text not null,
        subject text not null,
        detail jsonb not null,
        prev_hash text not null,
        hash text not null,
        mac text not null
      )`,
    ],
  },
  {
    version: 3,
    name: 'platform outbox',
    up: [
      // The platform messages the server sends (src/shared/sync/outbox-item.ts), one row each:
      // the item as JSON, with what the runner looks up copied into columns. `platform` binds a
      // message to the platform it was made for; `due` is the item's dueKey (null: not due by itself).
      sql`create sequence outbox_seq`,
      sql`create table platform_outbox (
        id text primary key,
        seq bigint not null unique,
        lane text not null,
        platform text not null,
        status text not null,
        due double precision,
        rev integer not null,
        item jsonb not null
      )`,
      sql`create index platform_outbox_due on platform_outbox (platform, due) where due is not null`,
      sql`create index platform_outbox_lane on platform_outbox (lane, seq)`,
      sql`create index platform_outbox_status on platform_outbox (platform, status)`,
    ],
  },
];

async function ensureTable(orm: Orm): Promise<void> {
  await orm.execute(sql`
    create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      applied_at timestamptz not null default now()
    )
  `);
}

/** The highest version applied (0 on an empty database). */
export async function schemaVersion(orm: Orm): Promise<number> {
  await ensureTable(orm);
  const rows = (await orm.execute(sql`select coalesce(max(version), 0)::int as version from schema_migrations`)) as unknown;
  return Number(firstRow<{ version: number }>(rows)?.version ?? 0);
}

/** Applies every pending migration; returns the versions applied now. */
export async function migrate(orm: Orm, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  await ensureTable(orm);
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    const done = await orm.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`);
      const exists = firstRow(await tx.execute(sql`select 1 as one from schema_migrations where version = ${m.version}`));
      if (exists) return false;
      for (const statement of m.up) await tx.execute(statement);
      await tx.execute(sql`insert into schema_migrations (version, name) values (${m.version}, ${m.name})`);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}

/** The first row of a result, whichever driver produced it (node-postgres and PGlite both answer `{ rows }`). */
export function firstRow<T>(result: unknown): T | undefined {
  return (result as { rows?: T[] }).rows?.[0];
}
