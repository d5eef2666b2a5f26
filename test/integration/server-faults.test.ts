/**
 * Exactly once through faults (architecture.md §10): several desks' outboxes (each its own Dexie on
 * fake-indexeddb, each its own DeskSync) push `case.take` commands through a proxy that resets
 * connections, loses answers and hangs, each at 10 % or more of requests, while the server process
 * (the real CLI, PGlite in a data folder) is killed with SIGKILL at random moments and restarted on
 * the same data. In the end every command queued at a desk was applied on the server once, every
 * desk has the server's first answer to each of its commands, nobody has two cases, and every desk
 * holds every case.
 *
 *   npm test                      a smaller run (SERVER_FAULTS_COMMANDS, default 300)
 *   npm run test:server-faults    the full run: 5,000 commands from 5 desks
 *
 * SERVER_FAULTS_DESKS (default 5), SERVER_FAULTS_SEED and SERVER_FAULTS_VERBOSE (progress lines)
 * tune a run.
 */
import 'fake-indexeddb/auto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dexie from 'dexie';
import { sql } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { WorkstationDb } from '../../src/renderer/src/db/db';
import { HospitalClient } from '../../src/renderer/src/hospital/client';
import { queueCommand } from '../../src/renderer/src/hospital/desk-commands';
import { DeskSync } from '../../src/renderer/src/hospital/desk-sync';
import { openDatabase } from '../../src/server/database';
import type { CommandPayload } from '../../src/shared/hospital/commands';
import { shareKeys, type CommandResult } from '../../src/shared/hospital/protocol';
import { checkChar } from '../../src/shared/policy';
import { mulberry32 } from '../../src/shared/review/prng';
import { addDays } from '../../src/shared/time';
import { startFaultProxy, type FaultProxy } from '../fixtures/fault-proxy';

/** When the desks say their commands were made: a fixed instant (the servers keep their own clocks). */
const AT = new Date('2026-06-16T10:00:00+08:00');

const COMMANDS = Number(process.env['SERVER_FAULTS_COMMANDS'] ?? 300);
const DESKS = Number(process.env['SERVER_FAULTS_DESKS'] ?? 5);
const SEED = Number(process.env['SERVER_FAULTS_SEED'] ?? 20_260_616);
const VERBOSE = Boolean(process.env['SERVER_FAULTS_VERBOSE']);
/** Each fault at this share of requests (a shuffled bag keeps the share exact per 20 requests). */
const RATES = { reset: 0.15, lostAnswer: 0.15, hang: 0.15 };
/** The desks' per-request timeout: what a hung request costs a desk. */
const CLIENT_TIMEOUT_MS = 2_000;
/**
 * The server is killed this long (ms, drawn uniformly) after it came back and answered its first
 * push: every life of the server does some work, so a slow restart on a loaded machine cannot
 * starve the run, and the kill lands while pushes are in flight. A run sees at least MIN_KILLS.
 */
const KILL_AFTER = [1_500, 4_000] as const;
const MIN_KILLS = 2;
/**
 * A clerk takes applications a few at a time: a desk queues CHUNK commands, pauses, and queues more
 * only while its outbox holds fewer than BACKLOG unanswered ones. (PGlite serialises everything, so
 * five desks pushing hundreds of commands at once would keep every request of every desk queued
 * behind the others' past its timeout; DeskSync sends up to 200 a request.)
 */
const CHUNK = 10;
const BACKLOG = 20;
const CHUNK_PAUSE = [20, 250] as const;
/**
 * Budget for the run. Measured on a shared two-core machine: 5,000 commands in 280 s (load 2–4)
 * to 790 s (load 8–10); 300 in 40–175 s (restarts and the first pushes after them dominate a
 * short run).
 */
const RUN_BUDGET_MS = 240_000 + COMMANDS * 300;
/** Set-up (a fresh PGlite folder, production-cost logins), the last pulls and the counting. */
const OVERHEAD_MS = 180_000;

const PASSWORD = 'stress-pass-9';
const TEMPORARY = 'temporary-pass-1';

