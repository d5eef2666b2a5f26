/**
 * Sync throughput of the hospital server: 10,000 filings (2503) in the server's outbox, sent by
 * its runner (src/server/platform-link.ts: SyncRunner over PgOutboxStore, the gateway of
 * src/server/platform/gateway.ts) to the sandbox over loopback, until every message is accepted
 * and its certification written 'filed'; against the ceiling of bare round trips measured in the
 * same run: the same 10,000 2503 inputs, sent through the same gateway code with the same settings
 * (createPlatformService on the same platform folder, so the same envelopes, signing, msgid
 * allocator and keep-alive agent), by 24 lanes exactly as the runner works them (a lane is one
 * insured person, its messages one after another; a worker takes the next lane when it is done),
 * and no storage at all.
 *
 * Setup, not timed: the server is started with its runner off (`platform.run: false`); 10,000
 * certifications are written as the review rules leave them, and an office desk submits them in
 * batches of 500 (filing.submit). The server is then closed and started again on the same
 * database with its runner on; the timing starts when the runner's first msgid is let out (the
 * gateway's msgid allocator is held shut until the server has finished starting, so the start-up
 * does not overlap the run) and ends when the runner is idle with every message accepted — read
 * from the runner's own status, so polling the database does not charge the runner. Both the
 * runner and the bare loop start with a fresh gateway (a new sign-in, new sockets) against the
 * sandbox just reset (POST /sandbox/reset: no filings, no sessions, the same persons), and the bare
 * loop runs before and after the runner; the ceiling is the faster of the two.
 *
 * Options: --sync-filings=N (10000), --sync-per-person=N (1: one certification a person, as a
 * hospital's batch mostly is; up to 4 compatible diseases a person), --sync-concurrency=N (24,
 * the runner's default), --sync-db=pglite,postgres (both).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { HospitalClient } from '../../src/renderer/src/hospital/client';
import { makeEnrolmentCode } from '../../src/server/auth';
import type { DatabaseTarget } from '../../src/server/database';
import { write } from '../../src/server/hospital';
import { createPlatformService, type PlatformServiceOptions } from '../../src/server/platform/platform-service';
import { msgidAllocatorFor, type MsgidAllocator } from '../../src/server/platform/msgid-allocator';
import { createFileSecretStore } from '../../src/server/platform/secret-store';
import type { PlatformLinkOptions } from '../../src/server/platform-link';
import { rowsOf } from '../../src/server/rows';
import { startServer, type RunningServer } from '../../src/server/server';
import { loadPolicyPack } from '../../src/sandbox/policy';
import type { PersonSummary } from '../../src/sandbox/testing/harness';
import type { CaseRow } from '../../src/shared/domain/case';
import type { Certification } from '../../src/shared/domain/certification';
import type { InsuredPerson } from '../../src/shared/domain/insured';
import { physicianProfileSchema } from '../../src/shared/domain/physician';
import { resolveInput, type OutboxItem } from '../../src/shared/sync/outbox-item';
import { compatibleCodes } from '../fixtures/sync-workload';
import { physician } from '../fixtures/review-packs';
import { BENCH_SCRYPT, benchCommand, loadNow, startCluster, type PostgresCluster, type ServerKind } from './hospital';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process';
import { fmt, type BenchSection } from './section';

const PASSWORD = 'correct-horse-9';
const BATCH = 500;
const DOCTOR_ID = 'usr-doc-bench-filing';

type Send = { infno: string; input: Record<string, unknown>; insuplcAdmdvs?: string };

export interface SyncRun {
  kind: ServerKind;
  filings: number;
  queueMs: number;
  /** The bare loops, in the order they ran (before and after the runner). */
  bareMs: number[];
  bareRefused: number[];
  /** CPU of this process (the server's, or the bare loop's) per filing, ms. */
  bareCpuMs: number[];
  runnerCpuMs: number;
  runnerMs: number;
  accepted: number;
  filed: number;
  load: string[];
  /** With --sync-profile: where the runner's time went. */
  profile?: string[];
}

interface Stat { n: number; ms: number }

