/**
 * (a) Saving with strict durability: queuing 10,000 filings through the app's outbox store
 * (validation against the 2503 field rules, SHA-256 of each snapshot, Dexie, the audit entry, one
 * strict transaction) against raw IndexedDB adding the same records to the same object store and
 * indexes in one strict transaction — in Chromium, on an on-disk profile.
 */
import { resolve } from 'node:path';
import { openBenchPage } from './browser-page';
import { fmt, type BenchSection } from './section';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export const enqueueDurability: BenchSection = {
  id: 'enqueue-durability',
  title: '严格持久化写入：应用发件箱 vs 原生 IndexedDB（Chromium）',
  async run({ args, log }) {
    const n = Number(args['enqueue'] ?? 10_000);
    const runs = Number(args['runs'] ?? 5);
    const bench = await openBenchPage(resolve(import.meta.dirname, 'page/enqueue-page.ts'), 'benchEnqueue');
    const { page } = bench;
    try {
      const app: number[] = [];
      const raw: number[] = [];
      // A warm-up run first (JIT, database creation), then `runs` measured runs.
      for (let run = 0; run <= runs; run++) {
        const r = await page.evaluate(([count, i]) => window.benchEnqueue(count, i), [n, run] as const);
        if (r.count !== n) throw new Error(`the app stored ${r.count} of ${n}`);
        if (run === 0) continue;
        app.push(r.appMs);
        raw.push(r.rawMs);
        log(`run ${run}: app ${fmt(r.appMs, 0)} ms, raw ${fmt(r.rawMs, 0)} ms`);
      }
      const appMs = median(app);
      const rawMs = median(raw);
      const ratio = appMs / rawMs;
      return {
        figures: { records: n, runs, appMedianMs: appMs, rawMedianMs: rawMs, ratio, appRunsMs: app.join(' '), rawRunsMs: raw.join(' ') },
        report: [
          `| 写入 ${n} 条备案（严格持久化，一个事务） | 中位数 (ms) | 各次 (ms) |`,
          `|---|---:|---|`,
          `| 应用：DexieOutboxStore.enqueue（校验 + SHA-256 + Dexie + 审计） | ${fmt(appMs, 0)} | ${app.map((x) => fmt(x, 0)).join(' / ')} |`,
          `| 原生 IndexedDB：同样的记录、同样的索引 | ${fmt(rawMs, 0)} | ${raw.map((x) => fmt(x, 0)).join(' / ')} |`,
          '',
          `应用耗时为原生的 ${fmt(ratio, 2)} 倍（${runs} 次测量的中位数，先预热一次；Chromium 磁盘配置文件）。`,
        ],
        targets: [{ name: '≤ 原生 IndexedDB 的 1.3 倍', met: ratio <= 1.3, detail: `${fmt(ratio, 2)} 倍` }],
      };
    } finally {
      await bench.close();
    }
  },
};
