/**
 * Runs in Chromium (bundled by enqueue-durability.ts): the app's real outbox store against raw
 * IndexedDB writing the same records, both with strict durability, in the same page.
 */
import { WorkstationDb } from '../../../src/renderer/src/db/db';
import { DexieOutboxStore } from '../../../src/renderer/src/sync/outbox-store';
import type { OutboxItem } from '../../../src/shared/sync/outbox-item';
import { filingMessage } from '../../fixtures/outbox-items';

const messages = (n: number, run: number) =>
  Array.from({ length: n }, (_, i) => ({ message: filingMessage(`B${run}${String(i).padStart(9, '0')}`), meta: { psnName: '测试甲' } }));

function deleteDb(name: string): Promise<void> {
  return new Promise((ok, fail) => {
    const r = indexedDB.deleteDatabase(name);
    r.onsuccess = () => ok();
    r.onerror = () => fail(r.error);
  });
}

/** The app: validate, hash and queue `n` filings through DexieOutboxStore.enqueue (one strict transaction). */
async function appEnqueue(n: number, run: number): Promise<{ ms: number; items: OutboxItem[] }> {
  const name = `bench-app-${run}`;
  await deleteDb(name);
  const db = new WorkstationDb(name);
  await db.open();
  const store = new DexieOutboxStore(db);
  const requests = messages(n, run);
  const t = performance.now();
  await store.enqueue(requests, 'bench');
  const ms = performance.now() - t;
  const items = await db.outbox.toArray();
  db.close();
  return { ms, items };
}

/** Raw IndexedDB: the same object store and indexes, the same records, one strict transaction. */
async function rawPut(records: OutboxItem[], run: number): Promise<number> {
  const name = `bench-raw-${run}`;
  await deleteDb(name);
  const db = await new Promise<IDBDatabase>((ok, fail) => {
    const r = indexedDB.open(name, 1);
    r.onupgradeneeded = () => {
      const s = r.result.createObjectStore('outbox', { keyPath: 'id' });
      s.createIndex('seq', 'seq', { unique: true });
      s.createIndex('status', 'status');
      s.createIndex('[lane+seq]', ['lane', 'seq']);
      s.createIndex('[due+lane]', ['due', 'lane']);
    };
    r.onsuccess = () => ok(r.result);
    r.onerror = () => fail(r.error);
  });
  const t = performance.now();
  await new Promise<void>((ok, fail) => {
    const tx = db.transaction('outbox', 'readwrite', { durability: 'strict' });
    const s = tx.objectStore('outbox');
    for (const record of records) s.add(record);
    tx.oncomplete = () => ok();
    tx.onerror = () => fail(tx.error);
  });
  const ms = performance.now() - t;
  db.close();
  return ms;
}

declare global {
  interface Window {
    benchEnqueue(n: number, run: number): Promise<{ appMs: number; rawMs: number; count: number }>;
  }
}

window.benchEnqueue = async (n, run) => {
  const app = await appEnqueue(n, run);
  const rawMs = await rawPut(app.items, run);
  return { appMs: app.ms, rawMs, count: app.items.length };
};
