/**
 * The sandbox answers a state-changing transaction only once its commit is durable: filings
 * (2503) and revocations (2504) are sent to a sandbox process, the process is killed with
 * SIGKILL right after the last answer, and a new process on the same data directory must hold
 * every acknowledged filing exactly once, with every acknowledged revocation.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxClient } from '../../src/sandbox/testing/client';
import { filingData, listPersons } from '../../src/sandbox/testing/harness';

const FILINGS = 60;
const REVOCATIONS = 12;
/** Requests in flight at once, so that commits of different requests interleave. */
const CONCURRENCY = 6;
const ROOT = resolve(import.meta.dirname, '../..');

interface Child {
  process: ChildProcess;
  url: string;
  exited: Promise<void>;
}

const children = new Set<ChildProcess>();
const dirs: string[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function startChild(dataDir: string): Promise<Child> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'src/sandbox/cli.ts'), '--port', '0', '--data', dataDir, '--seed-persons', String(FILINGS), '--quiet'],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.add(child);
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));
  return new Promise((ok, fail) => {
    let out = '';
    const timer = setTimeout(() => fail(new Error(`sandbox did not start:\n${out}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString('utf8');
      const url = /(http:\/\/127\.0\.0\.1:\d+)\/sandbox\/health/.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        ok({ process: child, url, exited });
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      fail(new Error(`sandbox exited (${code ?? signal}) before it was ready:\n${out}`));
    });
  });
}

/** Runs `work` over `items` with at most CONCURRENCY in flight; results in the items' order. */
async function pooled<T, R>(items: T[], work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return results;
}

interface FilingRow {
  trt_dcla_detl_sn: string;
  psn_no: string;
  status: string;
}

describe('the sandbox keeps every answered filing across SIGKILL', () => {
  it(`${FILINGS} filings and ${REVOCATIONS} revocations answered, then killed: all of them are there after a restart`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'opsp-sandbox-kill-'));
    dirs.push(dataDir);

    const first = await startChild(dataDir);
    const client = new SandboxClient(first.url);
    await client.signIn();
    const persons = (await listPersons(client)).slice(0, FILINGS);
    expect(persons).toHaveLength(FILINGS);

    const filed = await pooled(persons, async (p) => {
      const r = await client.call<{ output: { result: { trt_dcla_detl_sn: string } } }>('2503', { data: filingData(p) });
      expect(r.body.err_msg).toBe('');
      expect(r.body.infcode).toBe(0);
      return { psn_no: p.psn_no, sn: r.body.output.result.trt_dcla_detl_sn };
    });
    // The last answers are revocations, so a revocation's commit is what the kill races.
    const revoked = filed.slice(-REVOCATIONS);
    await pooled(revoked, async (f) => {
      const r = await client.call('2504', { data: { trt_dcla_detl_sn: f.sn, psn_no: f.psn_no, memo: '测试撤销' } });
      expect(r.body.err_msg).toBe('');
      expect(r.body.infcode).toBe(0);
    });
    first.process.kill('SIGKILL');
    await first.exited;
    expect(first.process.signalCode).toBe('SIGKILL');

    const second = await startChild(dataDir);
    try {
      const after = new SandboxClient(second.url);
      const { total, filings } = await after.get<{ total: number; filings: FilingRow[] }>('/sandbox/filings?limit=1000');
      const bySn = new Map<string, FilingRow[]>();
      for (const f of filings) bySn.set(f.trt_dcla_detl_sn, [...(bySn.get(f.trt_dcla_detl_sn) ?? []), f]);
      const missing = filed.filter((f) => !bySn.has(f.sn)).map((f) => f.sn);
      expect(missing, `acknowledged filings lost by the kill (${missing.length} of ${FILINGS})`).toEqual([]);
      expect(total).toBe(FILINGS);
      for (const f of filed) {
        expect(bySn.get(f.sn)).toHaveLength(1);
        expect(bySn.get(f.sn)![0]!.psn_no).toBe(f.psn_no);
      }
      const revokedSns = new Set(revoked.map((f) => f.sn));
      const statuses = filed.map((f) => [f.sn, bySn.get(f.sn)![0]!.status]);
      expect(statuses).toEqual(filed.map((f) => [f.sn, revokedSns.has(f.sn) ? 'revoked' : 'active']));
    } finally {
      second.process.kill('SIGTERM');
      await second.exited;
    }
    // 4–10 s (two process starts) on the shared 2-core machine; headroom for a loaded one.
  }, 60_000);
});