/**
 * Times every statement PGlite runs (inside a transaction: its own execution, since the
 * transaction holds the database; outside: waiting for the database included), each write
 * transaction's hold on the database, and the process's CPU. For --sync-profile.
 */
function profilePglite(server: RunningServer) {
  type Q = (q: string, p?: unknown, c?: unknown) => Promise<unknown>;
  const client = (server.db.orm as unknown as { $client: { query: Q; transaction: (fn: (tx: { query: Q }) => Promise<unknown>) => Promise<unknown> } }).$client;
  const inTx = new Map<string, Stat>();
  const outside = new Map<string, Stat>();
  const tx: Stat & { waitMs: number; updates: number[] } = { n: 0, ms: 0, waitMs: 0, updates: [] };
  let on = false;
  const add = (m: Map<string, Stat>, q: string, ms: number) => {
    if (!on) return;
    const k = q.replace(/\s+/g, ' ').trim().slice(0, 70);
    const s = m.get(k) ?? { n: 0, ms: 0 };
    s.n++;
    s.ms += ms;
    m.set(k, s);
  };
  const wrap = (target: { query: Q }, m: Map<string, Stat>, perTx?: { updates: number }) => {
    const query = target.query.bind(target);
    target.query = async (q, p, c) => {
      const t = performance.now();
      try {
        return await query(q, p, c);
      } finally {
        add(m, q, performance.now() - t);
        if (perTx && q.includes('update platform_outbox set item')) perTx.updates++;
      }
    };
  };
  wrap(client, outside);
  const transaction = client.transaction.bind(client);
  client.transaction = (fn) => {
    const asked = performance.now();
    return transaction(async (t) => {
      const started = performance.now();
      const perTx = { updates: 0 };
      wrap(t, inTx, perTx);
      try {
        return await fn(t);
      } finally {
        if (on) {
          tx.n++;
          tx.waitMs += started - asked;
          tx.ms += performance.now() - started;
          if (perTx.updates) tx.updates.push(perTx.updates);
        }
      }
    });
  };
  let cpu = process.cpuUsage();
  let t0 = performance.now();
  const delay = monitorEventLoopDelay({ resolution: 5 });
  return {
    start() {
      delay.enable();
      on = true;
      cpu = process.cpuUsage();
      t0 = performance.now();
    },
    report(): string[] {
      on = false;
      delay.disable();
      const wall = performance.now() - t0;
      const used = process.cpuUsage(cpu);
      const top = (m: Map<string, Stat>) =>
        [...m.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12).map(([k, s]) => `  ${fmt(s.ms / 1000, 2)} s  ${s.n} × ${fmt(s.ms / s.n, 3)} ms  ${k}`);
      const commits = tx.updates.length;
      const items = tx.updates.reduce((a, b) => a + b, 0);
      const sum = (m: Map<string, Stat>) => [...m.values()].reduce((a, s) => a + s.ms, 0);
      return [
        `wall ${fmt(wall / 1000, 2)} s; this process's CPU ${fmt(used.user / 1e6, 2)} s user + ${fmt(used.system / 1e6, 2)} s system`,
        `event loop delay: p50 ${fmt(delay.percentile(50) / 1e6, 1)} ms, p99 ${fmt(delay.percentile(99) / 1e6, 1)} ms, max ${fmt(delay.max / 1e6, 1)} ms`,
        `write transactions: ${tx.n}, holding the database ${fmt(tx.ms / 1000, 2)} s (${fmt(tx.ms / tx.n, 2)} ms each), waited ${fmt(tx.waitMs / 1000, 2)} s for it; ${commits} of them wrote ${items} item states (${fmt(items / Math.max(1, commits), 1)} a commit)`,
        `statements in transactions: ${fmt(sum(inTx) / 1000, 2)} s`,
        ...top(inTx),
        `statements outside transactions (waiting for the database included): ${fmt(sum(outside) / 1000, 2)} s`,
        ...top(outside),
      ];
    },
  };
}

