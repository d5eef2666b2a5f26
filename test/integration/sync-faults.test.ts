/**
 * Proof against faults (issue 5, point 9): the real sync runner, the real Dexie outbox store (on
 * fake-indexeddb) and the real platform gateway against the real sandbox over loopback, with every
 * fault kind at 10 % or more — delay, HTTP 5xx, connection reset, hang, commit-then-drop — a
 * sandbox restart mid-run and a runner crash mid-run. Then every filing is checked against the
 * sandbox's record of every filing ever made.
 *
 * The run is made once per dialect of the national interface (national, jilin, guangdong-tif):
 * the same proof with OAuth2 tokens (lost at the restart), SM4/SM2 sealing and TIF headers.
 *
 *   npm test                 a smaller run (SYNC_FAULTS_FILINGS, default 400 in national and
 *                            SYNC_FAULTS_DIALECT_FILINGS, default 100, in each other dialect)
 *   npm run test:faults      the full run: 2,000 filings for 500 persons in every dialect
 *   SYNC_FAULTS_DIALECTS=jilin  only the dialects listed (comma-separated)
 */
import 'fake-indexeddb/auto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Dexie from 'dexie';
import { afterAll, expect, it } from 'vitest';
import { WorkstationDb } from '../../src/renderer/src/db/db';
import { DexieOutboxStore } from '../../src/renderer/src/sync/outbox-store';
import { SyncRunner } from '../../src/shared/sync/runner';
import { loadPolicyPack } from '../../src/sandbox/policy';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../src/sandbox/server';
import type { OutboxStore } from '../../src/shared/sync/ports';
import { isDialectPresetName } from '../../src/shared/platform/dialect';
import { auditFilings, auditLine, type SandboxFilingRow } from '../fixtures/filing-audit';
import { gatewayForSandbox } from '../fixtures/sandbox-gateway';
import { planWorkload, type PlannedFiling, type WorkloadPerson } from '../fixtures/sync-workload';

const FILINGS = Number(process.env['SYNC_FAULTS_FILINGS'] ?? 400);
// The full run (SYNC_FAULTS_FILINGS set) gives every dialect the same count; npm test a smaller one.
const DIALECT_FILINGS = Number(process.env['SYNC_FAULTS_DIALECT_FILINGS'] ?? (process.env['SYNC_FAULTS_FILINGS'] ? FILINGS : 100));
const DIALECTS = (process.env['SYNC_FAULTS_DIALECTS'] ?? 'national,jilin,guangdong-tif').split(',').map((d) => d.trim()).filter(isDialectPresetName);
const runs = DIALECTS.map((dialect) => ({ dialect, filings: dialect === 'national' ? FILINGS : DIALECT_FILINGS }));
const FAULTS = process.env['SYNC_FAULTS_SPEC'] ?? 'seed=42;delay=20-200@0.1;5xx@0.1;reset@0.1;hang@0.1;drop@0.1';
const timing = { backoff: { baseMs: 100, capMs: 2_000, factor: 2 }, settleMs: 400, setAsideAfter: 1000 };

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});


/** A store that dies on demand, as the process would: from then on nothing it is asked to write lands. */
function crashable(store: OutboxStore) {
  const state = { crashed: false };
  const wrapped: OutboxStore = {
    dueLanes: (now, want, skip) => store.dueLanes(now, want, skip),
    inState: (tag) => store.inState(tag),
    laneItems: (lane) => store.laneItems(lane),
    attachmentBase64: (id, sha) => store.attachmentBase64(id, sha),
    commit: (items) => (state.crashed ? Promise.reject(new Error('simulated crash')) : store.commit(items)),
  };
  return { store: wrapped, crash: () => (state.crashed = true) };
}

