/**
 * The hospital server's link to the provincial platform: its settings and secrets, the gateway
 * (src/server/platform), and the one runner that works the outbox (src/server/outbox.ts). Desks
 * never call the platform: lookups go through POST /platform/query, filings through commands.
 *
 * One runner at a time: on PostgreSQL, several server processes may share a database, so the
 * runner runs only while this process holds a session-level advisory lock on a connection of its
 * own (the others look again now and then). Each write is compare-and-set on the item's `rev` as
 * well, so even two runners could not both send one item.
 */
import { sql } from 'drizzle-orm';
import { platformKey, platformKeyLabel, type ServerPlatformStatus } from '../shared/hospital/filings';
import type { PlatformConfig } from '../shared/platform-config';
import { SyncRunner, type RunnerStatus } from '../shared/sync/runner';
import type { SyncTiming } from '../shared/sync/transitions';
import type { Hospital } from './hospital';
import { PgOutboxStore } from './outbox';
import { createPlatformService, type PlatformService, type PlatformServiceOptions } from './platform/platform-service';
import { rowsOf } from './rows';

/** "oppr": the outbox runner's advisory lock. */
export const RUNNER_LOCK = 0x6f707072;
const LOCK_RETRY_MS = 10_000;

export interface PlatformLinkOptions extends PlatformServiceOptions {
  /** Runner tuning (tests, the fault run). */
  timing?: SyncTiming;
  concurrency?: number;
  requestTimeoutMs?: number;
  /** False: no runner in this process (tests that only queue). */
  run?: boolean;
  /** The runner's clock (backoffs, checks); the server's by default. Tests whose server clock stands still give a running one. */
  now?: () => Date;
}

export interface PlatformLink {
  readonly service: PlatformService;
  /** The platform messages are made for and sent to now (platformKey). */
  key(): Promise<string>;
  config(): Promise<PlatformConfig>;
  /** Look at the outbox now (something was queued or released). */
  kick(): void;
  status(): Promise<ServerPlatformStatus>;
  runnerStatus(): RunnerStatus | 'elsewhere';
  /** Settings saved: a new gateway, and the runner goes on with the new platform's messages. */
  configChanged(): Promise<void>;
  close(): Promise<void>;
}

export function createPlatformLink(h: Hospital, options: PlatformLinkOptions): PlatformLink {
  const service = createPlatformService(options);
  let current: { config: PlatformConfig; key: string } | undefined;
  const load = async () => {
    const { config } = await service.getConfig();
    current = { config, key: platformKey(config) };
    return current;
  };
  const store = new PgOutboxStore(h, () => current?.key ?? 'demo');
  // The link came back (an answer after failures): what waits out a backoff is tried at once, as a
  // desk does when its network returns — the failures were, most likely, the missing link.
  let failing = false;
  const runner: SyncRunner = new SyncRunner({
    store,
    send: async (request) => {
      const answer = await service.send(request);
      if (answer.outcome === 'transient' || answer.outcome === 'unknown') failing = true;
      else if (failing) {
        failing = false;
        runner.kick('online');
      }
      return answer;
    },
    timing: options.timing,
    concurrency: options.concurrency,
    requestTimeoutMs: options.requestTimeoutMs,
    now: options.now ?? h.now,
    log: options.log,
  });
  let lock: { release(): Promise<void> } | undefined;
  let running: Promise<void> | undefined;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let holder = false;

  async function tryStart(): Promise<void> {
    if (closed || running) return;
    await load();
    if (closed) return;
    lock = await h.db.holdLock(RUNNER_LOCK);
    if (closed) {
      await lock?.release();
      lock = undefined;
      return;
    }
    if (!lock) {
      holder = false;
      retry = setTimeout(start, LOCK_RETRY_MS);
      retry.unref?.();
      return;
    }
    holder = true;
    running = runner.run().catch((e: unknown) => {
      if (!closed) options.log?.(`[platform] 发件箱停止：${e instanceof Error ? e.message : String(e)}`);
    }).finally(async () => {
      running = undefined;
      holder = false;
      await lock?.release().catch(() => undefined);
      lock = undefined;
      // A storage failure stopped it: try again a little later, unless the server is closing.
      if (!closed) {
        retry = setTimeout(start, LOCK_RETRY_MS);
        retry.unref?.();
      }
    });
  }
  let starting: Promise<void> = Promise.resolve();
  const start = () => {
    starting = tryStart().catch((e: unknown) => {
      if (!closed) options.log?.(`[platform] 发件箱未能启动：${e instanceof Error ? e.message : String(e)}`);
    });
  };
  if (options.run !== false) start();

  return {
    service,
    key: async () => (current ?? (await load())).key,
    config: async () => (current ?? (await load())).config,
    kick: () => runner.kick(),
    runnerStatus: () => (holder ? runner.snapshot : 'elsewhere'),
    async configChanged() {
      await load();
      runner.kick('online');
    },
    async status() {
      const { key, config } = current ?? (await load());
      const gateway = await service.status();
      const counts = rowsOf<{ status: string; setaside: boolean; n: number | string }>(
        await h.db.orm.execute(sql`
          select status, coalesce((item -> 'state' ->> 'setAside')::boolean, false) and (item -> 'state' -> 'handled') is null as setaside, count(*) as n
          from platform_outbox where platform = ${key} and (status <> 'accepted') group by 1, 2`),
      );
      const n = (status: string, setAside = false) => counts.filter((c) => c.status === status && c.setaside === setAside).reduce((a, c) => a + Number(c.n), 0);
      const needsPerson = Number(
        rowsOf<{ n: number | string }>(await h.db.orm.execute(sql`select count(*) as n from platform_outbox where platform = ${key} and status = 'rejected' and (item -> 'state' -> 'handled') is null`))[0]?.n ?? 0,
      );
      const next = rowsOf<{ due: number | string | null }>(await h.db.orm.execute(sql`select min(due) as due from platform_outbox where platform = ${key} and due is not null and status in ('retrying', 'unknown')`))[0]?.due;
      const others = rowsOf<{ platform: string; n: number | string }>(
        await h.db.orm.execute(sql`select platform, count(*) as n from platform_outbox where platform <> ${key} and (status in ('queued', 'sending', 'retrying', 'unknown') or (status = 'rejected' and (item -> 'state' ->> 'setAside') = 'true' and (item -> 'state' -> 'handled') is null)) group by platform order by platform`),
      );
      const snap = runner.snapshot;
      return {
        platform: key,
        label: config.mode === 'demo' ? '演示平台' : gateway.label,
        online: Boolean(gateway.lastOkAt) && !gateway.lastError,
        signedIn: gateway.signedIn,
        lastSuccessAt: gateway.lastOkAt ?? null,
        lastError: gateway.lastError ?? snap.lastError ?? null,
        clockOffsetMs: snap.clockOffsetMs ?? gateway.clockOffsetMs ?? null,
        runner: holder ? (snap.phase === 'working' || snap.phase === 'idle' || snap.phase === 'offline' || snap.phase === 'halted' || snap.phase === 'stopped' ? snap.phase : 'idle') : 'elsewhere',
        counts: { queued: n('queued'), inFlight: n('sending'), waiting: n('retrying'), checking: n('unknown'), needsPerson },
        nextAttemptAt: next === null || next === undefined ? null : new Date(Number(next)).toISOString(),
        heldForOther: others.map((o) => ({ platform: o.platform, label: platformKeyLabel(o.platform), count: Number(o.n) })),
      };
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      // A start under way finishes (and sees `closed`) before the runner is stopped.
      await starting;
      await runner.stop();
      await running;
      await service.close();
    },
  };
}
