/**
 * The sync runner in a dedicated worker: the same SyncRunner and DexieOutboxStore as ever, on
 * the worker's own connection to the workstation database (Dexie tells the window's live queries
 * about every commit). Sending goes back through the window, which alone holds `window.api`.
 */
import { WorkstationDb } from '../db/db';
import { DexieOutboxStore } from './outbox-store';
import { SyncRunner, type RunnerStatus } from '../../../shared/sync/runner';
import type { FromWorker, ToWorker } from './worker-protocol';
import type { SendResult } from '../../../shared/sync/ports';

// The dedicated worker's global, typed by what is used (the web tsconfig has the DOM lib only).
// Kept in the built worker so tests can tell it carries the runner (test/unit/bundles.test.ts).
(self as unknown as { opspWorker: string }).opspWorker = 'opsp-sync-worker-marker';
const scope = self as unknown as { postMessage(message: FromWorker): void; onmessage: ((event: MessageEvent<ToWorker>) => void) | null };
const post = (message: FromWorker) => scope.postMessage(message);

let online = true;
let runner: SyncRunner | undefined;
let nextId = 0;
const pending = new Map<number, (result: SendResult) => void>();

// Every request sent and answered changes the in-flight count; the window needs a phase change at
// once but a count (or the platform's clock offset) only a few times a second: each message is
// work and garbage on its thread.
const STATUS_INTERVAL_MS = 250;
let lastPosted: RunnerStatus | undefined;
let latest: RunnerStatus | undefined;
let statusTimer: ReturnType<typeof setTimeout> | undefined;
function postStatus(status: RunnerStatus): void {
  latest = status;
  const countOnly = lastPosted && lastPosted.phase === status.phase && lastPosted.lastError === status.lastError;
  if (!countOnly) {
    clearTimeout(statusTimer);
    statusTimer = undefined;
    post({ type: 'status', status: (lastPosted = status) });
    return;
  }
  statusTimer ??= setTimeout(() => {
    statusTimer = undefined;
    if (latest) post({ type: 'status', status: (lastPosted = latest) });
  }, STATUS_INTERVAL_MS);
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  switch (message.type) {
    case 'start': {
      online = message.online;
      if (runner) return;
      const db = new WorkstationDb();
      runner = new SyncRunner({
        store: new DexieOutboxStore(db),
        send: (request) =>
          new Promise<SendResult>((resolve) => {
            const id = nextId++;
            pending.set(id, resolve);
            post({ type: 'send', id, request });
          }),
        isOnline: () => online,
        log: (line) => post({ type: 'log', line }),
      });
      runner.subscribe(postStatus);
      runner.run().then(
        () => post({ type: 'ended' }),
        (error: unknown) => post({ type: 'ended', error: error instanceof Error ? error.message : String(error) }),
      );
      return;
    }
    case 'kick':
      online = message.online;
      runner?.kick(message.reason);
      return;
    case 'stop':
      if (runner) void runner.stop();
      else post({ type: 'ended' });
      return;
    case 'sent':
      pending.get(message.id)?.(message.result);
      pending.delete(message.id);
      return;
  }
};
