/**
 * Loaded into the running app page by worklist.ts (a same-origin script, so the app's CSP allows
 * it). It reads the same IndexedDB database through the app's own modules: the worklist query the
 * page runs (worklist-repo), and the sync engine's queueMessages, whose kick reaches the app's sync
 * owner over the BroadcastChannel exactly as a second window's would. Nothing here changes the app.
 */
import type { WorkItem } from '../../../src/shared/domain/work-item';
import { loadCalendar, type Calendar } from '../../../src/shared/policy/calendar';
import type { WorklistQuery } from '../../../src/shared/review/worklist';
import { getDb } from '../../../src/renderer/src/db/db';
import { countWorklist, queryWorklist } from '../../../src/renderer/src/features/cases/worklist-repo';
import type { EnqueueRequest } from '../../../src/renderer/src/sync/outbox-store';
import { queueMessages, stopSync } from '../../../src/renderer/src/sync/sync-engine';

export interface QueryTiming {
  name: string;
  rowsMs: number[];
  countMs: number[];
  rows: number;
  total: number | null;
}

export interface TaskWindow {
  ms: number;
  longTasks: number;
  longTasksOver100: number;
  longestTaskMs: number;
  longestGapMs: number;
  gapsOver100: number;
  frames: number;
}

export interface SyncFigures {
  /** The same page idle just before: what the machine and the app do anyway. */
  idle: TaskWindow;
  enqueue: TaskWindow;
  drain: TaskWindow & { finished: number; accepted: number };
}

let calendar: Calendar | undefined;
let syncRun: { monitor: ReturnType<typeof taskMonitor>; tIdle: number; t0: number; t1: number; before: { finished: number; accepted: number }; count: number } | undefined;

// Counted per status with IDBIndex.count (anyOf would walk a cursor over every finished item each
// poll — the harness's own main-thread work, charged to the app).
const finishedNow = async () => (await getDb().outbox.where('status').equals('accepted').count()) + (await getDb().outbox.where('status').equals('rejected').count());

const frame = () => new Promise<number>((r) => requestAnimationFrame(r));

/** Resolves at the first frame after `test()` holds (checked on every DOM change and frame). */
function waitFor(test: () => boolean, timeoutMs = 30_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const check = () => {
      if (test()) {
        observer.disconnect();
        requestAnimationFrame((t) => resolve(t));
        return true;
      }
      if (performance.now() - started > timeoutMs) {
        observer.disconnect();
        reject(new Error('timed out'));
        return true;
      }
      return false;
    };
    const observer = new MutationObserver(() => void check());
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    const poll = () => {
      if (!check()) requestAnimationFrame(poll);
    };
    poll();
  });
}

/** Long tasks (PerformanceObserver) and gaps between animation frames, inside marked windows. */
function taskMonitor() {
  const tasks: { start: number; end: number }[] = [];
  const gaps: { start: number; end: number }[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) tasks.push({ start: e.startTime, end: e.startTime + e.duration });
  });
  observer.observe({ type: 'longtask', buffered: false });
  let last = performance.now();
  let running = true;
  const tick = (t: number) => {
    gaps.push({ start: last, end: t });
    last = t;
    if (running) requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  return {
    window(from: number, to: number): TaskWindow {
      const inside = tasks.filter((t) => t.end > from && t.start < to).map((t) => t.end - t.start);
      const frameGaps = gaps.filter((g) => g.end > from && g.start < to).map((g) => g.end - g.start);
      return {
        ms: to - from,
        longTasks: inside.length,
        longTasksOver100: inside.filter((d) => d > 100).length,
        longestTaskMs: Math.max(0, ...inside),
        longestGapMs: Math.max(0, ...frameGaps),
        gapsOver100: frameGaps.filter((d) => d > 100).length,
        frames: frameGaps.length,
      };
    },
    async stop() {
      // Let the last frame and long-task entries arrive.
      await frame();
      await new Promise((r) => setTimeout(r, 200));
      for (const e of observer.takeRecords()) tasks.push({ start: e.startTime, end: e.startTime + e.duration });
      running = false;
      observer.disconnect();
    },
  };
}

