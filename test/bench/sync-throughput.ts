/**
 * (b) Sync throughput: 10,000 filings queued in the outbox, synced by the real runner through the
 * real gateway to the sandbox over loopback without faults; against the ceiling of the same
 * number of bare HTTP round trips (the same 2503 messages, pre-built envelopes, one keep-alive
 * client, no outbox) at the same concurrency. The runner is measured twice: in Node on
 * fake-indexeddb (the fault test's setting) and in Chromium on real IndexedDB with strict
 * durability, sending through a loopback endpoint to the gateway (the browser-mode path).
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { WorkstationDb } from '../../src/renderer/src/db/db';
import { DexieOutboxStore } from '../../src/renderer/src/sync/outbox-store';
import { SyncRunner } from '../../src/shared/sync/runner';
import { countingStore } from './counting-store';
import { loadPolicyPack } from '../../src/sandbox/policy';
import { SandboxClient } from '../../src/sandbox/testing/client';
import { defaultPlatformConfig } from '../../src/shared/platform-config';
import { gatewayForSandbox } from '../fixtures/sandbox-gateway';
import { compatibleCodes, filingMessageFor, type WorkloadPerson } from '../fixtures/sync-workload';
import { fmt, pool, type BenchSection } from './section';
import { resolve } from 'node:path';
import { openBenchPage } from './browser-page';
import { startSandboxProcess } from './sandbox-process';

const PER_PERSON = 4;

export const syncThroughput: BenchSection = {
  id: 'sync-throughput',
  title: '同步吞吐：发件箱 → 网关 → 沙箱（回环，无故障）',
  async run({ args, log }) {
    const filings = Number(args['filings'] ?? 10_000);
    const concurrency = Number(args['concurrency'] ?? 24);
    const rounds = Number(args['rounds'] ?? 4);
    const persons = Math.ceil(filings / PER_PERSON);
    // Three sets of persons: bare round trips, the runner in Node, the runner in Chromium — so no filing is a duplicate.
    const sandbox = await startSandboxProcess(persons * 3);
    const db = new WorkstationDb(`bench-sync-${Date.now()}`);
    const gateway = gatewayForSandbox(sandbox.url, { connectMs: 5_000, responseMs: 30_000 });
    const browser = await openBenchPage(resolve(import.meta.dirname, 'page/sync-page.ts'), 'benchSyncRound', {
      send: async (_req, res, body) => {
        const answer = await gateway.send(JSON.parse(body) as Parameters<typeof gateway.send>[0]);
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
      },
    }, Math.ceil(concurrency / 6));
    try {
      const pack = loadPolicyPack({});
      const codes = compatibleCodes(pack, PER_PERSON);
      const all = ((await (await fetch(`${sandbox.url}/sandbox/persons?limit=${persons * 3}`)).json()) as { persons: WorkloadPerson[] }).persons;
      const messages = (people: WorkloadPerson[]) =>
        Array.from({ length: filings }, (_, i) => filingMessageFor(people[Math.floor(i / PER_PERSON)]!, pack, codes[i % PER_PERSON]!));

      // The ceiling: the same kind and number of messages straight over HTTP, envelopes built beforehand.
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

      // The runner in Node stays up; each round queues its share (not timed) and kicks it. The end
      // of a round is seen by counting finished items as they commit: polling the database would
      // charge the poll to the runner.
      const store = new DexieOutboxStore(db);
      let target = 0;
      let finished = 0;
      let roundDone: () => void = () => undefined;
      const counting = countingStore(store, () => {
        if (++finished === target) roundDone();
      });
      const runner = new SyncRunner({ store: counting, send: gateway.send, concurrency });
      const running = runner.run();
      const nodeQueue = messages(all.slice(0, persons));
      const browserQueue = messages(all.slice(persons * 2, persons * 3));
      await browser.page.evaluate(([c, origins]) => window.benchSyncStart(c, origins), [concurrency, browser.routeOrigins] as const);

      // Rounds alternate the three, so a machine busier at one moment than another (other work,
      // the sandbox's own database growing) weighs on all alike.
      const size = Math.ceil(filings / rounds);
      let bareMs = 0;
      let nodeMs = 0;
      let browserMs = 0;
      let browserAccepted = 0;
      for (let r = 0; r < rounds; r++) {
        const [from, to] = [r * size, Math.min(filings, (r + 1) * size)];
        let t = performance.now();
        await bare(envelopes.slice(from, to));
        bareMs += performance.now() - t;
        for (let i = from; i < to; i += 1000) await store.enqueue(nodeQueue.slice(i, Math.min(to, i + 1000)).map((message) => ({ message })));
        target = to;
        const done = new Promise<void>((ok) => (roundDone = ok));
        t = performance.now();
        runner.kick();
        await done;
        nodeMs += performance.now() - t;
        const inBrowser = await browser.page.evaluate((m) => window.benchSyncRound(m), browserQueue.slice(from, to));
        browserMs += inBrowser.ms;
        browserAccepted = inBrowser.accepted;
        log(`round ${r + 1}: bare ${fmt(to / (bareMs / 1000), 0)}/s, Node runner ${fmt(to / (nodeMs / 1000), 0)}/s, Chromium runner ${fmt(to / (browserMs / 1000), 0)}/s (so far)`);
      }
      await runner.stop();
      await running;
      const accepted = await db.outbox.where('status').equals('accepted').count();
      log(`${bareFailures} bare round trips refused; accepted: Node ${accepted}/${filings}, Chromium ${browserAccepted}/${filings}`);

      const rate = (ms: number) => (filings / ms) * 1000;
      const bareRate = rate(bareMs);
      const row = (what: string, ms: number) => `| ${what} | ${filings} | ${fmt(ms / 1000, 2)} | ${fmt(rate(ms))} | ${fmt((rate(ms) / bareRate) * 100)}% |`;
      return {
        figures: {
          filings, concurrency, rounds, nodeAccepted: accepted, chromiumAccepted: browserAccepted,
          bareSeconds: bareMs / 1000, bareRoundTripsPerSecond: bareRate,
          nodeSeconds: nodeMs / 1000, nodeFilingsPerSecond: rate(nodeMs), nodeRatioToBare: rate(nodeMs) / bareRate,
          chromiumSeconds: browserMs / 1000, chromiumFilingsPerSecond: rate(browserMs), chromiumRatioToBare: rate(browserMs) / bareRate,
        },
        report: [
          `| 测量 | 数量 | 用时 (s) | 每秒 | 占裸往返 |`,
          `|---|---:|---:|---:|---:|`,
          row('裸 HTTP 往返（同样的 2503 报文，预先组好信封，无发件箱）', bareMs),
          row('发件箱同步，Node：运行器 + 网关 + fake-indexeddb 存储', nodeMs),
          row('发件箱同步，Chromium：运行器 + 真实 IndexedDB（严格持久化）+ 回环接口 → 网关', browserMs),
          '',
          `并发 ${concurrency}；三者分 ${rounds} 轮交替测量，机器忙闲对三者一样。沙箱在独立子进程中运行。` +
            `Node 一行的存储是测试替身 fake-indexeddb（纯 JS，每次提交都要结构化克隆并维护索引），Chromium 一行才是应用的真实存储；` +
            `Chromium 一行每条报文比裸往返多一次回环 HTTP（页面 → 网关，相当于浏览器模式的 window.api），分散到 ${Math.ceil(concurrency / 6)} 个回环源，因为浏览器对每个源最多开 6 个 HTTP/1.1 连接。` +
            `网关每个工作站每秒最多 1000 个 msgid（domain.md §5 的 4 位序号分给 10 个工作站），这是同步速率的硬上限。`,
        ],
        targets: [
          { name: '≥ 500 件/秒（Node，fake-indexeddb）', met: rate(nodeMs) >= 500, detail: `${fmt(rate(nodeMs))} 件/秒；裸往返本身 ${fmt(bareRate)} 次/秒` },
          { name: '≥ 裸往返速率的一半（Node，fake-indexeddb）', met: rate(nodeMs) / bareRate >= 0.5, detail: `${fmt((rate(nodeMs) / bareRate) * 100)}%` },
          { name: '≥ 500 件/秒（Chromium，真实 IndexedDB）', met: rate(browserMs) >= 500, detail: `${fmt(rate(browserMs))} 件/秒` },
          { name: '≥ 裸往返速率的一半（Chromium，真实 IndexedDB）', met: rate(browserMs) / bareRate >= 0.5, detail: `${fmt((rate(browserMs) / bareRate) * 100)}%` },
        ],
      };
    } finally {
      await browser.close();
      await gateway.close();
      db.close();
      await Dexie.delete(db.name);
      await sandbox.stop();
    }
  },
};
