/**
 * (b) Sync throughput: 10,000 filings queued in the outbox, synced by the real runner through the
 * real gateway to the sandbox over loopback without faults; against the ceiling of the same
 * number of bare HTTP round trips (the same 2503 messages, pre-built envelopes, one keep-alive
 * client, no outbox) at the same concurrency.
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { WorkstationDb } from '../../src/renderer/src/db/db';
import { DexieOutboxStore } from '../../src/renderer/src/sync/outbox-store';
import { SyncRunner } from '../../src/renderer/src/sync/runner';
import type { OutboxStore } from '../../src/shared/sync/ports';
import { loadPolicyPack } from '../../src/sandbox/policy';
import { SandboxClient } from '../../src/sandbox/testing/client';
import { defaultPlatformConfig } from '../../src/shared/platform-config';
import { gatewayForSandbox } from '../fixtures/sandbox-gateway';
import { compatibleCodes, filingMessageFor, type WorkloadPerson } from '../fixtures/sync-workload';
import { fmt, pool, type BenchSection } from './section';
import { startSandboxProcess } from './sandbox-process';

const PER_PERSON = 4;

export const syncThroughput: BenchSection = {
  id: 'sync-throughput',
  title: '同步吞吐：发件箱 → 网关 → 沙箱（回环，无故障）',
  async run({ args, log }) {
    const filings = Number(args['filings'] ?? 10_000);
    const concurrency = Number(args['concurrency'] ?? 24);
    const persons = Math.ceil(filings / PER_PERSON);
    const sandbox = await startSandboxProcess(persons * 2);
    const db = new WorkstationDb(`bench-sync-${Date.now()}`);
    try {
      const pack = loadPolicyPack({});
      const codes = compatibleCodes(pack, PER_PERSON);
      const all = ((await (await fetch(`${sandbox.url}/sandbox/persons?limit=${persons * 2}`)).json()) as { persons: WorkloadPerson[] }).persons;
      const messages = (people: WorkloadPerson[]) =>
        Array.from({ length: filings }, (_, i) => filingMessageFor(people[Math.floor(i / PER_PERSON)]!, pack, codes[i % PER_PERSON]!));

      // The ceiling: the same kind and number of messages, straight over HTTP (other persons, so
      // none is a duplicate), envelopes built beforehand.
      const client = new SandboxClient(sandbox.url, { fixmedinsCode: defaultPlatformConfig.institution.fixmedins_code });
      await client.signIn();
      const envelopes: string[] = [];
      for (const m of messages(all.slice(persons, persons * 2))) envelopes.push(JSON.stringify(await client.envelope('2503', m.input, { insuplcAdmdvs: m.insuplcAdmdvs })));
      const path = defaultPlatformConfig.routing.kind === 'single' ? defaultPlatformConfig.routing.path : '/';
      let bareFailures = 0;
      const bare = (bodies: string[]) =>
        pool(bodies, concurrency, async (body) => {
          const res = await fetch(`${sandbox.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
          if (((await res.json()) as { infcode: number }).infcode !== 0) bareFailures++;
        });

      // The outbox side: the runner stays up; each round queues its share (not timed) and kicks it.
      // The end of a round is seen by counting finished items as they commit: polling the database
      // would charge the poll to the runner.
      const store = new DexieOutboxStore(db);
      let target = 0;
      let finished = 0;
      let roundDone: () => void = () => undefined;
      const counting: OutboxStore = {
        dueLanes: (now) => store.dueLanes(now),
        inState: (tag) => store.inState(tag),
        laneItems: (lane) => store.laneItems(lane),
        attachmentBase64: (id, sha) => store.attachmentBase64(id, sha),
        async commit(items) {
          const written = await store.commit(items);
          items.forEach((item, i) => {
            if (written[i] && (item.status === 'accepted' || item.status === 'rejected') && ++finished === target) roundDone();
          });
          return written;
        },
      };
      const gateway = gatewayForSandbox(sandbox.url, { connectMs: 5_000, responseMs: 30_000 });
      const runner = new SyncRunner({ store: counting, send: gateway.send, concurrency });
      const running = runner.run();
      const queued = messages(all.slice(0, persons));

      // Rounds alternate the two sides, so a machine that is busier at one moment than another
      // (other work, the sandbox's own database) weighs on both alike.
      const rounds = Number(args['rounds'] ?? 4);
      const size = Math.ceil(filings / rounds);
      let syncMs = 0;
      let bareMs = 0;
      for (let r = 0; r < rounds; r++) {
        const slice = [r * size, Math.min(filings, (r + 1) * size)] as const;
        let t = performance.now();
        await bare(envelopes.slice(...slice));
        bareMs += performance.now() - t;
        for (let i = slice[0]; i < slice[1]; i += 1000) await store.enqueue(queued.slice(i, Math.min(slice[1], i + 1000)).map((message) => ({ message })));
        target = slice[1];
        const done = new Promise<void>((ok) => (roundDone = ok));
        t = performance.now();
        runner.kick();
        await done;
        syncMs += performance.now() - t;
        log(`round ${r + 1}: bare ${fmt(slice[1] / (bareMs / 1000), 0)}/s so far, outbox ${fmt(slice[1] / (syncMs / 1000), 0)}/s so far`);
      }
      await runner.stop();
      await running;
      await gateway.close();
      const accepted = await db.outbox.where('status').equals('accepted').count();
      log(`bare: ${filings} round trips in ${fmt(bareMs / 1000, 2)} s (${bareFailures} refused); runner: ${accepted}/${filings} accepted in ${fmt(syncMs / 1000, 2)} s`);

      const rate = (filings / syncMs) * 1000;
      const bareRate = (filings / bareMs) * 1000;
      const ratio = rate / bareRate;
      return {
        figures: { filings, concurrency, rounds, accepted, syncSeconds: syncMs / 1000, filingsPerSecond: rate, bareSeconds: bareMs / 1000, bareRoundTripsPerSecond: bareRate, ratioToBare: ratio },
        report: [
          `| 测量 | 数量 | 用时 (s) | 每秒 |`,
          `|---|---:|---:|---:|`,
          `| 发件箱同步（运行器 + 网关 + fake-indexeddb 存储） | ${filings} | ${fmt(syncMs / 1000, 2)} | ${fmt(rate)} |`,
          `| 裸 HTTP 往返（同样的 2503 报文，预先组好信封） | ${filings} | ${fmt(bareMs / 1000, 2)} | ${fmt(bareRate)} |`,
          '',
          `同步速率为裸往返速率的 ${fmt(ratio * 100)}%（并发 ${concurrency}；两边分 ${rounds} 轮交替测量，机器忙闲对两边一样）。沙箱在独立子进程中运行；发件箱在 Node 中使用 fake-indexeddb（浏览器里是真正的 IndexedDB，见写入基准）。` +
            `网关每个工作站每秒最多 1000 个 msgid（domain.md §5 的 4 位序号分给 10 个工作站），这是同步速率的硬上限。`,
        ],
        targets: [
          { name: '≥ 500 件/秒', met: rate >= 500, detail: `${fmt(rate)} 件/秒` },
          { name: '≥ 裸往返速率的一半', met: ratio >= 0.5, detail: `${fmt(ratio * 100)}%` },
        ],
      };
    } finally {
      db.close();
      await Dexie.delete(db.name);
      await sandbox.stop();
    }
  },
};
