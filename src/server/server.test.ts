import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { DatabaseTarget } from './database';
import { migrate, MIGRATIONS, schemaVersion, firstRow, type Migration } from './migrations';
import { startServer, type RunningServer } from './server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A throwaway PostgreSQL cluster's URL, provided by test/fixtures/postgres-cluster.ts. */
    postgresUrl: string;
  }
}

// The same code on both databases: every test here runs on PGlite and on the real PostgreSQL
// server the test run starts (test/fixtures/postgres-cluster.ts), each in a schema of its own.
const targets: [string, () => Promise<DatabaseTarget>][] = [
  ['PGlite', async () => ({ kind: 'pglite', dataDir: null })],
  ['PostgreSQL', async () => ({ kind: 'postgres', url: await freshDatabase() })],
];

/** A database of this file's own on the run's PostgreSQL cluster, dropped after the file. */
const created: string[] = [];
async function freshDatabase(): Promise<string> {
  const admin = new pg.Client({ connectionString: inject('postgresUrl') });
  await admin.connect();
  const name = `server_test_${process.pid}_${created.length}`;
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  await admin.end();
  created.push(name);
  const url = new URL(inject('postgresUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}
afterAll(async () => {
  const admin = new pg.Client({ connectionString: inject('postgresUrl') });
  await admin.connect();
  for (const name of created) await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
});

describe.each(targets)('the hospital server on %s', (label, target) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ database: await target(), port: 0 });
  }, 60_000);
  afterAll(async () => {
    await server?.close();
  });

  it('answers /health with the database kind and the schema version, on 127.0.0.1', async () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/health`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ status: 'ok', database: label === 'PGlite' ? 'pglite' : 'postgres', schemaVersion: MIGRATIONS.at(-1)!.version });
    expect(body['serverId']).toMatch(/^[0-9a-f]{32}$/);
  });

  it('applies each migration once, in order, recording it; a second run applies nothing', async () => {
    const extra: Migration[] = [
      ...MIGRATIONS,
      { version: 1001, name: 'probe table', up: [sql`create table probe_steps (n integer primary key)`] },
      { version: 1002, name: 'probe row', up: [sql`insert into probe_steps (n) values (${1002})`] },
    ];
    expect(await migrate(server.db.orm, extra)).toEqual([1001, 1002]);
    expect(await migrate(server.db.orm, extra)).toEqual([]);
    expect(await schemaVersion(server.db.orm)).toBe(1002);
    expect(firstRow<{ n: number }>(await server.db.orm.execute(sql`select count(*)::int as n from probe_steps`))?.n).toBe(1);
    await server.db.orm.execute(sql`drop table probe_steps`);
    await server.db.orm.execute(sql`delete from schema_migrations where version > ${1000}`);
  });

  it('a failing migration leaves nothing behind: neither its changes nor its record', async () => {
    const broken: Migration[] = [...MIGRATIONS, { version: 1003, name: 'half done', up: [sql`create table probe_steps (n integer)`, sql`select no_such_function()`] }];
    await expect(migrate(server.db.orm, broken)).rejects.toThrow();
    expect(await schemaVersion(server.db.orm)).toBe(MIGRATIONS.at(-1)!.version);
    expect(firstRow<{ t: string | null }>(await server.db.orm.execute(sql`select to_regclass('probe_steps')::text as t`))?.t).toBeNull();
  });

  it('binds a value as a parameter, never as SQL text', async () => {
    const hostile = "x'); drop table server_info; --";
    const row = firstRow<{ v: string }>(await server.db.orm.execute(sql`select ${hostile}::text as v`));
    expect(row?.v).toBe(hostile);
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});

describe('starting the server', () => {
  it('says in Chinese why it cannot reach PostgreSQL, without printing the password', async () => {
    const attempt = startServer({ database: { kind: 'postgres', url: 'postgres://opsp:secret-pass@127.0.0.1:1/none' }, port: 0 });
    await expect(attempt).rejects.toThrow(/无法连接 PostgreSQL（postgres:\/\/opsp:\*\*\*@127\.0\.0\.1:1\/none）/);
    await expect(attempt).rejects.not.toThrow(/secret-pass/);
  });
});
