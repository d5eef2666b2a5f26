/**
 * npm run bench [-- --only=<id,…>] [--<option>=<value> …]
 *
 * Runs every section of sections.ts and writes bench-results/bench.json and bench.md: figures,
 * not pass/fail, each beside its target. Options are passed to the sections (e.g. --filings=2000).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { sections } from './sections';
import type { SectionResult } from './section';

const args = Object.fromEntries(
  process.argv.slice(2).flatMap((a) => {
    const m = /^--([^=]+)=(.*)$/.exec(a);
    return m ? [[m[1]!, m[2]!]] : [];
  }),
);
const only = args['only']?.split(',');
const chosen = sections.filter((s) => !only || only.includes(s.id));
const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? '', memoryGb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}`, loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))) };

const results: (SectionResult & { id: string; title: string; seconds: number })[] = [];
for (const section of chosen) {
  console.log(`\n== ${section.title}`);
  const started = performance.now();
  const result = await section.run({ args, log: (line) => console.log(`   ${line}`) });
  results.push({ id: section.id, title: section.title, seconds: (performance.now() - started) / 1000, ...result });
  for (const t of result.targets) console.log(`   ${t.met ? '达到' : '未达到'}：${t.name}（${t.detail}）`);
}

const dir = 'bench-results';
await mkdir(dir, { recursive: true });
const generatedAt = new Date().toISOString();
await writeFile(join(dir, 'bench.json'), JSON.stringify({ generatedAt, machine, args, sections: results }, null, 2) + '\n');
const md = [
  '# 基准测试结果',
  '',
  `生成于 ${generatedAt}；${machine.cpus} 个 CPU（${machine.cpuModel}），${machine.memoryGb} GB 内存，Node ${machine.node}，开始时负载 ${machine.loadAverage.join(' / ')}。数字是测量值，不是通过/失败。`,
  '',
  ...results.flatMap((r) => [
    `## ${r.title}`,
    '',
    ...r.report,
    '',
    ...r.targets.map((t) => `- ${t.met ? '✅ 达到' : '❌ 未达到'}：${t.name}（${t.detail}）`),
    '',
  ]),
].join('\n');
await writeFile(join(dir, 'bench.md'), md);
console.log(`\n已写入 ${join(dir, 'bench.json')} 与 ${join(dir, 'bench.md')}`);
process.exit(0);
