// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ctxAt, filingMessage, item, plus } from '../../../../test/fixtures/outbox-items';
import { markHandled, settleSend, startSend } from '../../../shared/sync/transitions';
import { getDb } from '../db/db';
import { useSyncStatus } from './useSyncStatus';

// The owner (Web Lock, runner) is tested on its own; here only its status matters.
vi.mock('./sync-engine', () => {
  const owner = { snapshot: { ownership: 'owner', runner: { phase: 'working', inFlight: 1 } }, subscribe: () => () => undefined };
  return { getSyncOwner: () => owner };
});

const send = (i = item()) => startSend(i, ctxAt());

describe('useSyncStatus', () => {
  it('counts waiting, in-flight and needs-attention items live from the outbox', async () => {
    const { result } = renderHook(() => useSyncStatus());
    await waitFor(() => expect(result.current).toMatchObject({ waiting: 0, inFlight: 0, needsAttention: 0, running: true }));

    const retrying = settleSend(send(item(filingMessage('P2'))), { outcome: 'transient', reason: 'r', message: '无法连接平台' }, ctxAt(plus(1000), 1));
    const unknown = settleSend(send(item(filingMessage('P3'))), { outcome: 'unknown', msgid: 'm', reason: 'r', message: '超时' }, ctxAt());
    const rejected = settleSend(send(item(filingMessage('P4'))), { outcome: 'rejected', msgid: 'm', errMsg: '重复备案' }, ctxAt());
    const handled = markHandled(settleSend(send(item(filingMessage('P5'))), { outcome: 'rejected', msgid: 'm', errMsg: '重复备案' }, ctxAt()), 'refiled', ctxAt());
    await getDb().outbox.bulkAdd([item(filingMessage('P1')), send(item(filingMessage('P6'))), retrying, unknown, rejected, handled]);

    await waitFor(() =>
      expect(result.current).toEqual({
        waiting: 2, // queued + retrying
        inFlight: 2, // sending + unknown (being verified)
        needsAttention: 1, // the handled rejection no longer asks
        // the retry (T0 + 1 s + 2 s backoff) comes before the unknown item's check (T0 + 5 s settle)
        nextAttemptAt: plus(3000).toISOString(),
        running: true,
        lastError: undefined,
      }),
    );
  });
});