const bench = {
  init(calendarFiles: unknown[]) {
    const loaded = loadCalendar(calendarFiles);
    if (!loaded.ok) throw new Error(loaded.errors.join('; '));
    calendar = loaded.calendar;
  },

  async userId(username: string): Promise<string> {
    const user = (await getDb().users.toArray()).find((u) => u.username === username);
    if (!user) throw new Error(`no user ${username}`);
    return user.id;
  },

  /** Facts to build query combinations from: the physician's items (a sample) and the counts. */
  async sample(assigneeId: string): Promise<{ items: WorkItem[]; workItems: number; cases: number }> {
    const db = getDb();
    const items = await db.workItems.where('[assigneeId+deadlineAt]').between([assigneeId, ''], [assigneeId, '\uffff']).toArray();
    return { items: items.filter((_, i) => i % Math.max(1, Math.floor(items.length / 2000)) === 0), workItems: items.length, cases: await db.cases.count() };
  },

  /** The query the worklist runs (useWorklist: first page of 100, rows before the total), then the total. */
  async queries(combos: { name: string; query: WorklistQuery }[], reps: number): Promise<QueryTiming[]> {
    const out: QueryTiming[] = combos.map((c) => ({ name: c.name, rowsMs: [], countMs: [], rows: 0, total: null }));
    for (let r = 0; r < reps; r++) {
      for (const [i, c] of combos.entries()) {
        const now = new Date();
        const t0 = performance.now();
        const page = await queryWorklist(getDb(), c.query, { now, calendar: calendar!, limit: 100, count: false });
        const t1 = performance.now();
        const total = await countWorklist(getDb(), c.query, { now, calendar: calendar! });
        const t2 = performance.now();
        out[i]!.rowsMs.push(t1 - t0);
        out[i]!.countMs.push(t2 - t1);
        out[i]!.rows = page.rows.length;
        out[i]!.total = total;
      }
    }
    return out;
  },

  firstRowKey(): string | null {
    return document.querySelector('.worklist-row[data-row-key]')?.getAttribute('data-row-key') ?? null;
  },

  /** Clicks the deadline-order button and times click → first row replaced (next frame), `reps` times. */
  async toggleOrder(reps: number): Promise<number[]> {
    const times: number[] = [];
    for (let r = 0; r < reps; r++) {
      const button = [...document.querySelectorAll<HTMLButtonElement>('.worklist-toolbar button')].find((b) => /时限/.test(b.textContent ?? ''));
      if (!button) throw new Error('no order button');
      const before = bench.firstRowKey();
      await frame();
      const t0 = performance.now();
      button.click();
      const t1 = await waitFor(() => {
        const key = bench.firstRowKey();
        return key !== null && key !== before;
      });
      times.push(t1 - t0);
      await new Promise((r) => setTimeout(r, 50));
    }
    return times;
  },

  /** From the worklist: opens #/cases/<caseId> as the row's 打开 does, times it to the patient header. */
  async openCase(caseId: string, personName: string): Promise<number> {
    await frame();
    const t0 = performance.now();
    window.location.hash = `/cases/${encodeURIComponent(caseId)}`;
    const t1 = await waitFor(() => document.querySelector('.patient-name')?.textContent === personName);
    window.location.hash = '/cases';
    await waitFor(() => document.querySelector('.worklist-row') !== null);
    return t1 - t0;
  },

  /**
   * Watches the page idle, then queues the filings through the sync engine. A call of its own, so
   * the ten thousand messages handed in from Node are garbage once it returns: the drain that
   * follows measures the app's heap, not the harness's copy of the batch.
   */
  async syncEnqueue(requests: EnqueueRequest[], actorId: string, idleMs = 10_000): Promise<void> {
    const db = getDb();
    const monitor = taskMonitor();
    await frame();
    const tIdle = performance.now();
    await new Promise((r) => setTimeout(r, idleMs));
    // Items finished before this run (an earlier run in the same profile) are not this run's.
    const before = { finished: await finishedNow(), accepted: await db.outbox.where('status').equals('accepted').count() };
    const t0 = performance.now();
    await queueMessages(requests, actorId);
    syncRun = { monitor, tIdle, t0, t1: performance.now(), before, count: requests.length };
  },

  /** Waits for the app's runner to finish the queued filings; the task figures of every phase. */
  async syncDrain(pollMs = 500): Promise<SyncFigures> {
    const run = syncRun!;
    const db = getDb();
    let finished = 0;
    while (finished < run.count) {
      await new Promise((r) => setTimeout(r, pollMs));
      finished = (await finishedNow()) - run.before.finished;
    }
    const t2 = performance.now();
    const accepted = (await db.outbox.where('status').equals('accepted').count()) - run.before.accepted;
    await run.monitor.stop();
    // This bundle's own sync owner only ever waited for the lock the app holds; let it go.
    await stopSync();
    return { idle: run.monitor.window(run.tIdle, run.t0), enqueue: run.monitor.window(run.t0, run.t1), drain: { ...run.monitor.window(run.t1, t2), finished, accepted } };
  },
};

declare global {
  interface Window {
    benchWorklist: typeof bench;
  }
}

window.benchWorklist = bench;
