/**
 * (issue 7, point 2) One desk sends 10,000 commands to the hospital server with strict durability
 * at both ends: in Chromium, 10,000 受理申请 (case.take, each for a new person with a distinct valid
 * resident ID number) are queued one after another through the real outbox (`queueCommand`: one
 * strict IndexedDB transaction each, as a clerk's saves are), then one `sync()` of the real
 * DeskSync pushes them (200 a request) to a server on PGlite in a temporary folder on disk, which
 * applies each in a layer of the push's unit of work, with the draw, the change log and the audit
 * entry, and writes and commits each push as a whole. case.take is the command a 医保办 desk sends most and the heaviest one that
 * needs no earlier state; the section also pushes 1,000 of the cheapest command (hospital.facts:
 * one setting row and an audit entry) from Node as the floor of the protocol's per-command cost.
 *
 * Options: --push-commands=N (default 10000), --push-floor=N (default 1000).
 */
import { resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { openBenchPage } from './browser-page';
import { benchCommand, initBenchDesk, loadNow, percentile, startBenchServer } from './hospital';
import { institution } from '../fixtures/review-packs';
import { fmt, type BenchSection } from './section';

export const deskPush: BenchSection = {
  id: 'desk-push',
  title: '一台工作站向院内服务器提交 10,000 条命令，两端严格持久化（Chromium → PGlite 磁盘）',
  async run({ args, log }) {
    const n = Number(args['push-commands'] ?? 10_000);
    const floorN = Number(args['push-floor'] ?? 1000);
    const loadBefore = loadNow();
    const server = await startBenchServer('pglite');
    const bench = await openBenchPage(resolve(import.meta.dirname, 'page/desk-page.ts'), 'benchDesk');
    try {
      const desk = await server.login('li', 'office');
      await initBenchDesk(bench, server, desk, { dbName: 'bench-desk-push', pageSize: 2000, timeoutMs: 600_000 });
      // The desk's own share first (settings, accounts, the roster): not part of what is measured.
      await bench.page.evaluate(() => window.benchDesk.sync());

      const queued = await bench.page.evaluate(([count]) => window.benchDesk.queue(count, 11), [n] as const);
      log(`queued ${n} commands in ${fmt(queued.ms / 1000, 1)} s (p50 ${fmt(percentile(queued.each, 50), 2)} ms, p95 ${fmt(percentile(queued.each, 95), 2)} ms each)`);
      const run = await bench.page.evaluate(() => window.benchDesk.sync());
      if (run.error) log(`sync() error: ${run.error}`);
      const pushEnd = run.pulls[0]?.start ?? run.t1;
      const pushMs = pushEnd - run.t0;
      const pullMs = run.t1 - pushEnd;
      const requests = run.pushes.map((p) => p.end - p.start);
      const requestMs = requests.reduce((a, b) => a + b, 0);
      const otherMs = Object.values(run.others).reduce((a, o) => a + o.ms, 0);
      const otherText = Object.entries(run.others).map(([k, o]) => `${k} ${o.count} 次 ${fmt(o.ms / 1000, 1)} s`).join('，');
      const deskMs = pushMs - requestMs - otherMs;
      const applied = run.commandStates['applied'] ?? 0;
      const refused = run.commandStates['refused'] ?? 0;
      const pending = run.commandStates['pending'] ?? 0;
      const tenth = Math.max(1, Math.round(requests.length / 10));
      const firstBatches = requests.slice(0, tenth).reduce((a, b) => a + b, 0) / tenth;
      const lastBatches = requests.slice(-tenth).reduce((a, b) => a + b, 0) / tenth;
      const onServer = Number(((await server.server.db.orm.execute(sql`select count(*)::int as n from commands where kind = 'case.take' and state = 'applied'`)) as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0);
      const endToEndMs = queued.ms + pushMs;
      log(`push: ${fmt(pushMs / 1000, 1)} s (${run.pushes.length} requests, ${fmt(requestMs / 1000, 1)} s in them; other requests ${JSON.stringify(run.others)}); then pull ${fmt(pullMs / 1000, 1)} s; ${applied} applied, ${refused} refused, ${pending} pending; server holds ${onServer}`);

      // The floor: the cheapest command, from Node, in batches of 100.
      const floorClient = (await server.login('li', 'office')).client;
      const t = performance.now();
      for (let i = 0; i < floorN; i += 100) {
        const batch = Array.from({ length: Math.min(100, floorN - i) }, () => benchCommand('hospital.facts', { code: institution.code, name: institution.name, level: institution.level, kind: institution.kind }));
        const r = await floorClient.push(batch);
        if (r.results.some((x) => x.state !== 'applied')) throw new Error(`hospital.facts refused: ${r.results.find((x) => x.state !== 'applied')?.reason}`);
      }
      const floorMs = performance.now() - t;
      log(`floor: ${floorN} hospital.facts from Node in ${fmt(floorMs / 1000, 1)} s = ${fmt(floorMs / floorN, 2)} ms each`);

      const perSecond = (count: number, ms: number) => (count / ms) * 1000;
      return {
        figures: {
          loadBefore,
          loadAfter: loadNow(),
          commands: n,
          applied,
          refused,
          pending,
          serverApplied: onServer,
          queueSeconds: queued.ms / 1000,
          queueMsP50: percentile(queued.each, 50),
          queueMsP95: percentile(queued.each, 95),
          queueMsMax: Math.max(...queued.each),
          queuePerSecond: perSecond(n, queued.ms),
          pushSeconds: pushMs / 1000,
          pushPerSecond: perSecond(n, pushMs),
          pushRequests: run.pushes.length,
          pushRequestSeconds: requestMs / 1000,
          serverMsPerCommand: requestMs / n,
          deskPushSideSeconds: deskMs / 1000,
          otherRequestSeconds: otherMs / 1000,
          otherRequests: Object.entries(run.others).map(([k, o]) => `${k}:${o.count}`).join(' '),
          batchMsFirstTenth: firstBatches,
          batchMsLastTenth: lastBatches,
          endToEndSeconds: endToEndMs / 1000,
          endToEndPerSecond: perSecond(n, endToEndMs),
          pullAfterSeconds: pullMs / 1000,
          floorCommands: floorN,
          floorMsPerCommand: floorMs / floorN,
        },
        report: [
          `Chromium（磁盘配置文件，WorkstationDb 严格持久化）中逐条排队 ${n} 条受理申请（case.take，各为新的参保人，身份证号合法且互不相同，开封政策包，服务器当场抽取初审专家），再由一次 sync() 以每批 200 条推送到 PGlite（临时目录，磁盘）上的院内服务器。`,
          '',
          '| 测量 | 结果 | 目标 |',
          '|---|---:|---|',
          `| 端到端：排队 + 推送 | **${fmt(perSecond(n, endToEndMs), 0)} 条/秒**（${fmt(endToEndMs / 1000, 1)} s） | ≥ 2,000 条/秒 |`,
          `| 排队（queueCommand，每条一个严格事务）| ${fmt(perSecond(n, queued.ms), 0)} 条/秒（${fmt(queued.ms / 1000, 1)} s；每条 p50 ${fmt(percentile(queued.each, 50), 2)} / p95 ${fmt(percentile(queued.each, 95), 2)} / 最长 ${fmt(Math.max(...queued.each), 0)} ms） | |`,
          `| 仅推送（pushAll：${run.pushes.length} 次请求）| **${fmt(perSecond(n, pushMs), 0)} 条/秒**（${fmt(pushMs / 1000, 1)} s） | ≥ 2,000 条/秒 |`,
          `| 其中请求（服务器应用 + 回环）| ${fmt(requestMs / 1000, 1)} s = 每条 ${fmt(requestMs / n, 2)} ms；每批 200 条：前十分之一 ${fmt(firstBatches, 0)} ms，后十分之一 ${fmt(lastBatches, 0)} ms | |`,
          ...(otherMs > 0 ? [`| 其中推送之后的其他请求（${otherText}）| ${fmt(otherMs / 1000, 1)} s | |`] : []),
          `| 其中工作站一侧（读待发命令、记录应答、写入刷新的案件，严格事务）| ${fmt(deskMs / 1000, 1)} s | |`,
          `| 对照：最便宜的命令（hospital.facts：一条设置 + 审计），Node 每批 100 条 | 每条 ${fmt(floorMs / floorN, 2)} ms（${fmt(perSecond(floorN, floorMs), 0)} 条/秒） | |`,
          '',
          `结果：工作站 ${applied} 条已应用、${refused} 条被拒、${pending} 条未发；服务器记录 ${onServer} 条已应用的 case.take。推送之后同一次 sync() 拉取这些新案件用时 ${fmt(pullMs / 1000, 1)} s（不计入上表）。机器负载（1/5/15 分钟平均）：开始 ${loadBefore}，结束 ${loadNow()}。`,
        ],
        targets: [
          { name: '端到端（排队 + 推送）≥ 2,000 条/秒', met: perSecond(n, endToEndMs) >= 2000, detail: `${fmt(perSecond(n, endToEndMs), 0)} 条/秒` },
          { name: '仅推送 ≥ 2,000 条/秒', met: perSecond(n, pushMs) >= 2000, detail: `${fmt(perSecond(n, pushMs), 0)} 条/秒（服务器每条 ${fmt(requestMs / n, 2)} ms）` },
        ],
      };
    } finally {
      await bench.close();
      await server.close();
    }
  },
};
