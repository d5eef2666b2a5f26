import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { ctxAt, filingMessage, revocationMessage } from '../../../../test/fixtures/outbox-items';
import { startSend, settleSend } from '../../../shared/sync/transitions';
import { verifyAudit } from '../db/audit';
import { WorkstationDb } from '../db/db';
import { saveAttachment } from './attachments-store';
import { DexieOutboxStore, OutboxValidationError } from './outbox-store';

const dbs: WorkstationDb[] = [];
const freshStore = () => {
  const db = new WorkstationDb(`outbox-test-${Math.random().toString(36).slice(2)}`);
  dbs.push(db);
  return new DexieOutboxStore(db);
};
afterEach(async () => {
  for (const db of dbs.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

describe('DexieOutboxStore.enqueue', () => {
  it('stores validated, hashed, numbered items and records the action in the audit chain', async () => {
    const store = freshStore();
    const items = await store.enqueue([{ message: filingMessage('P1') }, { message: filingMessage('P2') }], 'u1');
    expect(items.map((i) => i.seq)).toEqual([1, 2]);
    const stored = await store.get(items[0]!.id);
    expect(stored).toMatchObject({ status: 'queued', lane: 'P1', rev: 0, contentHash: items[0]!.contentHash });
    const more = await store.enqueue([{ message: filingMessage('P3') }]);
    expect(more[0]!.seq).toBe(3);
    const audit = await store.db.audit.toArray();
    expect(audit.map((a) => a.kind)).toEqual(['outbox.enqueued', 'outbox.enqueued']);
    expect(await verifyAudit(store.db)).toEqual({ ok: true, count: 2 });
  });

  it('queues nothing of a batch when one message breaks a field rule, and says which field', async () => {
    const store = freshStore();
    const bad = filingMessage('P2');
    (bad.input['data'] as Record<string, unknown>)['begndate'] = '2025/03/01';
    const error = await store.enqueue([{ message: filingMessage('P1') }, { message: bad }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OutboxValidationError);
    expect((error as OutboxValidationError).index).toBe(1);
    expect((error as Error).message).toContain('input.data.begndate（');
    expect(await store.db.outbox.count()).toBe(0);
  });

  it('lets a revocation refer only to an earlier item of the same person', async () => {
    const store = freshStore();
    const [filing] = await store.enqueue([{ message: filingMessage('P1') }]);
    await expect(store.enqueue([{ message: revocationMessage('P1', filing!.id) }])).resolves.toHaveLength(1);
    await expect(store.enqueue([{ message: revocationMessage('P2', filing!.id) }])).rejects.toThrow(/同一人员/);
  });

  it('lists open items and a lane in order', async () => {
    const store = freshStore();
    await store.enqueue([{ message: filingMessage('P1') }, { message: filingMessage('P2') }, { message: filingMessage('P1', 'M01600') }]);
    expect((await store.laneItems('P1')).map((i) => i.seq)).toEqual([1, 3]);
    expect(await store.openItems()).toHaveLength(3);
  });
});

describe('DexieOutboxStore.dueLanes', () => {
  // Items are queued, and the due index read, at a fixed instant rather than the machine's clock.
  const NOW = new Date('2026-06-15T10:00:00+08:00');

  it('answers each due lane once, earliest first, skipping busy lanes, across pages of the index', async () => {
    const store = freshStore();
    // 450 items of three lanes first (more than two pages of the due index), then three more lanes.
    const crowd = Array.from({ length: 450 }, (_, i) => ({ message: filingMessage(`P${i % 3}`, 'M03900', `2025-03-${String((i % 28) + 1).padStart(2, '0')}`) }));
    await store.enqueue([...crowd, { message: filingMessage('Q1') }, { message: filingMessage('Q2') }, { message: filingMessage('Q3') }], null, NOW);
    const now = NOW.getTime();
    expect((await store.dueLanes(now)).due.map((d) => d.lane)).toEqual(['P0', 'P1', 'P2', 'Q1', 'Q2', 'Q3']);
    // Lanes already being worked on are left out; the scan pages past their items to find others.
    expect((await store.dueLanes(now, 2, new Set(['P0', 'P1', 'P2']))).due.map((d) => d.lane)).toEqual(['Q1', 'Q2', 'Q3']);
    // `want` bounds the pages read, not the answer: one page already holds four lanes.
    expect((await store.dueLanes(now, 1)).due.map((d) => d.lane)).toEqual(['P0', 'P1', 'P2']);
  });

  it('says when the next item falls due once none is due yet', async () => {
    const store = freshStore();
    const [item] = await store.enqueue([{ message: filingMessage('P1') }], null, NOW);
    const later = { ...item!, due: NOW.getTime() + 60_000 };
    await store.db.outbox.put(later);
    expect(await store.dueLanes(NOW.getTime())).toEqual({ due: [], nextDueAt: later.due });
  });
});

describe('DexieOutboxStore.commit', () => {
  it('writes a transition once: a second writer holding the old revision loses', async () => {
    const store = freshStore();
    const [item] = await store.enqueue([{ message: filingMessage('P1') }]);
    const a = startSend(item!, ctxAt());
    const b = startSend(item!, ctxAt());
    expect(await Promise.all([store.commit([a]), store.commit([b])])).toEqual([[true], [false]]);
    expect((await store.get(item!.id))!.state.tag).toBe('sending');
  });

  it('never changes the frozen message, whatever the caller passes', async () => {
    const store = freshStore();
    const [item] = await store.enqueue([{ message: filingMessage('P1') }]);
    const tampered = { ...startSend(item!, ctxAt()), input: { data: { psn_no: 'P9' } }, lane: 'P9' };
    expect(await store.commit([tampered])).toEqual([true]);
    const stored = (await store.get(item!.id))!;
    expect(stored.input).toEqual(item!.input);
    expect(stored.lane).toBe('P1');
    expect(stored.status).toBe('sending');
  });

  it('groups writes of many lanes into few transactions, each resolved with its own result', async () => {
    const store = freshStore();
    const items = await store.enqueue(Array.from({ length: 40 }, (_, i) => ({ message: filingMessage(`P${i}`) })));
    const sending = items.map((i) => startSend(i, ctxAt()));
    const results = await Promise.all(sending.map((s) => store.commit([s])));
    expect(results.flat().every(Boolean)).toBe(true);
    const accepted = sending.map((s) => settleSend(s, { outcome: 'accepted', msgid: 'm', output: { result: { trt_dcla_detl_sn: s.lane } } }, ctxAt()));
    expect((await store.commit(accepted)).every(Boolean)).toBe(true);
    expect(await store.db.outbox.where('status').equals('accepted').count()).toBe(40);
  });
});

describe('attachments', () => {
  it('stores bytes once per content and hands them to the runner as base64, checked against the hash', async () => {
    const store = freshStore();
    const row = await saveAttachment(store.db, new Blob(['ABC'], { type: 'text/plain' }), 'a.txt');
    const again = await saveAttachment(store.db, new Blob(['ABC']), 'copy.txt');
    expect(again.id).toBe(row.id);
    expect(row.sha256).toBe('b5d4045c3f466fa91fe2cc6abe79232a1a57cdf104f7a26e716e0a1e2789df78');
    expect(await store.attachmentBase64(row.id, row.sha256)).toBe('QUJD');
    expect(await store.attachmentBase64(row.id, '0'.repeat(64))).toBeUndefined();
    expect(await store.attachmentBase64('missing', row.sha256)).toBeUndefined();
  });
});
