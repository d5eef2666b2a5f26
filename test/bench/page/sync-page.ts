/**
 * Runs in Chromium (bundled by sync-throughput.ts): the app's real sync runner and outbox store
 * on real IndexedDB (strict durability), sending through a loopback endpoint that calls the real
 * gateway — the browser-mode path (window.api over HTTP to the host), minus the host's token check.
 */
import { WorkstationDb } from '../../../src/renderer/src/db/db';
import { DexieOutboxStore } from '../../../src/renderer/src/sync/outbox-store';
import { SyncRunner } from '../../../src/shared/sync/runner';
import type { OutboxMessage } from '../../../src/shared/sync/outbox-item';
import type { SendResult } from '../../../src/shared/sync/ports';
import { countingStore } from '../counting-store';

declare global {
  interface Window {
    benchSyncStart(concurrency: number, sendOrigins: string[]): Promise<void>;
    /** Queues `messages` (not timed), then answers how long the runner took to finish them (ms). */
    benchSyncRound(messages: OutboxMessage[]): Promise<{ ms: number; accepted: number }>;
  }
}

let store: DexieOutboxStore;
let runner: SyncRunner;
let target = 0;
let finished = 0;
let accepted = 0;
let roundDone: () => void = () => undefined;

window.benchSyncStart = async (concurrency, sendOrigins) => {
  await new Promise<void>((ok) => {
    const r = indexedDB.deleteDatabase('bench-sync');
    r.onsuccess = r.onerror = () => ok();
  });
  store = new DexieOutboxStore(new WorkstationDb('bench-sync'));
  const counting = countingStore(store, (item) => {
    if (item.status === 'accepted') accepted++;
    if (++finished === target) roundDone();
  });
  // Spread over several loopback origins: a browser keeps at most six HTTP/1.1 connections per
  // origin, which would cap the runner's lanes at six (text/plain: no CORS preflight).
  let next = 0;
  const send = async (request: unknown): Promise<SendResult> => {
    const origin = sendOrigins.length ? sendOrigins[next++ % sendOrigins.length] : '';
    const res = await fetch(`${origin}/send`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(request) });
    return (await res.json()) as SendResult;
  };
  runner = new SyncRunner({ store: counting, send, concurrency });
  void runner.run();
};

window.benchSyncRound = async (messages) => {
  for (let i = 0; i < messages.length; i += 1000) await store.enqueue(messages.slice(i, i + 1000).map((message) => ({ message })));
  target += messages.length;
  const done = new Promise<void>((ok) => (roundDone = ok));
  const t = performance.now();
  runner.kick();
  await done;
  return { ms: performance.now() - t, accepted };
};
