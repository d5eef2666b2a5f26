import { describe, expect, it } from 'vitest';
import { dueAt, isDue, isOpen, needsAttention, type SyncState } from './states';

const at = '2025-03-01T08:00:00.000Z';
const now = new Date(at);

describe('states', () => {
  it('calls queued, sending, retrying and unknown open; accepted and rejected finished', () => {
    const open: SyncState[] = [
      { tag: 'queued', since: at },
      { tag: 'sending', since: at, attempt: 1, failures: 0 },
      { tag: 'retrying', since: at, nextAttemptAt: at, reason: 'x', failures: 1 },
      { tag: 'unknown', since: at, reason: 'x', checks: 0, nextCheckAt: at },
    ];
    for (const s of open) expect(isOpen(s)).toBe(true);
    expect(isOpen({ tag: 'accepted', at, via: 'response', receipt: { values: {} } })).toBe(false);
    expect(isOpen({ tag: 'rejected', at, reason: 'x', source: 'platform' })).toBe(false);
  });

  it('is due: queued always, retrying and unknown at their time, sending and finished never', () => {
    expect(isDue({ tag: 'queued', since: '2099-01-01T00:00:00.000Z' }, now)).toBe(true);
    expect(isDue({ tag: 'retrying', since: at, nextAttemptAt: '2025-03-01T08:00:01.000Z', reason: 'x', failures: 1 }, now)).toBe(false);
    expect(isDue({ tag: 'retrying', since: at, nextAttemptAt: at, reason: 'x', failures: 1 }, now)).toBe(true);
    expect(isDue({ tag: 'unknown', since: at, reason: 'x', checks: 0, nextCheckAt: at }, now)).toBe(true);
    expect(isDue({ tag: 'sending', since: at, attempt: 1, failures: 0 }, now)).toBe(false);
    expect(dueAt({ tag: 'accepted', at, via: 'response', receipt: { values: {} } })).toBeUndefined();
  });

  it('needs a person only for a rejection nobody has handled', () => {
    expect(needsAttention({ tag: 'rejected', at, reason: 'x', source: 'platform' })).toBe(true);
    expect(needsAttention({ tag: 'rejected', at, reason: 'x', source: 'platform', handled: { at, action: 'refiled' } })).toBe(false);
    expect(needsAttention({ tag: 'unknown', since: at, reason: 'x', checks: 3, nextCheckAt: at })).toBe(false);
  });
});