const log = (line: string) => {
  if (VERBOSE) console.log(`[server-faults] ${line}`);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = (next: () => number, [lo, hi]: readonly [number, number]) => lo + next() * (hi - lo);

// ---- the server as a child process ----

interface Child {
  process: ChildProcess;
  url: string;
  code: string | null;
  exited: Promise<void>;
}

/** Whether the CLI takes `--audit-key` (without it the key is kept beside the PGlite folder). */
const cliTakesAuditKey = () => readFileSync('src/server/cli.ts', 'utf8').includes("'audit-key'");

/** Starts the CLI; resolves once it listens (and, on a fresh database, has printed the first desk's code). */
function startChild(dataDir: string, keyFile: string, fresh: boolean): Promise<Child> {
  const args = ['--import', 'tsx', 'src/server/cli.ts', '--data', dataDir, '--port', '0', ...(cliTakesAuditKey() ? ['--audit-key', keyFile] : [])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within 60 s:\n${out}`));
    }, 60_000);
    const onExit = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(new Error(`server exited at start (${code ?? signal}):\n${out}`));
    };
    child.once('exit', onExit);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /院内服务器已启动：(http:\/\/\S+)/.exec(out)?.[1];
      const code = /登记码：([A-Z0-9-]+)/.exec(out)?.[1] ?? null;
      if (url && (code || !fresh)) {
        clearTimeout(timer);
        child.off('exit', onExit);
        resolve({ process: child, url, code, exited });
      }
    });
  });
}

const alive = (child: Child | null): child is Child => !!child && child.process.exitCode === null && child.process.signalCode === null;

async function kill(child: Child | null) {
  if (!alive(child)) return;
  child.process.kill('SIGKILL');
  await child.exited;
}

// ---- synthetic applications ----

/** A distinct valid resident ID number for applicant k (born 1950 onward, 900 a day). */
function idNo(k: number): string {
  const born = addDays('1950-01-01', Math.floor(k / 900)).replaceAll('-', '');
  const first17 = `140105${born}${100 + (k % 900)}`;
  return first17 + checkChar(first17);
}

const application = (k: number): CommandPayload<'case.take'> => ({
  person: { certType: '01', certNo: idNo(k), name: `压测${String(k + 1).padStart(5, '0')}`, psnNo: null, insutype: '310', regionCode: '140105' },
  diseaseCode: 'M01600',
  kind: 'first',
});

// ---- the run ----

interface DeskRun {
  index: number;
  db: WorkstationDb;
  sync: DeskSync;
  userId: string;
  /** The applicants this desk takes (indexes for `application`). */
  applicants: number[];
  queued: number;
  syncs: number;
  failures: number;
}

const state: { child: Child | null; proxy: FaultProxy | null; dir: string | null; desks: DeskRun[]; stop: boolean } = { child: null, proxy: null, dir: null, desks: [], stop: false };

// Should the worker die before afterAll, the server must not outlive it.
const killOnExit = () => {
  if (alive(state.child)) state.child.process.kill('SIGKILL');
};
process.once('exit', killOnExit);

afterAll(async () => {
  state.stop = true;
  await kill(state.child).catch(() => undefined);
  process.off('exit', killOnExit);
  await state.proxy?.close().catch(() => undefined);
  for (const d of state.desks) {
    d.db.close();
    await Dexie.delete(d.db.name).catch(() => undefined);
  }
  if (state.dir) rmSync(state.dir, { recursive: true, force: true });
});

const pendingAt = (d: DeskRun) => d.db.deskCommands.where('[userId+state]').equals([d.userId, 'pending']).count();

it(`applies ${COMMANDS} commands from ${DESKS} desks exactly once through resets, lost answers, hangs and SIGKILLs`, { timeout: RUN_BUDGET_MS + OVERHEAD_MS }, async () => {
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(1);
  const dir = (state.dir = mkdtempSync(join(tmpdir(), 'opsp-server-faults-')));
  const dataDir = join(dir, 'db');
  const keyFile = join(dir, 'audit.key');

  state.child = await startChild(dataDir, keyFile, true);
  const proxy = (state.proxy = await startFaultProxy({ target: state.child.url, seed: SEED, rates: RATES }));

  // ---- set-up, faults off: the first desk, the first administrator, the 医保办's account, the desks ----
  // Logins run scrypt at the production cost: these requests get time.
  const admin = new HospitalClient({ baseUrl: proxy.url, timeoutMs: 30_000 });
  await admin.enrol(state.child.code!, '管理员工作站');
  await admin.setup('admin', '管理员', PASSWORD);
  const created = await admin.push([
    { id: 'cmd-create-office', kind: 'user.create', at: AT.toISOString(), payload: { username: 'yibao', displayName: '医保办压测', role: 'office', password: TEMPORARY } },
  ]);
  expect(created.results[0]).toMatchObject({ state: 'applied' });

  for (let i = 0; i < DESKS; i++) {
    const name = `压测工作站${i + 1}`;
    const setup = new HospitalClient({ baseUrl: proxy.url, timeoutMs: 30_000 });
    const { code } = await admin.enrolmentCode(name);
    await setup.enrol(code, name);
    if (i === 0) {
      // A new account changes its temporary password at its first login.
      const first = await setup.login('yibao', TEMPORARY);
      expect(first.user.mustChangePassword).toBe(true);
      await setup.changePassword(TEMPORARY, PASSWORD);
    }
    const session = await setup.login('yibao', PASSWORD);
    expect(session.user).toMatchObject({ role: 'office', mustChangePassword: false });
    const { serverId } = await setup.status();
    const client = new HospitalClient({ baseUrl: proxy.url, deskToken: setup.deskToken, sessionToken: setup.sessionToken, timeoutMs: CLIENT_TIMEOUT_MS });
    const db = new WorkstationDb(`server-faults-${i}-${Math.random().toString(36).slice(2)}`);
    const user = { id: session.user.id, role: session.user.role };
    const sync = new DeskSync({ db, client, user, serverId, shareKeys: shareKeys(user), fetchBlobs: false });
    const count = Math.floor(COMMANDS / DESKS) + (i < COMMANDS % DESKS ? 1 : 0);
    const from = state.desks.reduce((n, d) => n + d.applicants.length, 0);
    state.desks.push({ index: i, db, sync, userId: user.id, applicants: Array.from({ length: count }, (_, j) => from + j), queued: 0, syncs: 0, failures: 0 });
  }
  const setUpSeconds = seconds();
  log(`set-up done at ${setUpSeconds} s`);

  // ---- the run, faults on ----
  proxy.enabled = true;
  const runStarted = performance.now();
  const deadline = runStarted + RUN_BUDGET_MS;
  let kills = 0;
  let finished = false;
  let killerError: unknown = null;
  const halted = () => finished || state.stop || killerError !== null || performance.now() > deadline;

  const killer = (async () => {
    const next = mulberry32(SEED ^ 0x9e3779b9);
    const pushes = () => proxy.answered['POST /sync/push'] ?? 0;
    while (!finished && !state.stop) {
      const seen = pushes();
      while (pushes() === seen && !finished && !state.stop) await sleep(20);
      const at = performance.now() + between(next, KILL_AFTER);
      while (performance.now() < at && !finished && !state.stop) await sleep(50);
      if (finished || state.stop) return;
      await kill(state.child);
      proxy.setTarget(null);
      kills++;
      const down = performance.now();
      state.child = await startChild(dataDir, keyFile, false);
      proxy.setTarget(state.child.url);
      log(`kill ${kills} at ${seconds()} s, back after ${performance.now() - down} ms`);
    }
  })().catch((e: unknown) => {
    killerError = e;
  });

  const queuer = async (d: DeskRun) => {
    const next = mulberry32(SEED + d.index);
    while (d.queued < d.applicants.length && !halted()) {
      if ((await pendingAt(d)) >= BACKLOG) {
        await sleep(50);
        continue;
      }
      const chunk = d.applicants.slice(d.queued, d.queued + CHUNK);
      // The last chunk waits for the server to have been killed a few times, so even a short run
      // has commands outstanding across kills.
      if (d.queued + chunk.length === d.applicants.length) while (kills < MIN_KILLS && !halted()) await sleep(100);
      for (const k of chunk) await queueCommand(d.db, { kind: 'case.take', payload: application(k), userId: d.userId });
      d.queued += chunk.length;
      await sleep(between(next, CHUNK_PAUSE));
    }
  };

  const syncer = async (d: DeskRun) => {
    const next = mulberry32(SEED * 31 + d.index);
    while (!halted()) {
      const allQueued = d.queued === d.applicants.length;
      try {
        d.syncs++;
        await d.sync.sync();
        // Everything queued before this sync began has been pushed and answered.
        if (allQueued && (await pendingAt(d)) === 0) return;
        await sleep(20);
      } catch {
        d.failures++;
        await sleep(between(next, [50, 250]));
      }
    }
  };

  const progress = VERBOSE
    ? setInterval(() => {
        void Promise.all(state.desks.map(pendingAt)).then((p) =>
          log(`${seconds()} s: queued ${state.desks.map((d) => d.queued).join('/')}, pending ${p.join('/')}, requests ${proxy.counts.requests}, kills ${kills}`),
        );
      }, 10_000)
    : undefined;
  try {
    await Promise.all(state.desks.map((d) => Promise.all([queuer(d), syncer(d)])));
  } finally {
    clearInterval(progress);
    finished = true;
    await killer;
  }
  if (killerError) throw killerError;
  const runSeconds = ((performance.now() - runStarted) / 1000).toFixed(1);
  const left = await Promise.all(state.desks.map(pendingAt));
  expect(performance.now(), `run over its budget of ${RUN_BUDGET_MS / 1000} s; queued ${state.desks.map((d) => d.queued).join('/')}, pending ${left.join('/')}`).toBeLessThanOrEqual(deadline);

  // ---- settle, faults off: every desk pulls the rest of its share, then the last kill ----
  proxy.enabled = false;
  for (const d of state.desks) {
    for (let attempt = 1; ; attempt++) {
      try {
        await d.sync.sync();
        break;
      } catch (e) {
        if (attempt >= 5) throw e;
        await sleep(500);
      }
    }
  }
  await kill(state.child);
  state.child = null;

  // ---- what the desks say ----
  const queued = new Map<string, { certNo: string; state: string; value: unknown; reason: string | null }>();
  const held: number[] = [];
  for (const d of state.desks) {
    for (const c of await d.db.deskCommands.toArray()) queued.set(c.id, { certNo: (c.payload as CommandPayload<'case.take'>).person.certNo, state: c.state, value: c.value, reason: c.reason });
    held.push(await d.db.cases.count());
  }
  const answers = [...queued.values()];
  const applied = answers.filter((c) => c.state === 'applied').length;
  const refused = answers.filter((c) => c.state === 'refused');

  // ---- what the server kept: its data folder opened directly, after the last kill ----
  const db = await openDatabase({ kind: 'pglite', dataDir });
  const rows = <T,>(r: unknown) => (r as { rows: T[] }).rows;
  let server: { id: string; state: string; result: CommandResult }[];
  let twoCases: { n: number }[];
  let twoPersons: { n: number }[];
  let cases: number;
  try {
    server = rows(await db.orm.execute(sql`select id, state, result from commands where kind = 'case.take'`));
    twoCases = rows(await db.orm.execute(sql`select data ->> 'certNo' as cert, count(*)::int as n from records where tbl = 'cases' group by 1 having count(*) > 1`));
    twoPersons = rows(await db.orm.execute(sql`select data ->> 'certNo' as cert, count(*)::int as n from records where tbl = 'persons' group by 1 having count(*) > 1`));
    cases = rows<{ n: number }>(await db.orm.execute(sql`select count(*)::int as n from records where tbl = 'cases'`))[0]!.n;
  } finally {
    await db.close();
  }
  const onServer = new Map(server.map((r) => [r.id, r]));
  const lost = [...queued].filter(([id, c]) => !onServer.has(id) || c.state === 'pending').map(([id]) => id);
  // A desk's answer is the server's first one (the same case), never a second application's.
  const caseOf = (value: unknown) => (value as { caseId?: string } | undefined)?.caseId;
  const mismatched = [...queued].filter(([id, c]) => {
    const s = onServer.get(id);
    return s && c.state !== 'pending' && (s.state !== c.state || caseOf(c.value) !== caseOf((s.result as { value?: unknown }).value));
  });
  // A second case or person for one number, or more server rows than commands queued.
  const duplicates = twoCases.reduce((n, r) => n + r.n - 1, 0) + twoPersons.reduce((n, r) => n + r.n - 1, 0) + Math.max(0, server.length - queued.size);

  const pct = proxy.percentages();
  const c = proxy.counts;
  console.log(`commands: ${queued.size}, applied: ${applied}, duplicates: ${duplicates}, lost: ${lost.length}`);
  console.log(
    `faults: ${c.requests} requests, reset ${c.reset} (${pct.reset.toFixed(1)} %), lost answer ${c.lostAnswer} (${pct.lostAnswer.toFixed(1)} %), ` +
      `hang ${c.hang} (${pct.hang.toFixed(1)} %), passed ${c.pass}, found the server down ${c.down}, server errors ${c.serverErrors}; kills ${kills}; ` +
      `refused ${refused.length}; syncs ${state.desks.reduce((n, d) => n + d.syncs, 0)} (${state.desks.reduce((n, d) => n + d.failures, 0)} failed); ` +
      `set-up ${setUpSeconds} s, run ${runSeconds} s, total ${seconds()} s`,
  );

  expect(queued.size).toBe(COMMANDS);
  expect(new Set(answers.map((a) => a.certNo)).size).toBe(COMMANDS);
  expect(refused.map((r) => `${r.certNo}: ${r.reason}`), 'refused commands').toEqual([]);
  expect(lost, 'lost commands').toEqual([]);
  expect(
    mismatched.map(([id]) => id),
    'desk answers that differ from the server’s',
  ).toEqual([]);
  expect(applied).toBe(COMMANDS);
  expect(duplicates).toBe(0);
  expect(server.length).toBe(COMMANDS);
  expect(server.filter((r) => r.state !== 'applied')).toEqual([]);
  expect(cases).toBe(COMMANDS);
  expect(held, 'cases each desk holds after its last pull').toEqual(state.desks.map(() => COMMANDS));
  expect(pct.reset).toBeGreaterThanOrEqual(10);
  expect(pct.lostAnswer).toBeGreaterThanOrEqual(10);
  expect(pct.hang).toBeGreaterThanOrEqual(10);
  expect(kills).toBeGreaterThanOrEqual(MIN_KILLS);
});
