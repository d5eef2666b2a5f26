/**
 * Proof against faults (issue 5, point 9), through the hospital server, which alone talks to the
 * platform: a real hospital server (its platform outbox, PgOutboxStore, its SyncRunner and gateway)
 * runs as a child process on a PGlite data folder (or PostgreSQL), linked to a real sandbox, also a
 * child process, with every fault kind at 10 % or more — delay, HTTP 5xx, connection reset, hang,
 * commit-then-drop. The 医保办 submits decided certifications (four diseases a person) as
 * 'filing.submit' batches of at most 500; mid-run the sandbox is killed with SIGKILL and started
 * again on the same data and port, and later the hospital server is killed with SIGKILL and started
 * again on the same database (the last batch is submitted to the new process). Then every
 * certification must be filed on the platform exactly once (by psn_no and trt_dcla_detl_sn), and
 * be 'filed' with the serial the platform holds. Meanwhile, from the sandbox restart on and across
 * the server kill, some filed certifications are revoked and some corrected (filing.revoke,
 * filing.correct): those end 'revoked' on both sides, and each correction's new certification is
 * filed with its change.
 *
 *   npm test                 a smaller run (SYNC_FAULTS_FILINGS, default 400, for 200 persons)
 *   npm run test:faults      the full run: 2,000 filings for 500 persons, on PGlite and on PostgreSQL
 *   SYNC_FAULTS_DATABASES=pglite,postgres   the databases to run on (default pglite)
 *   SYNC_FAULTS_VERBOSE=1    the server's and runner's log lines, printed when the run fails
 *
 * Both kills are real (SIGKILL of the child processes) in the short run as well.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { DatabaseTarget } from '../../src/server/database';
import { auditLine } from '../fixtures/filing-audit';
import {
  auditCertifications,
  batchesOf,
  childConfig,
  hardKill,
  killAllChildren,
  platformStatus,
  portOf,
  readOutcome,
  reviseWhenFiled,
  sandboxFilingCount,
  sandboxFilings,
  sandboxPersons,
  seedHospital,
  setSandboxFaults,
  startSandboxChild,
  startServerChild,
  stopChild,
  submitBatch,
  twiceFiled,
  waitFor,
  waitSettled,
  type ChildProc,
} from '../fixtures/outbox-run';
import { freshPostgres } from '../fixtures/server-db';

const FILINGS = Number(process.env['SYNC_FAULTS_FILINGS'] ?? 400);
/** Certifications a person (each a different disease, sent in order on the person's lane): 4 in the full run, 2 in the short one (shorter lanes finish sooner). */
const PER_PERSON = Math.min(4, Number(process.env['SYNC_FAULTS_PER_PERSON'] ?? (FILINGS >= 2000 ? 4 : 2)));
const PERSONS = Math.max(Math.ceil(FILINGS / PER_PERSON), 100);
/** At most 500 a batch, and at least four batches (the last one goes to the restarted server). */
const BATCH = Math.min(500, Math.ceil(FILINGS / 4));
const DATABASES = (process.env['SYNC_FAULTS_DATABASES'] ?? 'pglite').split(',').map((d) => d.trim()).filter((d): d is 'pglite' | 'postgres' => d === 'pglite' || d === 'postgres');
const FAULTS = process.env['SYNC_FAULTS_SPEC'] ?? 'seed=42;delay=20-200@0.1;5xx@0.1;reset@0.1;hang@0.1;drop@0.1';
const VERBOSE = process.env['SYNC_FAULTS_VERBOSE'] === '1';
const tuning = { timing: { backoff: { baseMs: 100, capMs: 2_000, factor: 2 }, settleMs: 400, setAsideAfter: 1000 }, concurrency: 32, requestTimeoutMs: 1_000, verbose: VERBOSE };