/** A msgid allocator held shut until `open()`, which also notes when the first msgid went out. */
function gatedAllocator(inner: MsgidAllocator) {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((ok) => (open = ok));
  let issued = 0;
  return {
    allocator: { next: async () => { await gate; issued++; return inner.next(); } } satisfies MsgidAllocator,
    open,
    issued: () => issued,
  };
}

/** Sends `lanes` (each a person's messages in queue order) with `concurrency` lanes at once, as the runner's workers take them. */
async function bareLanes(send: (m: Send) => Promise<{ outcome: string }>, lanes: readonly Send[][], concurrency: number): Promise<{ ms: number; refused: number; cpuMs: number }> {
  let next = 0;
  let refused = 0;
  const cpu = process.cpuUsage();
  const t = performance.now();
  const worker = async () => {
    while (next < lanes.length) {
      for (const m of lanes[next++]!) if ((await send(m)).outcome !== 'accepted') refused++;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, lanes.length) }, worker));
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - t, refused, cpuMs: (used.user + used.system) / 1000 };
}

async function resetSandbox(sandbox: SandboxProcess): Promise<void> {
  const res = await fetch(`${sandbox.url}/sandbox/reset`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  if (!res.ok) throw new Error(`sandbox reset: HTTP ${res.status}`);
}

async function count(server: RunningServer, query: ReturnType<typeof sql>): Promise<number> {
  return Number(rowsOf<{ n: number | string }>(await server.db.orm.execute(query))[0]?.n ?? 0);
}

/** An office desk logged in (the administrator made on first use), as test/bench/hospital.ts's login does. */
async function officeDesk(server: RunningServer): Promise<HospitalClient> {
  const desk = async (name: string) => {
    const client = new HospitalClient({ baseUrl: server.url, timeoutMs: 600_000 });
    const { code } = await makeEnrolmentCode(server.hospital, name, null);
    await client.enrol(code, name);
    return client;
  };
  const admin = await desk('管理员工作站');
  await admin.setup('admin', '管理员', PASSWORD);
  const [r] = (await admin.push([benchCommand('user.create', { username: 'office1', displayName: '医保办', role: 'office', password: 'temporary-pass-1' })])).results;
  if (r?.state !== 'applied') throw new Error(`user.create refused: ${r?.reason}`);
  const first = await desk('医保办工作站');
  await first.login('office1', 'temporary-pass-1');
  await first.changePassword('temporary-pass-1', PASSWORD);
  return first;
}

/** Certifications as the review rules leave them (decided case, person, physician with a 医保医师代码), `perPerson` diseases a person. */
async function seedCertifications(server: RunningServer, persons: PersonSummary[], n: number, perPerson: number): Promise<string[]> {
  const h = server.hospital;
  const pack = loadPolicyPack({});
  const codes = compatibleCodes(pack, perPerson);
  const nameOf = (code: string) => pack.diseases.find((d) => d.code === code)?.name ?? code;
  const at = new Date().toISOString();
  await write(h, (store) => store.put('physicians', physicianProfileSchema.parse({ ...physician(DOCTOR_ID), name: '柯医生', paymentQualifications: [{ code: 'D140105000001', from: '2020-01-01', to: null }], flag: null, updatedAt: at })));
  const ids: string[] = [];
  for (let from = 0; from < n; from += BATCH) {
    await write(h, async (store) => {
      for (let i = from; i < Math.min(n, from + BATCH); i++) {
        const p = persons[Math.floor(i / perPerson)]!;
        const code = codes[i % perPerson]!;
        const person: InsuredPerson = { id: `psn-${p.psn_no}`, psnNo: p.psn_no, certType: '01', certNo: p.certno, name: p.psn_name, gender: 'female', birthDate: '1960-01-01', insutype: p.insutype, regionCode: p.insuplc_admdvs, tel: '13800000000', addr: '示例路 1 号', offSiteResident: false, createdAt: at };
        const caseRow: CaseRow = {
          id: `case-bench-${i}`, personId: person.id, personName: p.psn_name, certNo: p.certno, psnNo: p.psn_no, insutype: p.insutype, regionCode: p.insuplc_admdvs,
          diseaseCode: code, diseaseName: nameOf(code), kind: 'first', channel: 'assisted', submittedAt: at, receivedOn: '2026-06-01', status: 'decided', stage: null, stageLabel: '已完成',
          tieBreak: false, dueOn: null, dueAwaits: null, dueProvisional: false, deadlineAt: '9999-12-31T23:59:59.999Z', paused: [], result: 'approved', decidedAt: at, updatedAt: at,
        };
        const cert: Certification = {
          id: `crt-bench-${i}`, caseId: caseRow.id, personId: person.id, diseaseCode: code, diseaseName: caseRow.diseaseName, certifiedOn: '2026-06-10', begnDate: '2026-06-10', endDate: '2028-06-09',
          reReviewDueOn: null, physicianId: DOCTOR_ID, physicianName: '柯医生', updatedAt: at, state: 'ready',
        };
        if (i % perPerson === 0) await store.put('persons', person);
        await store.put('cases', caseRow);
        await store.put('certifications', cert);
        ids.push(cert.id);
      }
    });
  }
  return ids;
}

export async function measureServerSync(o: {
  kind: ServerKind;
  cluster?: PostgresCluster;
  sandbox: SandboxProcess;
  persons: PersonSummary[];
  filings: number;
  perPerson: number;
  concurrency: number;
  log: (line: string) => void;
  profile?: boolean;
  /** Run on the database once everything is queued, before the runner (experiments). */
  prepare?: (server: RunningServer) => Promise<void>;
}): Promise<SyncRun> {
  const { kind, sandbox, filings, concurrency, log } = o;
  const dir = await mkdtemp(join(tmpdir(), 'opsp-bench-sync-'));
  const database: DatabaseTarget = kind === 'pglite' ? { kind: 'pglite', dataDir: join(dir, 'pglite') } : { kind: 'postgres', url: await o.cluster!.database('benchsync') };
  const platformDir = join(dir, 'platform');
  const service: PlatformServiceOptions = { dataDir: platformDir, secretStore: createFileSecretStore(join(platformDir, 'platform-secrets.json')), demoPlatformUrl: sandbox.url };
  const serverWith = (platform: PlatformLinkOptions) => startServer({ database, port: 0, auditKeyFile: null, sweepEveryMs: 0, passwords: { scrypt: BENCH_SCRYPT }, platform });
  const load: string[] = [];
  let server: RunningServer | undefined;
  try {
    // Setup: queue every filing with no runner.
    server = await serverWith({ ...service, run: false, concurrency });
    const config = await server.hospital.platform!.config();
    const certs = await seedCertifications(server, o.persons, filings, o.perPerson);
    const office = await officeDesk(server);
    await office.login('office1', PASSWORD);
    let t = performance.now();
    let queued = 0;
    for (let i = 0; i < certs.length; i += BATCH) {
      const [r] = (await office.push([benchCommand('filing.submit', { batchId: `batch-bench-${i / BATCH}`, certificationIds: certs.slice(i, i + BATCH) })])).results;
      if (r?.state !== 'applied') throw new Error(`filing.submit refused: ${r?.reason}`);
      queued += (r.value as { queued: number }).queued;
    }
    const queueMs = performance.now() - t;
    if (queued !== filings) throw new Error(`only ${queued} of ${filings} filings were queued`);
    log(`${kind}: ${filings} certifications written and queued (${filings / BATCH} × filing.submit of ${BATCH}: ${fmt(queueMs / 1000, 1)} s, not timed)`);

    // The bare loop's messages: the very inputs queued, grouped by lane in queue order.
    const items = rowsOf<{ item: OutboxItem }>(await server.db.orm.execute(sql`select item from platform_outbox order by seq`)).map((r) => r.item);
    const byLane = new Map<string, Send[]>();
    for (const item of items) {
      const resolved = resolveInput(item, () => undefined, () => undefined);
      if (!resolved.ok) throw new Error(resolved.reason);
      const lane = byLane.get(item.lane) ?? [];
      lane.push({ infno: item.infno, input: resolved.input as Record<string, unknown>, insuplcAdmdvs: item.insuplcAdmdvs });
      byLane.set(item.lane, lane);
    }
    const lanes = [...byLane.values()];
    await o.prepare?.(server);
    await server.close();
    server = undefined;

    const bare = async (what: string) => {
      await resetSandbox(sandbox);
      const svc = createPlatformService(service);
      try {
        load.push(loadNow());
        const r = await bareLanes((m) => svc.send(m), lanes, concurrency);
        log(`${kind}: bare round trips (${what}): ${fmt(filings / (r.ms / 1000), 0)}/s, ${r.refused} refused, ${fmt(r.cpuMs / filings, 2)} ms CPU a filing in this process (load ${loadNow()})`);
        return r;
      } finally {
        await svc.close();
      }
    };
    // Warm-up of the sandbox's and this process's code paths (not counted), then the first bare loop.
    {
      await resetSandbox(sandbox);
      const svc = createPlatformService(service);
      await bareLanes((m) => svc.send(m), lanes.slice(0, Math.ceil(lanes.length / 4)), concurrency);
      await svc.close();
    }
    const bare1 = await bare('before the runner');

    // The runner: the server again on the same database, its runner on, held at its first msgid until the start-up is over.
    await resetSandbox(sandbox);
    const gate = gatedAllocator(msgidAllocatorFor(config.institution.fixmedins_code, config.workstationSlot, config.dialect.msgid.style));
    server = await serverWith({ ...service, concurrency, gateway: { msgids: gate.allocator } });
    const link = server.hospital.platform!;
    const profiler = o.profile ? (kind === 'pglite' ? profilePglite(server) : profilePostgres()) : undefined;
    load.push(loadNow());
    profiler?.start();
    const cpu = process.cpuUsage();
    t = performance.now();
    gate.open();
    const inFlight = { samples: 0, sum: 0 };
    for (;;) {
      await new Promise((r) => setTimeout(r, 5));
      const s = link.runnerStatus();
      if (s !== 'elsewhere') {
        inFlight.samples++;
        inFlight.sum += s.inFlight;
      }
      if (s !== 'elsewhere' && s.phase === 'idle' && s.inFlight === 0 && gate.issued() >= filings) {
        // Idle after sending every message: confirm from the database (not timed if all are done).
        const open = await count(server, sql`select count(*) as n from platform_outbox where status <> 'accepted'`);
        if (open === 0) break;
      }
      if (performance.now() - t > 1_800_000) throw new Error('the runner did not finish within 30 minutes');
    }
    const runnerMs = performance.now() - t;
    const cpuUsed = process.cpuUsage(cpu);
    const runnerCpuMs = (cpuUsed.user + cpuUsed.system) / 1000;
    const profile = profiler && [...profiler.report(), `requests on the wire: ${fmt(inFlight.sum / Math.max(1, inFlight.samples), 1)} on average (${inFlight.samples} samples)`];
    for (const line of profile ?? []) log(`${kind} profile: ${line}`);
    const accepted = await count(server, sql`select count(*) as n from platform_outbox where status = 'accepted'`);
    const filed = await count(server, sql`select count(*) as n from records where tbl = 'certifications' and data ->> 'state' = 'filed'`);
    log(`${kind}: runner: ${fmt(filings / (runnerMs / 1000), 0)}/s; ${accepted} accepted, ${filed} certifications filed, ${gate.issued()} msgids, ${fmt(runnerCpuMs / filings, 2)} ms CPU a filing in the server's process (load ${loadNow()})`);
    await server.close();
    server = undefined;

    const bare2 = await bare('after the runner');
    await resetSandbox(sandbox);
    return { kind, filings, queueMs, bareMs: [bare1.ms, bare2.ms], bareRefused: [bare1.refused, bare2.refused], bareCpuMs: [bare1.cpuMs, bare2.cpuMs], runnerCpuMs, runnerMs, accepted, filed, load, profile };
  } finally {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The same for PostgreSQL, from the client's side: every statement's round trip (node-postgres),
 * each transaction's item states and its `commit` (the durable flush). For --sync-profile.
 */
function profilePostgres() {
  type Query = (this: pg.Client, ...args: unknown[]) => unknown;
  const proto = pg.Client.prototype as unknown as { query: Query };
  const original = proto.query;
  const stats = new Map<string, Stat>();
  const perTx = new WeakMap<object, number>();
  const updates: number[] = [];
  let on = false;
  const note = (client: object, text: string, ms: number) => {
    if (!on) return;
    const k = text.replace(/\s+/g, ' ').trim().slice(0, 70);
    const s = stats.get(k) ?? { n: 0, ms: 0 };
    s.n++;
    s.ms += ms;
    stats.set(k, s);
    if (k === 'begin') perTx.set(client, 0);
    else if (k.startsWith('update platform_outbox set item')) perTx.set(client, (perTx.get(client) ?? 0) + 1);
    else if (k === 'commit' && perTx.get(client)) updates.push(perTx.get(client)!);
  };
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0] as string | { text?: string };
    const text = typeof config === 'string' ? config : (config?.text ?? '');
    const t = performance.now();
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as (...r: unknown[]) => void;
      args[last] = (...r: unknown[]) => {
        note(this, text, performance.now() - t);
        callback(...r);
      };
      return original.apply(this, args);
    }
    const result = original.apply(this, args) as Promise<unknown> | undefined;
    result?.then?.(() => note(this, text, performance.now() - t), () => note(this, text, performance.now() - t));
    return result;
  };
  let cpu = process.cpuUsage();
  let t0 = performance.now();
  return {
    start() {
      on = true;
      cpu = process.cpuUsage();
      t0 = performance.now();
    },
    report(): string[] {
      on = false;
      proto.query = original;
      const wall = performance.now() - t0;
      const used = process.cpuUsage(cpu);
      const items = updates.reduce((a, b) => a + b, 0);
      const total = [...stats.values()].reduce((a, s) => a + s.ms, 0);
      return [
        `wall ${fmt(wall / 1000, 2)} s; this process's CPU ${fmt(used.user / 1e6, 2)} s user + ${fmt(used.system / 1e6, 2)} s system`,
        `${updates.length} transactions wrote ${items} item states (${fmt(items / Math.max(1, updates.length), 1)} a commit)`,
        `statement round trips (overlapping, waits for the pool included): ${fmt(total / 1000, 2)} s`,
        ...[...stats.entries()].sort((a, b) => b[1].ms - a[1].ms).slice(0, 14).map(([k, s]) => `  ${fmt(s.ms / 1000, 2)} s  ${s.n} × ${fmt(s.ms / s.n, 3)} ms  ${k}`),
      ];
    },
  };
}

