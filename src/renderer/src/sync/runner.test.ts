import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { createFakePlatform, type FakePlatform } from '../../../../test/fixtures/fake-platform';
import { ctxAt, filingMessage, revocationMessage } from '../../../../test/fixtures/outbox-items';
import type { OutboxStore } from '../../../shared/sync/ports';
import { startSend } from '../../../shared/sync/transitions';
import { WorkstationDb } from '../db/db';
import { DexieOutboxStore } from './outbox-store';
import { SyncRunner, type RunnerOptions } from '../../../shared/sync/runner';

const fast = { backoff: { baseMs: 5, capMs: 20, factor: 2 }, settleMs: 5, setAsideAfter: 8 };
const dbs: WorkstationDb[] = [];
const runners: SyncRunner[] = [];

function setup(overrides: Partial<RunnerOptions> = {}) {
  const db = new WorkstationDb(`runner-test-${Math.random().toString(36).slice(2)}`);
  dbs.push(db);
  const store = new DexieOutboxStore(db);
  const platform = createFakePlatform();
  const runner = new SyncRunner({ store, send: (r) => platform.send(r), timing: fast, watchdogMs: 200, ...overrides });
  runners.push(runner);
  return { db, store, platform, runner };
}

afterEach(async () => {
  for (const r of runners.splice(0)) await r.stop();
  for (const db of dbs.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

async function settled(store: DexieOutboxStore, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while ((await store.openItems()).length > 0) {
    if (Date.now() > until) throw new Error(`still open: ${JSON.stringify((await store.openItems()).map((i) => i.state))}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const filingCalls = (p: FakePlatform) => p.calls.filter((c) => c.infno === '2503');

describe('SyncRunner', () => {
  it('sends every item once, each person in order, persons concurrently but bounded', async () => {
    const { store, platform, runner } = setup({ concurrency: 4 });
    let inFlight = 0;
    let peak = 0;
    const send = platform.send;
    platform.send = async (r) => {
      peak = Math.max(peak, ++inFlight);
      try {
        return await send(r);
      } finally {
        inFlight--;
      }
    };
    const codes = ['M03900', 'M01600', 'M04600'];
    await store.enqueue(Array.from({ length: 30 }, (_, i) => ({ message: filingMessage(`P${i % 10}`, codes[Math.floor(i / 10)]) })));
    void runner.run();
    await settled(store);
    expect(platform.filings).toHaveLength(30);
    expect(peak).toBeGreaterThan(1);
    expect(peak).toBeLessThanOrEqual(4);
    for (let p = 0; p < 10; p++) {
      const order = filingCalls(platform).filter((c) => c.input['data'] && (c.input['data'] as Record<string, string>)['psn_no'] === `P${p}`);
      expect(order.map((c) => (c.input['data'] as Record<string, string>)['opsp_dise_code'])).toEqual(codes);
    }
    const items = await store.db.outbox.toArray();
    expect(items.every((i) => i.state.tag === 'accepted' && i.state.receipt.values['trt_dcla_detl_sn'])).toBe(true);
  });

  it('has the previous outcome on disk before the next request of the person leaves', async () => {
    const { store, platform, runner } = setup();
    const [first, second] = await store.enqueue([{ message: filingMessage('P1') }, { message: filingMessage('P1', 'M01600') }]);
    const seen: string[] = [];
    const send = platform.send;
    platform.send = async (r) => {
      if ((r.input['data'] as Record<string, string>)['opsp_dise_code'] === 'M01600') {
        seen.push((await store.get(first!.id))!.status, (await store.get(second!.id))!.status);
      }
      return send(r);
    };
    void runner.run();
    await settled(store);
    expect(seen).toEqual(['accepted', 'sending']);
  });

  it('commit-then-drop: reconciles through 5301 instead of resending, and keeps the receipt found', async () => {
    const { store, platform, runner } = setup();
    platform.fault = (r) => (r.infno === '2503' ? 'drop' : 'none');
    const [item] = await store.enqueue([{ message: filingMessage('P1') }]);
    void runner.run();
    await settled(store);
    expect(filingCalls(platform)).toHaveLength(1);
    expect(platform.calls.map((c) => c.infno)).toEqual(['2503', '5301']);
    const stored = (await store.get(item!.id))!;
    expect(stored.state).toMatchObject({ tag: 'accepted', via: 'reconcile', receipt: { values: { trt_dcla_detl_sn: platform.filings[0]!.sn } } });
    expect(stored.attempts.map((a) => `${a.op}:${a.result}`)).toEqual(['send:unknown', 'reconcile:found']);
  });

  it('a request lost before the platform saw it is found absent and sent again, once', async () => {
    const { store, platform, runner } = setup();
    platform.fault = (_r, i) => (i === 0 ? 'lost' : 'none');
    await store.enqueue([{ message: filingMessage('P1') }]);
    void runner.run();
    await settled(store);
    expect(platform.calls.map((c) => c.infno)).toEqual(['2503', '5301', '2503']);
    expect(platform.filings).toHaveLength(1);
  });

  it('transient failures back off and retry; a hang ends by the watchdog; a throw is an unknown', async () => {
    const { store, platform, runner } = setup({ watchdogMs: 50 });
    const faults = ['refused', 'refused', 'hang', 'throw'] as const;
    let filings = 0;
    platform.fault = (r) => (r.infno === '2503' ? (faults[filings++] ?? 'none') : 'none');
    const [item] = await store.enqueue([{ message: filingMessage('P1') }]);
    void runner.run();
    await settled(store);
    const results = (await store.get(item!.id))!.attempts.map((a) => `${a.op}:${a.result}`);
    expect(results).toEqual(['send:transient', 'send:transient', 'send:unknown', 'reconcile:absent', 'send:unknown', 'reconcile:absent', 'send:accepted']);
    expect(platform.filings).toHaveLength(1);
  });

  it('start-up turns an interrupted send into unknown and reconciles it (the crash case)', async () => {
    const { store, platform, runner } = setup();
    const [item] = await store.enqueue([{ message: filingMessage('P1') }]);
    // The previous session sent the filing (the platform committed it) and died before recording the answer.
    await store.commit([startSend(item!, ctxAt())]);
    await platform.send({ infno: '2503', input: item!.input, insuplcAdmdvs: '110105' });
    void runner.run();
    await settled(store);
    expect(filingCalls(platform)).toHaveLength(1);
    expect((await store.get(item!.id))!.attempts.map((a) => `${a.op}:${a.result}`)).toEqual(['recover:interrupted', 'reconcile:found']);
  });

  it('sends a revocation after its filing with the filing’s sn, and reconciles a dropped revocation', async () => {
    const { store, platform, runner } = setup();
    platform.fault = (r) => (r.infno === '2504' ? 'drop' : 'none');
    const [filing] = await store.enqueue([{ message: filingMessage('P1') }]);
    const [revocation] = await store.enqueue([{ message: revocationMessage('P1', filing!.id) }]);
    void runner.run();
    await settled(store);
    expect(platform.calls.map((c) => c.infno)).toEqual(['2503', '2504', '5301']);
    expect((platform.calls[1]!.input['data'] as Record<string, string>)['trt_dcla_detl_sn']).toBe(platform.filings[0]!.sn);
    expect(platform.filings[0]!.active).toBe(false);
    expect((await store.get(revocation!.id))!.state).toMatchObject({ tag: 'accepted', via: 'reconcile' });
  });

  it('a second filing of an active disease is rejected with the platform’s reason, without borrowing the first receipt', async () => {
    const { store, platform, runner } = setup();
    // The second filing's answer (a rejection) is lost: the verification must not take the first's sn.
    platform.fault = (_r, i) => (i === 1 ? 'drop' : 'none');
    const [first, second] = await store.enqueue([{ message: filingMessage('P1') }, { message: filingMessage('P1') }]);
    void runner.run();
    await settled(store);
    expect((await store.get(first!.id))!.state.tag).toBe('accepted');
    expect((await store.get(second!.id))!.state).toMatchObject({ tag: 'rejected', source: 'platform', reason: expect.stringContaining('重复备案') });
    expect(platform.filings).toHaveLength(1);
  });

  it('verifies a rejection that follows an uncertain send: a late commit of the first request counts', async () => {
    const { store, platform, runner } = setup();
    const [item] = await store.enqueue([{ message: filingMessage('P1') }]);
    platform.fault = (r, i) => {
      if (i === 0) return 'lost';
      // Our first request lands on the platform late, just before the resend.
      if (i === 2) platform.filings.push({ sn: 'SN-LATE', psnNo: 'P1', code: 'M03900', begndate: '2025-03-01', active: true, msgid: 'late' });
      return 'none';
    };
    void runner.run();
    await settled(store);
    expect((await store.get(item!.id))!.state).toMatchObject({ tag: 'accepted', via: 'reconcile', receipt: { values: { trt_dcla_detl_sn: 'SN-LATE' } } });
    expect(platform.filings).toHaveLength(1);
  });

  it('sends nothing while offline and starts promptly when kicked back online', async () => {
    let online = false;
    const { store, platform, runner } = setup({ isOnline: () => online });
    await store.enqueue([{ message: filingMessage('P1') }]);
    void runner.run();
    await new Promise((r) => setTimeout(r, 30));
    expect(runner.snapshot.phase).toBe('offline');
    expect(platform.calls).toHaveLength(0);
    online = true;
    runner.kick();
    await settled(store, 1000);
    expect(platform.filings).toHaveLength(1);
  });

  it('coming back online retries at once what was waiting out a backoff', async () => {
    let online = true;
    const { store, platform, runner } = setup({ isOnline: () => online, timing: { backoff: { baseMs: 3_600_000, capMs: 3_600_000, factor: 2 }, settleMs: 5, setAsideAfter: 8 } });
    let first = true;
    platform.fault = () => (first ? ((first = false), 'refused') : 'none');
    const [item] = await store.enqueue([{ message: filingMessage('P1') }]);
    void runner.run();
    await new Promise((r) => setTimeout(r, 100));
    expect((await store.get(item!.id))!.state.tag).toBe('retrying'); // next attempt in about an hour
    online = false;
    runner.kick();
    await new Promise((r) => setTimeout(r, 20));
    online = true;
    runner.kick('online');
    await settled(store, 2000);
    expect(platform.filings).toHaveLength(1);
  });

  it('halts, naming the cause, when the store cannot write (nothing is sent unrecorded)', async () => {
    const { store, platform } = setup();
    await store.enqueue([{ message: filingMessage('P1') }]);
    const broken: OutboxStore = {
      dueLanes: (now, want, skip) => store.dueLanes(now, want, skip),
      inState: (tag) => store.inState(tag),
      laneItems: (lane) => store.laneItems(lane),
      attachmentBase64: (id, sha) => store.attachmentBase64(id, sha),
      commit: () => Promise.reject(Object.assign(new Error('AbortError'), { inner: { name: 'QuotaExceededError' } })),
    };
    const runner = new SyncRunner({ store: broken, send: platform.send, timing: fast });
    await expect(runner.run()).rejects.toThrow();
    expect(runner.snapshot).toMatchObject({ phase: 'halted', lastError: '磁盘空间不足，无法写入本地数据库' });
    expect(platform.calls).toHaveLength(0);
  });

  it('rejects locally an item whose frozen content no longer matches its hash', async () => {
    const { store, platform, runner } = setup();
    const [item] = await store.enqueue([{ message: filingMessage('P1') }]);
    await store.db.outbox.update(item!.id, { input: { data: { psn_no: 'P1', opsp_dise_code: 'M01600' } } });
    void runner.run();
    await settled(store);
    expect((await store.get(item!.id))!.state).toMatchObject({ tag: 'rejected', source: 'local' });
    expect(platform.calls).toHaveLength(0);
  });
});
