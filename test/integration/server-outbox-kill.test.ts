/**
 * The hospital server's platform outbox survives SIGKILL: the server runs as a child process on a
 * PGlite data folder, the 医保办 submits a batch of 500 certifications, and the server is killed
 * with SIGKILL while the batch is being sent (once the platform holds ≥ 100 of them, with
 * requests in flight: the sandbox delays half of its answers). A new server process on the same
 * folder finishes the work: every certification is filed on the platform exactly once and holds
 * the platform's serial (a send the kill interrupted is checked with the platform, not repeated
 * blindly).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { DatabaseTarget } from '../../src/server/database';
import { auditLine } from '../fixtures/filing-audit';
import {
  auditCertifications,
  childConfig,
  hardKill,
  killAllChildren,
  platformStatus,
  readOutcome,
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

const FILINGS = 500;
const PERSONS = 125;
const KILL_AT = 100;
const KILLS = Number(process.env['SERVER_OUTBOX_KILLS'] ?? 1);
/** Half the requests answered 50–300 ms late, so the kill finds sends on the wire. */
const FAULTS = process.env['SERVER_OUTBOX_FAULTS'] ?? 'seed=7;delay=50-300@0.5';
const tuning = { timing: { backoff: { baseMs: 100, capMs: 1_000, factor: 2 }, settleMs: 400, setAsideAfter: 1000 }, concurrency: 16, requestTimeoutMs: 2_000 };

const dirs: string[] = [];
afterAll(() => {
  killAllChildren();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

it(`files a batch of ${FILINGS} exactly once across a SIGKILL of the server mid-send`, { timeout: 120_000 + KILLS * 30_000 }, async () => {
  const started = performance.now();
  const log = (line: string) => console.log(`[server-outbox-kill] ${((performance.now() - started) / 1000).toFixed(1)} s ${line}`);
  const root = mkdtempSync(join(tmpdir(), 'opsp-outbox-kill-'));
  dirs.push(root);
  const database: DatabaseTarget = { kind: 'pglite', dataDir: join(root, 'db') };
  let sandbox: ChildProc | undefined;
  let server: ChildProc | undefined;
  try {
    sandbox = await startSandboxChild({ dataDir: join(root, 'sandbox'), port: 0, seedPersons: PERSONS });
    const persons = await sandboxPersons(sandbox.url, PERSONS);
    const where = { database, auditKeyFile: join(root, 'audit.key'), platformDir: join(root, 'platform'), sandboxUrl: sandbox.url };
    const { office, certs } = await seedHospital({ ...where, persons, perPerson: 4, total: FILINGS, timeouts: { connectMs: 1_000, responseMs: 5_000 } });
    log(`seeded ${certs.length} certifications for ${persons.length} persons`);
    await setSandboxFaults(sandbox.url, FAULTS);

    server = await startServerChild(childConfig(where, tuning));
    office.baseUrl = server.url;
    const submitted = await submitBatch(office, { batchId: 'batch-kill-1', certificationIds: certs.map((c) => c.id) });
    expect(submitted).toMatchObject({ queued: FILINGS, setAside: 0 });
    log(`batch of ${FILINGS} queued in ${submitted.ms.toFixed(0)} ms`);

    // One kill by default; SERVER_OUTBOX_KILLS=n kills it n times, at 100, then every (500 - 100) / n more.
    for (let k = 0; k < KILLS; k++) {
      const at = KILL_AT + Math.floor((k * (FILINGS - KILL_AT)) / KILLS);
      await waitFor(`${at} filings on the platform`, async () => ((await sandboxFilingCount(sandbox!.url)) ?? 0) >= at, 60_000, 20);
      const inFlight = (await platformStatus(office))?.counts.inFlight;
      await hardKill(server);
      const atKill = (await sandboxFilingCount(sandbox.url)) ?? 0;
      expect(server.process.signalCode).toBe('SIGKILL');
      log(`server killed with ${atKill} filings on the platform, ${inFlight ?? '?'} sends in flight`);
      expect(atKill).toBeLessThan(FILINGS);

      server = await startServerChild(childConfig(where, tuning));
      office.baseUrl = server.url;
      log('server restarted on the same folder');
    }
    const status = await waitSettled(office, 60_000);
    log(`settled: ${JSON.stringify(status.counts)}`);
    await setSandboxFaults(sandbox.url, 'off');
    const rows = await sandboxFilings(sandbox.url);
    await stopChild(server);

    const outcome = await readOutcome(database);
    const audit = auditCertifications(certs, outcome, rows);
    log(`outbox ${JSON.stringify(outcome.outbox)}, ${outcome.viaReconcile} settled by reconciliation, ${outcome.resent} sent more than once; whole run ${((performance.now() - started) / 1000).toFixed(1)} s`);
    for (const line of [...audit.unexpected, ...audit.otherFailures].slice(0, 20)) log(`  ${line}`);
    console.log(auditLine(audit));
    expect(twiceFiled(rows)).toEqual([]);
    expect(audit.unexpected).toEqual([]);
    expect(audit.otherFailures).toEqual([]);
    expect(audit.duplicates).toBe(0);
    expect(audit.lost).toBe(0);
    expect(audit.accepted).toBe(FILINGS);
    expect(rows).toHaveLength(FILINGS);
    expect(outcome.outbox).toEqual({ accepted: FILINGS });
  } finally {
    await hardKill(server);
    await stopChild(sandbox);
  }
});
