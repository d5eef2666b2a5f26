import { describe, expect, it } from 'vitest';
import { ctxAt, filingMessage, item } from '../../../test/fixtures/outbox-items';
import { laneHead, readyLanes } from './schedule';
import { settleSend, startSend } from './transitions';

describe('readyLanes', () => {
  it('offers each lane once, in the order its items fell due, skipping lanes being worked on', () => {
    const entries = [
      { lane: 'B', due: 1 },
      { lane: 'A', due: 2 },
      { lane: 'B', due: 3 },
      { lane: 'C', due: 4 },
    ];
    expect(readyLanes(entries)).toEqual(['B', 'A', 'C']);
    expect(readyLanes(entries, new Set(['A']))).toEqual(['B', 'C']);
  });
});

describe('laneHead', () => {
  it('is the earliest unfinished item: later items of the person wait behind it, finished ones do not count', () => {
    const done = settleSend(startSend(item(filingMessage('A'), 1), ctxAt()), { outcome: 'accepted', msgid: 'm', output: {} }, ctxAt());
    const retrying = settleSend(startSend(item(filingMessage('A', 'M01600'), 2), ctxAt()), { outcome: 'transient', reason: 'r', message: 'm' }, ctxAt());
    const queued = item(filingMessage('A', 'M04600'), 3);
    expect(laneHead([queued, retrying, done])).toBe(retrying);
    expect(laneHead([done])).toBeUndefined();
  });
});
