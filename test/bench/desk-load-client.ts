/**
 * The simulated desks of desk-load.ts, in a process of their own (so their JSON and schema checks
 * are not charged to the server's event loop): each desk is a real HospitalClient, looping
 * push(one 受理申请) then pull(its share after its cursor, every page), with no pause (or a
 * random pause averaging `thinkMs`), for the given time. First `solo` seconds with desk 0 alone (the service time, no queueing), then all
 * desks at once. Reads its configuration as JSON from argv[2]; prints one JSON line of results.
 */
import { writeFileSync } from 'node:fs';
import { HospitalClient } from '../../src/renderer/src/hospital/client';
import type { Command } from '../../src/shared/hospital/protocol';
import { application, residentId } from './hospital-data';

export interface LoadConfig {
  url: string;
  desks: { deskToken: string; sessionToken: string }[];
  seconds: number;
  solo: number;
  /** residentId series: desk k uses series + k (solo: series - 1). */
  series: number;
  /** Where the result goes (JSON). */
  resultFile: string;
  /** The first index within each series (another run on the same server starts elsewhere, so its people are new). */
  start?: number;
  /** Mean pause between a desk's loops (uniform 0…2×), ms; 0: none (saturation). */
  thinkMs: number;
}

export interface PhaseResult {
  seconds: number;
  push: number[];
  pull: number[];
  loop: number[];
  applied: number;
  errors: Record<string, number>;
}

export interface LoadResult {
  solo: PhaseResult;
  load: PhaseResult;
}

let made = 0;
const command = (series: number, i: number): Command => ({
  id: `cmd-load-${process.pid}-${++made}`,
  kind: 'case.take',
  at: new Date().toISOString(),
  payload: application(residentId(series, i), `负载${i}`),
});

async function phase(config: LoadConfig, desks: LoadConfig['desks'], seconds: number, series: (k: number) => number): Promise<PhaseResult> {
  const out: PhaseResult = { seconds: 0, push: [], pull: [], loop: [], applied: 0, errors: {} };
  const fail = (what: string, e: unknown) => {
    const key = `${what}: ${e instanceof Error ? e.message : String(e)}`.slice(0, 160);
    out.errors[key] = (out.errors[key] ?? 0) + 1;
  };
  // Each desk first catches up with its share (not timed), as a desk that was already online.
  const clients = desks.map((d) => ({ client: new HospitalClient({ baseUrl: config.url, deskToken: d.deskToken, sessionToken: d.sessionToken, timeoutMs: 60_000 }), cursor: 0, next: config.start ?? 0 }));
  const catchUp = async (c: (typeof clients)[number]) => {
    for (;;) {
      const page = await c.client.pull(c.cursor, 2000);
      c.cursor = page.cursor;
      if (!page.more) return;
    }
  };
  await Promise.all(clients.map(catchUp));
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    clients.map(async (c, k) => {
      while (performance.now() < until) {
        const t0 = performance.now();
        try {
          const r = await c.client.push([command(series(k), c.next++)]);
          out.push.push(performance.now() - t0);
          if (r.results[0]?.state === 'applied') out.applied++;
          else fail('refused', r.results[0]?.reason);
        } catch (e) {
          fail('push', e);
        }
        const t1 = performance.now();
        try {
          await catchUp(c);
          out.pull.push(performance.now() - t1);
        } catch (e) {
          fail('pull', e);
        }
        out.loop.push(performance.now() - t0);
        if (config.thinkMs > 0) await new Promise((r) => setTimeout(r, Math.random() * 2 * config.thinkMs));
      }
    }),
  );
  out.seconds = (performance.now() - started) / 1000;
  return out;
}

const config = JSON.parse(process.argv[2]!) as LoadConfig;
const solo = await phase(config, config.desks.slice(0, 1), config.solo, () => config.series - 1);
const load = await phase(config, config.desks, config.seconds, (k) => config.series + k);
// Into a file, not stdout: a result of hundreds of kilobytes must not share a pipe with anything else.
writeFileSync(config.resultFile, JSON.stringify({ solo, load } satisfies LoadResult));
process.exit(0);
