import { describe, expect, it } from 'vitest';
import { ctxAt, filingMessage, item, plus, T0 } from '../../../test/fixtures/outbox-items';
import { schedule } from './schedule';
import { settleSend, startSend } from './transitions';

const transient = { outcome: 'transient' as const, reason: 'r', message: '无法连接平台' };

describe('schedule', () => {
  it('offers only the head of each lane, oldest lane first', () => {
    const a1 = item(filingMessage('A'), 10);
    const a2 = item(filingMessage('A', 'M01600'), 11);
    const b1 = item(filingMessage('B'), 5);
    const { ready } = schedule([a2, a1, b1], T0);
    expect(ready.map((i) => i.id)).toEqual([b1.id, a1.id]);
  });

  it('a lane waits behind its retrying head, and says when it is due', () => {
    const a1 = settleSend(startSend(item(filingMessage('A'), 1), ctxAt()), transient, ctxAt(T0, 1));
    const a2 = item(filingMessage('A', 'M01600'), 2);
    const b1 = item(filingMessage('B'), 3);
    const s = schedule([a1, a2, b1], T0);
    expect(s.ready.map((i) => i.lane)).toEqual(['B']);
    expect(s.nextDueAt).toBe(plus(2000).getTime());
    expect(schedule([a1, a2], plus(2000)).ready.map((i) => i.id)).toEqual([a1.id]);
  });

  it('skips lanes already being worked on, and lanes whose head is in flight', () => {
    const a1 = item(filingMessage('A'), 1);
    const b1 = startSend(item(filingMessage('B'), 2), ctxAt());
    const s = schedule([a1, b1], T0, new Set(['A']));
    expect(s.ready).toEqual([]);
    expect(s.nextDueAt).toBeUndefined();
  });
});