it.each(runs)('$dialect: files $filings filings exactly once through faults, a sandbox restart and a crash', { timeout: Math.max(180_000, Math.max(FILINGS, DIALECT_FILINGS) * 300) }, async ({ dialect, filings: FILINGS }) => {
  const PERSONS = Math.max(Math.ceil(FILINGS / 4), 100);
  const log = (line: string) => console.log(`[sync-faults ${dialect}] ${line}`);
  const started = performance.now();
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'opsp-sync-faults-'));
  const options: SandboxOptions = { port: 0, dataDir, seedPersons: PERSONS, dialect };
  let sandbox: RunningSandbox = await startSandbox(options);
  cleanup.push(async () => {
    await sandbox.close();
    await fs.rm(dataDir, { recursive: true, force: true });
  });
  const url = sandbox.url;
  const persons = ((await (await fetch(`${url}/sandbox/persons?limit=${PERSONS}`)).json()) as { persons: WorkloadPerson[] }).persons;
  const pack = loadPolicyPack({});

  const db = new WorkstationDb(`sync-faults-${dialect}-${Math.random().toString(36).slice(2)}`);
  cleanup.push(async () => {
    db.close();
    await Dexie.delete(db.name);
  });
  const store = new DexieOutboxStore(db);
  const workload = planWorkload(persons, pack, FILINGS);
  const firstItems = await store.enqueue(workload.first.map((w) => w.request));
  const second = workload.second(firstItems);
  const secondItems = await store.enqueue(second.map((w) => w.request));
  const planned: { itemId: string; plan: PlannedFiling }[] = [
    ...firstItems.map((item, i) => ({ itemId: item.id, plan: workload.first[i]!.plan })),
    ...secondItems.flatMap((item, i) => (second[i]!.plan ? [{ itemId: item.id, plan: second[i]!.plan }] : [])),
  ];
  const total = firstItems.length + secondItems.length;
  log(`queued ${planned.length} filings and ${total - planned.length} revocations for ${persons.length} persons in ${performance.now() - started} ms`);

  await fetch(`${url}/sandbox/faults`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: FAULTS });
  options.faults = FAULTS;
  options.port = sandbox.port;
  const gateway = gatewayForSandbox(url, { connectMs: 1_000, responseMs: 5_000 }, { dialect: sandbox.dialect, credentials: sandbox.credentials });
  cleanup.push(() => gateway.close());
  const runnerOptions = { send: gateway.send, concurrency: 32, timing, requestTimeoutMs: 1_000, watchdogMs: 4_000 };

  // Two equals() counts: anyOf() walks a cursor, which is slow on fake-indexeddb.
  const finished = async () => (await db.outbox.where('status').equals('accepted').count()) + (await db.outbox.where('status').equals('rejected').count());
  const crashy = crashable(store);
  const first = new SyncRunner({ ...runnerOptions, store: crashy.store });
  const firstRun = first.run().catch((e: Error) => e);
  const syncStarted = performance.now();

  // Mid-run: the platform goes down and comes back on the same port and data.
  await waitFor(async () => (await finished()) >= total * 0.3);
  log(`sandbox restart at ${await finished()}/${total}`);
  await sandbox.close();
  await new Promise((r) => setTimeout(r, 300));
  sandbox = await startSandbox(options);

  // Later: the workstation dies mid-request and a new runner starts on the same database.
  await waitFor(async () => (await finished()) >= total * 0.6);
  log(`runner crash at ${await finished()}/${total}`);
  crashy.crash();
  expect(await firstRun).toBeInstanceOf(Error);
  const interrupted = await db.outbox.where('status').equals('sending').count();
  const second2 = new SyncRunner({ ...runnerOptions, store });
  const secondRun = second2.run();
  await waitFor(async () => (await finished()) === total, Math.max(150_000, FILINGS * 250));
  const syncMs = performance.now() - syncStarted;
  await second2.stop();
  await secondRun;

  await fetch(`${sandbox.url}/sandbox/faults`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'off' });
  const rows = ((await (await fetch(`${sandbox.url}/sandbox/filings?limit=100000`)).json()) as { filings: SandboxFilingRow[] }).filings;
  const health = (await (await fetch(`${sandbox.url}/sandbox/health`)).json()) as { stats: { faults: Record<string, number>; requests: number } };
  const items = new Map((await db.outbox.toArray()).map((i) => [i.id, i]));
  const audit = auditFilings(
    planned.map(({ itemId, plan }) => ({ item: items.get(itemId)!, plan })),
    [...items.values()].filter((i) => i.kind !== 'filing'),
    rows,
  );
  const viaReconcile = [...items.values()].filter((i) => i.state.tag === 'accepted' && i.state.via === 'reconcile').length;
  log(`faults after restart (this sandbox process): ${JSON.stringify(health.stats.faults)} over ${health.stats.requests} requests`);
  log(`${interrupted} sends interrupted by the crash; ${viaReconcile} items settled by reconciliation; rejected ${audit.rejected} (by rule)`);
  log(`synced in ${(syncMs / 1000).toFixed(1)} s; whole run ${((performance.now() - started) / 1000).toFixed(1)} s`);
  for (const line of [...audit.unexpected, ...audit.otherFailures].slice(0, 20)) log(`  ${line}`);
  console.log(auditLine(audit));

  expect(audit.unexpected).toEqual([]);
  expect(audit.otherFailures).toEqual([]);
  expect(audit.duplicates).toBe(0);
  expect(audit.lost).toBe(0);
  expect(audit.accepted + audit.rejected).toBe(FILINGS);
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 300_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (!(await condition())) {
    if (performance.now() > until) throw new Error('timed out waiting for the sync run');
    await new Promise((r) => setTimeout(r, 250));
  }
}
