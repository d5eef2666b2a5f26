/**
 * (issue 7, point 4) 50 desks pushing and pulling at once: 50 enrolled desks, each with its own
 * 医保办 account logged in, simulated by real HospitalClients in a child process
 * (desk-load-client.ts); each loops push(one 受理申请) + pull(its share, every page after its
 * cursor) with no pause for ~20 s. Command latency is the push request's round trip (the server
 * applies and commits it before answering). Run against the server on PGlite (a temporary folder
 * on disk) and on PostgreSQL (a throwaway cluster started for the section, as the tests start
 * one, with fsync on). Beside it, in the same run: desk 0 alone for a few seconds — the service
 * time with nobody queueing.
 *
 * Options: --load-desks=N (default 50), --load-seconds=N (default 20), --load-solo=N (default 5),
 * --load-db=pglite,postgres (default both), --load-think-ms=N,… (a desk's mean pause between
 * loops, one run each; default 0,1000: no pause at all, a saturation test where latency is the
 * queue, and a pause of 1 s on average, 50 commands a second from the hospital, far more than
 * any hospital's desks send).
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'drizzle-orm';
import type { LoadConfig, LoadResult, PhaseResult } from './desk-load-client';
import { loadNow, percentile, startBenchServer, startCluster, type PostgresCluster, type ServerKind } from './hospital';
import { fmt, type BenchSection, type Target } from './section';

async function runClients(config: Omit<LoadConfig, 'resultFile'>): Promise<LoadResult> {
  const dir = await mkdtemp(join(tmpdir(), 'opsp-desk-load-'));
  const resultFile = join(dir, 'result.json');
  try {
    await new Promise<void>((ok, fail) => {
      const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'desk-load-client.ts'), JSON.stringify({ ...config, resultFile })], { stdio: ['ignore', 'ignore', 'pipe'] });
      let err = '';
      child.stderr.on('data', (c: Buffer) => (err += c.toString('utf8')));
      child.once('exit', (code) => (code === 0 ? ok() : fail(new Error(`load client exited ${code}:\n${err.slice(-2000)}`))));
    });
    return JSON.parse(await readFile(resultFile, 'utf8')) as LoadResult;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const LABEL: Record<ServerKind, string> = { pglite: 'PGlite（磁盘）', postgres: 'PostgreSQL' };

interface Measured {
  kind: ServerKind;
  version: string;
  thinkMs: number;
  result: LoadResult;
}

const errorCount = (p: PhaseResult) => Object.values(p.errors).reduce((a, b) => a + b, 0);

export const deskLoad: BenchSection = {
  id: 'desk-load',
  title: '50 台工作站同时推送与拉取（Node 客户端，服务器 PGlite 与 PostgreSQL）',
  async run({ args, log }) {
    const deskCount = Number(args['load-desks'] ?? 50);
    const seconds = Number(args['load-seconds'] ?? 20);
    const solo = Number(args['load-solo'] ?? 5);
    const kinds = (args['load-db'] ?? 'pglite,postgres').split(',') as ServerKind[];
    const thinks = String(args['load-think-ms'] ?? '0,1000').split(',').map(Number);
    const loadBefore = loadNow();
    let cluster: PostgresCluster | undefined;
    const measured: Measured[] = [];
    try {
      for (const kind of kinds) {
        if (kind === 'postgres') cluster ??= await startCluster();
        const server = await startBenchServer(kind, cluster);
        try {
          const version = String(((await server.server.db.orm.execute(sql`show server_version`)) as unknown as { rows: { server_version: string }[] }).rows[0]?.server_version ?? '?');
          const desks = [];
          for (let k = 0; k < deskCount; k++) {
            const d = await server.login(`desk${String(k).padStart(2, '0')}`, 'office');
            desks.push({ deskToken: d.deskToken, sessionToken: d.sessionToken });
          }
          log(`${LABEL[kind]} ${version}: ${deskCount} desks enrolled and logged in`);
          for (const [i, thinkMs] of thinks.entries()) {
            const result = await runClients({ url: server.url, desks, seconds, solo, series: 40, start: i * 1_000_000, thinkMs });
            for (const [name, p] of [['alone', result.solo], ['load', result.load]] as const) {
              log(
                `${LABEL[kind]} think ${thinkMs} ms ${name}: ${p.push.length} pushes in ${fmt(p.seconds)} s (${fmt(p.applied / p.seconds)} commands/s); push p50/p95/p99 ${fmt(percentile(p.push, 50), 0)}/${fmt(percentile(p.push, 95), 0)}/${fmt(percentile(p.push, 99), 0)} ms; pull p50/p95 ${fmt(percentile(p.pull, 50), 0)}/${fmt(percentile(p.pull, 95), 0)} ms; ${errorCount(p)} errors`,
              );
              for (const [k, v] of Object.entries(p.errors)) log(`  ${v} × ${k}`);
            }
            measured.push({ kind, version, thinkMs, result });
          }
        } finally {
          await server.close();
        }
      }
    } finally {
      await cluster?.stop();
    }

    const figures: Record<string, number | string> = { desks: deskCount, seconds, thinkMs: thinks.join(','), loadBefore, loadAfter: loadNow() };
    const rows: string[] = [];
    const targets: Target[] = [];
    for (const { kind: server, version, thinkMs, result } of measured) {
      // Figures of the first workload keep their old names; the others are suffixed with the pause.
      const kind = thinkMs === thinks[0] ? server : `${server}Think${thinkMs}`;
      const label = `${LABEL[server]}${thinkMs > 0 ? `（每轮平均停顿 ${thinkMs} ms）` : '（无停顿）'}`;
      const { load, solo: alone } = result;
      const p95 = percentile(load.push, 95);
      const errors = errorCount(load) + errorCount(alone);
      Object.assign(figures, {
        [`${kind}Version`]: version,
        [`${kind}Commands`]: load.push.length,
        [`${kind}Applied`]: load.applied,
        [`${kind}CommandsPerSecond`]: load.applied / load.seconds,
        [`${kind}PushP50Ms`]: percentile(load.push, 50),
        [`${kind}PushP95Ms`]: p95,
        [`${kind}PushP99Ms`]: percentile(load.push, 99),
        [`${kind}PushMaxMs`]: Math.max(...load.push),
        [`${kind}PullP50Ms`]: percentile(load.pull, 50),
        [`${kind}PullP95Ms`]: percentile(load.pull, 95),
        [`${kind}Errors`]: errors,
        [`${kind}AlonePushP50Ms`]: percentile(alone.push, 50),
        [`${kind}AlonePushP95Ms`]: percentile(alone.push, 95),
        [`${kind}AlonePullP50Ms`]: percentile(alone.pull, 50),
        [`${kind}AloneCommandsPerSecond`]: alone.applied / alone.seconds,
      });
      rows.push(
        `| ${label} ${version}：${deskCount} 台同时 | ${load.push.length}（${fmt(load.applied / load.seconds, 1)} 条/秒） | ${fmt(percentile(load.push, 50), 0)} / **${fmt(p95, 0)}** / ${fmt(percentile(load.push, 99), 0)} / ${fmt(Math.max(...load.push), 0)} | ${fmt(percentile(load.pull, 50), 0)} / ${fmt(percentile(load.pull, 95), 0)} | ${errorCount(load)} |`,
        `| ${label}：对照，1 台单独 ${fmt(alone.seconds, 0)} s | ${alone.push.length}（${fmt(alone.applied / alone.seconds, 1)} 条/秒） | ${fmt(percentile(alone.push, 50), 0)} / ${fmt(percentile(alone.push, 95), 0)} / ${fmt(percentile(alone.push, 99), 0)} / ${fmt(Math.max(...alone.push), 0)} | ${fmt(percentile(alone.pull, 50), 0)} / ${fmt(percentile(alone.pull, 95), 0)} | ${errorCount(alone)} |`,
      );
      targets.push({ name: `${label}：命令 p95 ≤ 100 ms，无错误`, met: p95 <= 100 && errors === 0, detail: `p95 ${fmt(p95, 0)} ms，p99 ${fmt(percentile(load.push, 99), 0)} ms，${errors} 个错误` });
    }
    return {
      figures,
      report: [
        `${deskCount} 台登记过的工作站，各自一个医保办账户，由子进程中的 ${deskCount} 个 HospitalClient 模拟：每台循环“推送一条受理申请（case.take，新参保人）→ 拉取本工作站份额的全部新变更”，${thinks.map((t) => (t > 0 ? `每轮之后随机停顿（平均 ${t} ms）` : '无停顿')).join('、')}各 ${seconds} s。命令延迟 = 推送请求的往返（服务器应用并提交后才应答）。PostgreSQL 为本节临时启动的集群（initdb，fsync 开启），服务器连接池 10。`,
        '',
        '| 服务器 | 命令数（每秒） | 命令延迟 p50 / p95 / p99 / 最长 (ms) | 拉取 p50 / p95 (ms) | 错误 |',
        '|---|---:|---:|---:|---:|',
        ...rows,
        '',
        `有停顿时负载取决于停顿长短；无停顿时是饱和负载：服务器的写入一次一个（写锁），所以同时等待的工作站越多，每条命令排队越久（延迟 ≈ 工作站数 × 每条命令的服务时间）。客户端子进程与服务器进程共用这台机器的 CPU。机器负载（1/5/15 分钟平均）：开始 ${loadBefore}，结束 ${figures['loadAfter']}。`,
      ],
      targets,
    };
  },
};
