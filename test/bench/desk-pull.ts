/**
 * (issue 7, point 1) A new 医保办 desk pulls the hospital's working set: 100,000 demo cases (with
 * their persons, assignments, reviews, work items and certifications; no material bytes) loaded on
 * the server with `loadDemo` (PGlite in a temporary folder on disk), then one `sync()` of the real
 * DeskSync in Chromium writing every page into the real WorkstationDb (IndexedDB, strict
 * durability). Each pull request is timestamped in the page, so the time splits into the request
 * (server, loopback, JSON, the protocol's schema check) and what follows it before the next one
 * (the page's Dexie transaction and the audit head). Beside it, measured in the same run:
 * the server's own time for a page at ten cursors (calling its `pull` directly), and the first
 * pages written again with one bulkPut per table: as the app's schema has it (strict, then
 * relaxed), into tables without secondary indexes, and as bare ids (what a put costs by itself).
 *
 * Options: --pull-cases=N (default 100000), --pull-page=N (page size, default 2000, the protocol's
 * maximum), --pull-keep=N (pages written again for the baselines, default 10).
 */
import { resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import { pull } from '../../src/server/app';
import { shareKeys } from '../../src/shared/hospital/protocol';
import { openBenchPage } from './browser-page';
import { initBenchDesk, loadDemo, loadNow, percentile, startBenchServer } from './hospital';
import type { PullCall } from './page/desk-page';
import { fmt, type BenchSection } from './section';

/** When page i was written (an empty last page: when it arrived). */
const doneAt = (pages: readonly PullCall[], i: number) => pages[i]!.written || pages[i]!.fetched;

/**
 * Changes per second over pages [from, to): from when the page before them was written (or the
 * sync began) to when the last of them was written. The desk asks for the next page while it
 * writes one, so a page's request overlaps the previous page's write; completions are what count.
 */
function rate(pages: readonly PullCall[], from: number, to: number, t0: number): { changes: number; ms: number; perSecond: number } {
  const changes = pages.slice(from, to).reduce((a, p) => a + p.changes, 0);
  const ms = doneAt(pages, to - 1) - (from === 0 ? t0 : doneAt(pages, from - 1));
  return { changes, ms, perSecond: (changes / ms) * 1000 };
}

export const deskPull: BenchSection = {
  id: 'desk-pull',
  title: '新的医保办工作站从院内服务器拉取 10 万件案件到 IndexedDB（Chromium，服务器 PGlite 磁盘）',
  async run({ args, log }) {
    const count = Number(args['pull-cases'] ?? 100_000);
    const pageSize = Number(args['pull-page'] ?? 2000);
    const keepPages = Number(args['pull-keep'] ?? 10);
    const loadBefore = loadNow();
    const server = await startBenchServer('pglite');
    let preflights = 0;
    let pullRequests = 0;
    server.server.app.server.on('request', (req: { method?: string; url?: string }) => {
      if (req.method === 'OPTIONS') preflights++;
      else if (req.url?.startsWith('/sync/pull')) pullRequests++;
    });
    const bench = await openBenchPage(resolve(import.meta.dirname, 'page/desk-page.ts'), 'benchDesk');
    try {
      const h = server.server.hospital;
      // Logged in before the load (a long load keeps the event loop busy; an idle keep-alive connection may not survive it).
      const desk = await server.login('li', 'office');
      let t = performance.now();
      await loadDemo(h, {
        count,
        withMaterials: false,
        seed: 20_250_601,
        physicianAccounts: [],
        actorId: null,
        onProgress: (done) => {
          if (done % 20_000 === 0 || done === count) log(`seeded ${done} cases, ${fmt((performance.now() - t) / 1000)} s`);
        },
      });
      const seedSeconds = (performance.now() - t) / 1000;
      const byTable = (await server.server.db.orm.execute(sql`select tbl, count(*)::int as n from records group by tbl order by tbl`)) as unknown as { rows: { tbl: string; n: number }[] };
      const serverRows = Object.fromEntries(byTable.rows.map((r) => [r.tbl, Number(r.n)]));
      const totalRows = Object.values(serverRows).reduce((a, b) => a + b, 0);
      log(`loadDemo: ${count} cases in ${fmt(seedSeconds)} s; ${totalRows} records (${byTable.rows.map((r) => `${r.tbl} ${r.n}`).join(', ')})`);

      await initBenchDesk(bench, server, desk, { dbName: 'bench-desk-pull', pageSize, timeoutMs: 600_000 });
      preflights = 0;
      pullRequests = 0;
      t = performance.now();
      const run = await bench.page.evaluate((k) => window.benchDesk.sync(k), keepPages);
      log(`sync(): ${fmt((performance.now() - t) / 1000)} s wall, ${run.pulls.length} pages${run.error ? `, error: ${run.error}` : ''}`);
      if (run.error) throw new Error(`sync() failed: ${run.error}`);
      const bulk = await bench.page.evaluate(() => window.benchDesk.bulkBaseline());

      const pages = run.pulls;
      const n = pages.length;
      const totalMs = run.t1 - run.t0;
      const changes = pages.reduce((a, p) => a + p.changes, 0);
      const requestMs = pages.map((p) => p.fetched - p.start);
      // The desk's own time for a page: from when both it had arrived and the previous page was written, to its own write.
      const writeMs = pages.map((p, i) => doneAt(pages, i) - Math.max(p.fetched, i ? doneAt(pages, i - 1) : run.t0));
      // How long the desk waited for a page after writing the previous one (the request time not hidden behind writes).
      const waitMs = pages.map((p, i) => Math.max(0, p.fetched - (i ? doneAt(pages, i - 1) : run.t0)));
      const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
      const tenth = Math.max(1, Math.round(n / 10));
      const first = rate(pages, 0, tenth, run.t0);
      const last = rate(pages, n - tenth, n, run.t0);
      const ratio = last.perSecond / first.perSecond;
      const firstReq = sum(requestMs.slice(0, tenth)) / tenth;
      const lastReq = sum(requestMs.slice(n - tenth)) / tenth;
      const firstWrite = sum(writeMs.slice(0, tenth)) / tenth;
      const lastWrite = sum(writeMs.slice(n - tenth)) / tenth;

      // The server's own time for a page (query, rows to changes, audit head), at ten cursors along the way.
      const keys = shareKeys({ id: desk.userId, role: 'office' });
      const samples: { at: number; ms: number }[] = [];
      for (let k = 0; k < 10; k++) {
        const i = Math.min(n - 1, Math.floor((k * n) / 10));
        const s = performance.now();
        await pull(h, keys, pages[i]!.cursor, pageSize);
        samples.push({ at: i, ms: performance.now() - s });
      }
      const serverMsEstimate = (sum(samples.map((s) => s.ms)) / samples.length) * n;
      const appFirstWrite = sum(writeMs.slice(0, bulk.pages));
      log(`first tenth ${fmt(first.perSecond, 0)} changes/s, last tenth ${fmt(last.perSecond, 0)} changes/s; requests ${fmt(sum(requestMs) / 1000)} s (waited for ${fmt(sum(waitMs) / 1000)} s of it), writes ${fmt(sum(writeMs) / 1000)} s`);
      log(`server pull() per page at pages ${samples.map((s) => `${s.at}: ${fmt(s.ms, 0)} ms`).join(', ')}`);
      log(`first ${bulk.pages} pages: app ${fmt(appFirstWrite, 0)} ms to write, bulkPut ${fmt(bulk.ms, 0)} ms (relaxed ${fmt(bulk.relaxedMs, 0)} ms, no secondary index ${fmt(bulk.noIndexMs, 0)} ms, ids only ${fmt(bulk.idsOnlyMs, 0)} ms); ${preflights} CORS preflights for ${pullRequests} pulls`);

      const c = run.counts;
      return {
        figures: {
          loadBefore,
          loadAfter: loadNow(),
          cases: count,
          seedSeconds,
          serverRecords: totalRows,
          ...Object.fromEntries(Object.entries(serverRows).map(([k, v]) => [`server_${k}`, v])),
          pageSize,
          pages: n,
          changes,
          seconds: totalMs / 1000,
          casesPerSecond: (count / totalMs) * 1000,
          changesPerSecond: (changes / totalMs) * 1000,
          firstTenthChangesPerSecond: first.perSecond,
          lastTenthChangesPerSecond: last.perSecond,
          lastToFirstRatio: ratio,
          requestSeconds: sum(requestMs) / 1000,
          writeSeconds: sum(writeMs) / 1000,
          waitSeconds: sum(waitMs) / 1000,
          requestMsFirstTenthMean: firstReq,
          requestMsLastTenthMean: lastReq,
          requestMsMax: Math.max(...requestMs),
          writeMsFirstTenthMean: firstWrite,
          writeMsLastTenthMean: lastWrite,
          writeMsP50: percentile(writeMs, 50),
          writeOnlyLastToFirstRatio: firstWrite / lastWrite,
          serverPullMsSamples: samples.map((s) => `${s.at}:${fmt(s.ms, 0)}`).join(' '),
          serverSecondsEstimate: serverMsEstimate / 1000,
          bulkBaselinePages: bulk.pages,
          bulkBaselineChanges: bulk.changes,
          bulkBaselineMs: bulk.ms,
          bulkBaselineRelaxedMs: bulk.relaxedMs,
          bulkBaselineNoIndexMs: bulk.noIndexMs,
          bulkBaselineIdsOnlyMs: bulk.idsOnlyMs,
          appWriteMsSamePages: appFirstWrite,
          corsPreflights: preflights,
          pullRequests,
          ...Object.fromEntries(Object.entries(c).map(([k, v]) => [`desk_${k}`, v])),
        },
        report: [
          `服务器：PGlite（临时目录，磁盘），开封 2023 政策包与演示医师名录；\`loadDemo\` 载入 ${count} 件演示案件（不含材料）用时 **${fmt(seedSeconds, 1)} s**，共 ${totalRows} 条记录（${byTable.rows.map((r) => `${r.tbl} ${r.n}`).join('、')}）。` +
            `工作站：Chromium 无头模式，磁盘配置文件，真实的 WorkstationDb（严格持久化）+ HospitalClient + DeskSync，页大小 ${pageSize}，跨源访问服务器（CORS）。`,
          '',
          '| 测量 | 结果 | 目标 |',
          '|---|---:|---|',
          `| 一次 sync()：${n} 页、${changes} 条变更写入 IndexedDB | **${fmt(totalMs / 1000, 1)} s**（${fmt((count / totalMs) * 1000, 0)} 件/秒，${fmt((changes / totalMs) * 1000, 0)} 条/秒） | ≤ 30 s |`,
          `| 前十分之一的速率 / 后十分之一的速率（各 ${tenth} 页） | ${fmt(first.perSecond, 0)} / ${fmt(last.perSecond, 0)} 条/秒，后者为前者的 **${fmt(ratio * 100, 0)}%** | 后者 ≥ 前者的 80% |`,
          `| 请求（服务器 + 回环 + JSON + 协议校验；下一页在写入本页时请求），合计 / 前十分之一每页 / 后十分之一每页 / 最长 | ${fmt(sum(requestMs) / 1000, 1)} s / ${fmt(firstReq, 0)} / ${fmt(lastReq, 0)} / ${fmt(Math.max(...requestMs), 0)} ms；其中未被写入掩盖、工作站空等的 ${fmt(sum(waitMs) / 1000, 1)} s | |`,
          `| 其中写入（Dexie 事务 + 审计头），合计 / 前十分之一每页 / 后十分之一每页 | ${fmt(sum(writeMs) / 1000, 1)} s / ${fmt(firstWrite, 0)} / ${fmt(lastWrite, 0)} ms（只看写入，后十分之一速率为前十分之一的 ${fmt((firstWrite / lastWrite) * 100, 0)}%） | |`,
          `| 对照：服务器 pull() 本身每页（直接调用，10 个游标位置：第几页: ms） | ${samples.map((s) => `${s.at}: ${fmt(s.ms, 0)}`).join('，')}；估计合计 ${fmt(serverMsEstimate / 1000, 1)} s | |`,
          `| 对照：前 ${bulk.pages} 页（${bulk.changes} 行）应用写入 vs 每表一次 bulkPut、每页一个严格事务 vs 同样但宽松持久化 vs 严格、无二级索引 vs 严格、无索引且每行只有 id | ${fmt(appFirstWrite, 0)} vs ${fmt(bulk.ms, 0)} vs ${fmt(bulk.relaxedMs, 0)} vs ${fmt(bulk.noIndexMs, 0)} vs ${fmt(bulk.idsOnlyMs, 0)} ms | |`,
          `| CORS 预检请求 / 拉取请求 | ${preflights} / ${pullRequests} | |`,
          '',
          `工作站最终持有：案件 ${c['cases']}、参保人 ${c['persons']}、待办 ${c['workItems']}、分配 ${c['assignments']}、审核 ${c['reviews']}、认定 ${c['certifications']}。页面中 HospitalClient 的超时设为 600 s（应用默认 15 s，单次请求超过它时应用的同步会失败）。机器负载（1/5/15 分钟平均）：开始 ${loadBefore}，结束 ${loadNow()}。`,
        ],
        targets: [
          { name: `拉取 ${count} 件 ≤ 30 s`, met: totalMs <= 30_000, detail: `${fmt(totalMs / 1000, 1)} s（${count} 件）` },
          { name: '后十分之一速率 ≥ 前十分之一的 80%', met: ratio >= 0.8, detail: `${fmt(ratio * 100, 0)}%（${fmt(first.perSecond, 0)} → ${fmt(last.perSecond, 0)} 条/秒）` },
        ],
      };
    } finally {
      await bench.close();
      await server.close();
    }
  },
};