const DB_LABEL: Record<ServerKind, string> = { pglite: 'PGlite（内置，磁盘）', postgres: 'PostgreSQL' };

export const syncThroughput: BenchSection = {
  id: 'sync-throughput',
  title: '同步吞吐：院内服务器发件箱 → 网关 → 沙箱（回环，无故障），对照同一轮的裸往返上限',
  async run({ args, log }) {
    const filings = Number(args['sync-filings'] ?? args['filings'] ?? 10_000);
    const perPerson = Number(args['sync-per-person'] ?? 1);
    const concurrency = Number(args['sync-concurrency'] ?? 24);
    const kinds = (args['sync-db'] ?? 'pglite,postgres').split(',') as ServerKind[];
    const persons = Math.ceil(filings / perPerson);
    const sandbox = await startSandboxProcess(persons);
    let cluster: PostgresCluster | undefined;
    const runs: SyncRun[] = [];
    try {
      const all = ((await (await fetch(`${sandbox.url}/sandbox/persons?limit=${persons}`)).json()) as { persons: PersonSummary[] }).persons;
      if (all.length < persons) throw new Error(`the sandbox lists ${all.length} persons, ${persons} needed`);
      for (const kind of kinds) {
        if (kind === 'postgres') cluster ??= await startCluster();
        runs.push(await measureServerSync({ kind, cluster, sandbox, persons: all, filings, perPerson, concurrency, log, profile: args['sync-profile'] !== undefined }));
      }
    } finally {
      await cluster?.stop();
      await sandbox.stop();
    }

    const rate = (ms: number) => (filings / ms) * 1000;
    const figures: Record<string, number | string> = { filings, perPerson, concurrency };
    const rows: string[] = [];
    const targets = [];
    for (const r of runs) {
      const ceiling = Math.max(...r.bareMs.map(rate));
      const runner = rate(r.runnerMs);
      Object.assign(figures, {
        [`${r.kind}BareBeforePerSecond`]: rate(r.bareMs[0]!),
        [`${r.kind}BareAfterPerSecond`]: rate(r.bareMs[1]!),
        [`${r.kind}CeilingPerSecond`]: ceiling,
        [`${r.kind}RunnerPerSecond`]: runner,
        [`${r.kind}RunnerSeconds`]: r.runnerMs / 1000,
        [`${r.kind}BareCpuMsPerFiling`]: Math.min(...r.bareCpuMs) / filings,
        [`${r.kind}RunnerCpuMsPerFiling`]: r.runnerCpuMs / filings,
        [`${r.kind}RatioToCeiling`]: runner / ceiling,
        [`${r.kind}Accepted`]: r.accepted,
        [`${r.kind}Filed`]: r.filed,
        [`${r.kind}QueueSeconds`]: r.queueMs / 1000,
        [`${r.kind}Load`]: r.load.join(' | '),
      });
      rows.push(
        `| ${DB_LABEL[r.kind]} | ${r.bareMs.map((ms) => fmt(rate(ms), 0)).join(' / ')} | **${fmt(ceiling, 0)}** | **${fmt(runner, 0)}** (${fmt(r.runnerMs / 1000, 1)} s) | **${fmt((runner / ceiling) * 100)}%** | ${r.accepted} / ${r.filed} | ${fmt(Math.min(...r.bareCpuMs) / filings, 2)} / ${fmt(r.runnerCpuMs / filings, 2)} ms | ${fmt(r.queueMs / 1000, 1)} s | ${r.load.join('；')} |`,
      );
      targets.push({ name: `≥ 0.8 × 同一轮裸往返上限（${DB_LABEL[r.kind]}）`, met: runner >= 0.8 * ceiling && r.accepted === filings && r.filed === filings, detail: `${fmt(runner, 0)} / ${fmt(ceiling, 0)} 件/秒 = ${fmt((runner / ceiling) * 100)}%；受理 ${r.accepted}、备案 ${r.filed} / ${filings}` });
    }
    return {
      figures,
      report: [
        `| 数据库 | 裸往返 前 / 后（次/秒） | 上限 | 运行器（件/秒） | 占上限 | 受理 / 认定已备案 | 本进程每件 CPU（裸 / 运行器） | 排队（不计时） | 负载（裸前；运行器；裸后） |`,
        `|---|---:|---:|---:|---:|---:|---:|---:|---|`,
        ...rows,
        '',
        `${filings} 份 2503，每人 ${perPerson} 份（通道 = 参保人），并发 ${concurrency} 个通道。运行器一行：院内服务器以 run:false 排好全部报文后关闭，再在同一数据库上带运行器启动；` +
          `启动完成后才放出第一个 msgid，从那时计时，到运行器空闲且全部受理、认定写为 filed 为止。裸往返：同一批 2503 输入，经同样设置的 createPlatformService（同一网关代码：信封、签名、msgid、keep-alive 连接），` +
          `按运行器的方式（每个工作者取一个通道，依次发完该人的报文）并发 ${concurrency} 个通道，不写任何存储；运行器之前、之后各测一次，取较快者为上限。每次测量前沙箱都经 POST /sandbox/reset 清空备案与会话（参保人保留），网关都是新建的（重新签到、新连接）。` +
          `沙箱在独立子进程中；网关每个工作站每秒最多 1000 个 msgid（domain.md §5），两者都受此限。`,
        ...runs.flatMap((r) => (r.profile ? ['', `${DB_LABEL[r.kind]}，运行器期间的剖析（--sync-profile）：`, '', '```', ...r.profile, '```'] : [])),
      ],
      targets,
    };
  },
};
