import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

// The PostgreSQL server of test/fixtures/postgres-cluster.ts (a vitest globalSetup): reachable,
// transactional, durable, and handed over both through `inject` and the environment.
describe('the PostgreSQL server of the test run', () => {
  const url = inject('postgresUrl');
  let client: pg.Client;

  beforeAll(async () => {
    if (!url) throw new Error('no postgresUrl: test/fixtures/postgres-cluster.ts is not in the globalSetup of the vitest config');
    client = new pg.Client({ connectionString: url });
    await client.connect();
  });

  afterAll(async () => {
    await client?.end();
  });

  it('is handed to the test processes through the environment as well', () => {
    expect(process.env.OPSP_TEST_POSTGRES_URL).toBe(url);
  });

  it('is a PostgreSQL server, connected to the database of the URL', async () => {
    const { rows } = await client.query<{ version: string; database: string }>(
      'select version() as version, current_database() as database',
    );
    expect(rows[0]?.version).toMatch(/^PostgreSQL \d+/);
    expect(rows[0]?.database).toBe(decodeURIComponent(new URL(url).pathname.slice(1)));
  });

  it('creates, fills and drops a table in a transaction, Chinese text intact', async () => {
    const table = `cluster_probe_${process.pid}`;
    await client.query('begin');
    try {
      await client.query(`create table ${table} (id integer primary key, name text not null)`);
      await client.query(`insert into ${table} (id, name) values ($1, $2), ($3, $4)`, [1, '张三', 2, '李四']);
      const { rows } = await client.query<{ name: string }>(`select name from ${table} order by id`);
      expect(rows.map((row) => row.name)).toEqual(['张三', '李四']);
      await client.query(`drop table ${table}`);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback');
      throw error;
    }
    const { rows } = await client.query<{ found: string | null }>('select to_regclass($1)::text as found', [table]);
    expect(rows[0]?.found).toBeNull();
  });

  it('rolls back DDL with the transaction', async () => {
    const table = `cluster_rollback_${process.pid}`;
    await client.query('begin');
    await client.query(`create table ${table} (id integer)`);
    await client.query('rollback');
    const { rows } = await client.query<{ found: string | null }>('select to_regclass($1)::text as found', [table]);
    expect(rows[0]?.found).toBeNull();
  });

  it('runs with fsync on and UTF-8', async () => {
    const fsync = await client.query<{ fsync: string }>('show fsync');
    expect(fsync.rows[0]?.fsync).toBe('on');
    const encoding = await client.query<{ server_encoding: string }>('show server_encoding');
    expect(encoding.rows[0]?.server_encoding).toBe('UTF8');
  });
});
