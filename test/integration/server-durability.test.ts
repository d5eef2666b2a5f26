/**
 * The server never acknowledges a command it could lose: commands are pushed to a standalone
 * server process while it is killed with SIGKILL at random moments, then restarted on the same
 * data; every command that was answered "applied" is there after each restart, with its effect.
 * On PGlite (a data folder) and on PostgreSQL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { HospitalClient } from '../../src/renderer/src/hospital/client';
import { openDatabase, type DatabaseTarget } from '../../src/server/database';
import { checkChar } from '../../src/shared/policy';
import { command } from '../fixtures/hospital';
import { serverTargets } from '../fixtures/server-db';

/** When the desks say their commands were made: a fixed instant (the servers keep their own clocks). */
const AT = new Date('2026-06-16T10:00:00+08:00');

const ROUNDS = Number(process.env['SERVER_KILL_ROUNDS'] ?? 3);
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Child {
  process: ChildProcess;
  url: string;
  code: string | null;
  exited: Promise<void>;
}

function startChild(args: string[], keyFile: string, expectCode = false): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server/cli.ts', ...args, '--port', '0', '--audit-key', keyFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let out = '';
    let code: string | null = null;
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      code ??= /登记码：([A-Z0-9-]+)/.exec(out)?.[1] ?? null;
      const url = /院内服务器已启动：(http:\/\/[^\s]+)/.exec(out)?.[1];
      if (url && (code || !expectCode)) {
        clearTimeout(timer);
        resolve({ process: child, url, code, exited });
      }
    });
    child.on('exit', (c) => reject(new Error(`server exited (${c}): ${out}`)));
  });
}

const idNo = (n: number) => {
  const first17 = `1401051970${String(101 + (n % 12)).slice(1)}${String(10 + (n % 18)).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`;
  return first17 + checkChar(first17);
};

describe.each(serverTargets('durability_test'))('acknowledged commands survive SIGKILL on %s', (label, target) => {
  it(`keeps every applied command across ${ROUNDS} hard kills`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsp-durable-'));
    dirs.push(dir);
    const t: DatabaseTarget = label === 'PGlite' ? { kind: 'pglite', dataDir: join(dir, 'db') } : await target();
    const args = t.kind === 'pglite' ? ['--data', t.dataDir!] : ['--database', t.url];
    const keyFile = join(dir, 'audit.key');

    let child = await startChild(args, keyFile, true);
    const desk = new HospitalClient({ baseUrl: child.url, timeoutMs: 5_000 });
    await desk.enrol(child.code!, '耐久测试');
    await desk.setup('admin', '管理员', 'durable-pass-1');

    const applied = new Set<string>();
    let n = 0;
    for (let round = 0; round < ROUNDS; round++) {
      let stop = false;
      // Two desks' worth of pushers, one command each time, until the server dies under them.
      const pusher = async () => {
        while (!stop) {
          const c = command('case.take', { person: { certType: '01', certNo: idNo(++n), name: `耐久${n}`, psnNo: null, insutype: '310', regionCode: '140105' }, diseaseCode: 'M01600', kind: 'first' }, AT);
          try {
            const r = await desk.push([c]);
            if (r.results[0]?.state === 'applied') applied.add(c.id);
          } catch {
            return;
          }
        }
      };
      const pushing = Promise.all([pusher(), pusher()]);
      // The kill comes while pushes are in flight, once the restarted server answers (a first start
      // and its first pushes can be slow on a loaded machine).
      const before = applied.size;
      for (let i = 0; i < 600 && applied.size < before + 3; i++) await new Promise((r) => setTimeout(r, 50));
      await new Promise((r) => setTimeout(r, 400 + Math.random() * 800));
      child.process.kill('SIGKILL');
      await child.exited;
      stop = true;
      await pushing;
      child = await startChild(args, keyFile);
      desk.baseUrl = child.url;
    }
    child.process.kill('SIGKILL');
    await child.exited;

    expect(applied.size).toBeGreaterThan(10);
    const db = await openDatabase(t);
    try {
      const ids = ((await db.orm.execute(sql`select id from commands where state = 'applied'`)) as { rows: { id: string }[] }).rows.map((r) => r.id);
      const stored = new Set(ids);
      const lost = [...applied].filter((id) => !stored.has(id));
      expect(lost, `${lost.length} of ${applied.size} acknowledged commands lost`).toEqual([]);
      const cases = ((await db.orm.execute(sql`select count(*)::int as n from records where tbl = 'cases'`)) as { rows: { n: number }[] }).rows[0]!.n;
      expect(cases).toBe(stored.size);
    } finally {
      await db.close();
    }
  }, 240_000);
});
