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