const dirs: string[] = [];
afterAll(() => {
  killAllChildren();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

it.each(DATABASES)('%s: files every certification exactly once through faults, a sandbox kill and a server kill', { timeout: Math.max(300_000, FILINGS * 600) }, async (kind) => {
  const started = performance.now();
  const log = (line: string) => console.log(`[sync-faults ${kind}] ${line}`);
  const secs = (from: number) => `${((performance.now() - from) / 1000).toFixed(1)} s`;
  const root = mkdtempSync(join(tmpdir(), 'opsp-sync-faults-'));
  dirs.push(root);
  const database: DatabaseTarget = kind === 'pglite' ? { kind, dataDir: join(root, 'db') } : { kind, url: await freshPostgres('sync_faults') };
  const sandboxDir = join(root, 'sandbox');
  let sandbox: ChildProc | undefined;
  let server: ChildProc | undefined;
  try {
    sandbox = await startSandboxChild({ dataDir: sandboxDir, port: 0, seedPersons: PERSONS });
    const sandboxUrl = sandbox.url;
    const persons = await sandboxPersons(sandboxUrl, PERSONS);
    const where = { database, auditKeyFile: join(root, 'audit.key'), platformDir: join(root, 'platform'), sandboxUrl };
    const { office, certs } = await seedHospital({ ...where, persons, perPerson: PER_PERSON, total: FILINGS, timeouts: { connectMs: 1_000, responseMs: 5_000 } });
    const batches = batchesOf(certs, BATCH, 'batch-faults');
    log(`seeded ${certs.length} certifications for ${persons.length} persons, ${batches.length} batches of ≤ ${BATCH}, in ${secs(started)}`);

    await setSandboxFaults(sandboxUrl, FAULTS);
    server = await startServerChild(childConfig(where, tuning));
    office.baseUrl = server.url;
    const syncStarted = performance.now();
    let queued = 0;
    for (const batch of batches.slice(0, -1)) {
      const r = await submitBatch(office, batch);
      expect(r).toMatchObject({ queued: batch.certificationIds.length, setAside: 0 });
      queued += r.queued;
      log(`${batch.batchId}: ${r.queued} queued in ${r.ms.toFixed(0)} ms`);
    }
    const onPlatform = async () => (await sandboxFilingCount(sandboxUrl)) ?? 0;
    // Progress every 10 s: what the platform holds, and the server's outbox as it reports it.
    const ticker = setInterval(() => {
      void (async () => {
        const [n, s] = await Promise.all([sandboxFilingCount(sandboxUrl), platformStatus(office)]);
        log(`  ${secs(syncStarted)}: platform ${n ?? 'down'}, outbox ${s ? `${JSON.stringify(s.counts)} ${s.runner}${s.lastError ? ` (${s.lastError.slice(0, 80)})` : ''}` : 'down'}`);
      })();
    }, 10_000);

    // Mid-run: the platform dies (SIGKILL) and comes back on the same port and data.
    await waitFor('30 % on the platform', async () => (await onPlatform()) >= FILINGS * 0.3, Math.max(120_000, FILINGS * 100));
    await hardKill(sandbox);
    log(`sandbox killed at ${secs(syncStarted)} (${sandbox.process.signalCode})`);
    await new Promise((r) => setTimeout(r, 300));
    sandbox = await startSandboxChild({ dataDir: sandboxDir, port: portOf(sandboxUrl), seedPersons: PERSONS, faults: FAULTS });
    log(`sandbox back at ${secs(syncStarted)} with ${await onPlatform()} filings`);

    // From now on, through the same faults and across the server kill below: every 50th certification
    // of the earlier batches revoked (2504), every 100th corrected (its 2504, then the corrected
    // certification's 2503 on the same lane), each as soon as it is filed. A command pushed as the
    // server dies is pushed again, with the same id, to the new process.
    const early = certs.slice(0, FILINGS - batches.at(-1)!.certificationIds.length);
    const toRevoke = early.filter((_, i) => i % 50 === 7);
    const toCorrect = early.filter((_, i) => i % 100 === 23);
    for (const c of [...toRevoke, ...toCorrect]) c.expect = 'revoked';
    const revising = reviseWhenFiled(
      office,
      [...toRevoke.map((cert) => ({ kind: 'revoke' as const, cert })), ...toCorrect.map((cert) => ({ kind: 'correct' as const, cert, begnDate: '2026-06-12' }))],
      Math.max(180_000, FILINGS * 150),
    );
    revising.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile

    // Later: the hospital server dies (SIGKILL) mid-send and a new process opens the same database.
    await waitFor('60 % on the platform', async () => (await onPlatform()) >= FILINGS * 0.6, Math.max(120_000, FILINGS * 100));
    const before = await platformStatus(office);
    await hardKill(server);
    const interrupted = before?.counts.inFlight ?? 0;
    log(`server killed at ${secs(syncStarted)} (${server.process.signalCode}) with ${await onPlatform()} filings on the platform, ${interrupted} sends in flight`);
    expect(server.process.signalCode).toBe('SIGKILL');
    server = await startServerChild(childConfig(where, tuning));
    office.baseUrl = server.url;
    log(`server back at ${secs(syncStarted)}`);
    const last = batches.at(-1)!;
    const r = await submitBatch(office, last);
    expect(r).toMatchObject({ queued: last.certificationIds.length, setAside: 0 });
    queued += r.queued;
    log(`${last.batchId}: ${r.queued} queued in ${r.ms.toFixed(0)} ms (to the new server process)`);
    expect(queued).toBe(FILINGS);

    const corrections = await revising;
    const all = [...certs, ...corrections];
    log(`${toRevoke.length} revocations and ${toCorrect.length} corrections queued by ${secs(syncStarted)}`);

    await waitSettled(office, Math.max(240_000, FILINGS * 400));
    const syncMs = performance.now() - syncStarted;
    clearInterval(ticker);
    const health = (await (await fetch(`${sandboxUrl}/sandbox/health`)).json()) as { stats: { faults: Record<string, number>; requests: number } };
    await setSandboxFaults(sandboxUrl, 'off');
    const rows = await sandboxFilings(sandboxUrl);
    await stopChild(server);
    const outcome = await readOutcome(database);
    const audit = auditCertifications(all, outcome, rows);

    log(`faults after the sandbox restart (this sandbox process): ${JSON.stringify(health.stats.faults)} over ${health.stats.requests} requests`);
    log(`${interrupted} sends interrupted by the server kill; outbox at the end ${JSON.stringify(outcome.outbox)}; ${outcome.viaReconcile} settled by reconciliation, ${outcome.resent} sent more than once`);
    log(`synced in ${(syncMs / 1000).toFixed(1)} s; whole run ${secs(started)}`);
    for (const line of [...audit.unexpected, ...audit.otherFailures, ...twiceFiled(rows)].slice(0, 20)) log(`  ${line}`);
    if (VERBOSE && audit.unexpected.length > 0) log(`server output:\n${server.output()}`);
    console.log(auditLine(audit));

    expect(twiceFiled(rows)).toEqual([]);
    expect(audit.unexpected).toEqual([]);
    expect(audit.otherFailures).toEqual([]);
    expect(audit.duplicates).toBe(0);
    expect(audit.lost).toBe(0);
    expect(audit.accepted).toBe(FILINGS + corrections.length);
    expect(rows).toHaveLength(FILINGS + corrections.length);
    expect(outcome.outbox).toEqual({ accepted: FILINGS + toRevoke.length + 2 * toCorrect.length });
  } finally {
    await hardKill(server);
    await hardKill(sandbox);
  }
});

