/**
 * The hospital server's database, one query layer over two drivers (architecture.md §10):
 * PGlite (PostgreSQL compiled to WebAssembly, in the app's data folder: the embedded default, so
 * one PC works with no setup) or a PostgreSQL server on the hospital LAN (what IT runs, backs up
 * and replicates). Both are driven through Drizzle's PostgreSQL core, so every query is written
 * once, parameterised by the `sql` template (a value is always a bound parameter, never text
 * spliced into SQL).
 */
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import pg from 'pg';

export type DatabaseTarget =
  /** `dataDir` null: in memory (tests). */
  | { kind: 'pglite'; dataDir: string | null }
  | { kind: 'postgres'; url: string };

export type DatabaseKind = DatabaseTarget['kind'];

/** The one query interface the server uses, whichever driver is under it. */
export type Orm = PgDatabase<PgQueryResultHKT>;

export interface ServerDb {
  kind: DatabaseKind;
  orm: Orm;
  /** Where it lives, for logs and /health: a folder, or the URL without its password. */
  where: string;
  /**
   * Takes a session-level advisory lock on a connection of its own and keeps it until released
   * (or the process dies: the database then drops it). Undefined when another session holds it.
   * PGlite is one process's own database: the lock is always this process's.
   */
  holdLock(key: number): Promise<{ release(): Promise<void> } | undefined>;
  close(): Promise<void>;
}

/** A URL safe to print: the password, if any, replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '（无效的数据库地址）';
  }
}

export async function openDatabase(target: DatabaseTarget): Promise<ServerDb> {
  if (target.kind === 'pglite') {
    if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
    const client = target.dataDir ? new PGlite(target.dataDir) : new PGlite();
    await client.waitReady;
    return {
      kind: 'pglite',
      orm: drizzlePglite(client) as unknown as Orm,
      where: target.dataDir ?? '（内存）',
      holdLock: async () => ({ release: async () => undefined }),
      close: () => client.close(),
    };
  }
  // Room for the desks' requests and the platform runner's two dozen lanes at once.
  const pool = new pg.Pool({ connectionString: target.url, max: 20 });
  // Fail at start with the server's own words, not at the first request.
  const probe = await pool.connect().catch(async (e: unknown) => {
    await pool.end().catch(() => undefined);
    throw new Error(`无法连接 PostgreSQL（${redactUrl(target.url)}）：${e instanceof Error ? e.message : String(e)}`);
  });
  probe.release();
  return {
    kind: 'postgres',
    orm: drizzlePg(pool) as unknown as Orm,
    where: redactUrl(target.url),
    async holdLock(key) {
      const client = await pool.connect();
      try {
        const got = (await client.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [key])).rows[0]?.ok === true;
        if (!got) {
          client.release();
          return undefined;
        }
      } catch (e) {
        client.release(e as Error);
        throw e;
      }
      return {
        async release() {
          await client.query('select pg_advisory_unlock($1)', [key]).catch(() => undefined);
          client.release();
        },
      };
    },
    close: () => pool.end(),
  };
}
