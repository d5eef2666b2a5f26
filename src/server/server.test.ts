import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverTargets } from '../../test/fixtures/server-db';
import { migrate, MIGRATIONS, schemaVersion, firstRow, type Migration } from './migrations';
import { startServer, type RunningServer } from './server';

const targets = serverTargets('server_test');

describe.each(targets)('the hospital server on %s', (label, target) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer({ database: await target(), port: 0, auditKeyFile: null, sweepEveryMs: 0 });
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
  it('speaks HTTPS when given the hospital’s certificate, and nothing in clear on that port', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsp-tls-'));
    try {
      // A throwaway self-signed certificate for 127.0.0.1, as a hospital's IT would issue from its own CA.
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
      const cert = readFileSync(join(dir, 'cert.pem'));
      const server = await startServer({ database: { kind: 'pglite', dataDir: null }, port: 0, sweepEveryMs: 0, tls: { cert, key: readFileSync(join(dir, 'key.pem')) } });
      try {
        expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
        const body = await new Promise<string>((resolve, reject) => {
          https.get(`${server.url}/health`, { ca: cert }, (res) => {
            let text = '';
            res.on('data', (d: Buffer) => (text += d.toString()));
            res.on('end', () => resolve(text));
          }).on('error', reject);
        });
        expect(JSON.parse(body)).toMatchObject({ status: 'ok', database: 'pglite' });
        await expect(fetch(server.url.replace('https:', 'http:') + '/health')).rejects.toThrow();
      } finally {
        await server.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says in Chinese why it cannot reach PostgreSQL, without printing the password', async () => {
    const attempt = startServer({ database: { kind: 'postgres', url: 'postgres://opsp:secret-pass@127.0.0.1:1/none' }, port: 0, auditKeyFile: null });
    await expect(attempt).rejects.toThrow(/无法连接 PostgreSQL（postgres:\/\/opsp:\*\*\*@127\.0\.0\.1:1\/none）/);
    await expect(attempt).rejects.not.toThrow(/secret-pass/);
  });
});
