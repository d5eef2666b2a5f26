import { describe, expect, it } from 'vitest';
import { ctxAt, filingMessage, item, plus, T0 } from '../../../test/fixtures/outbox-items';
import type { OutboxItem } from './outbox-item';
import {
  interrupt,
  markHandled,
  rejectLocally,
  retryNow,
  settleReconcile,
  settleSend,
  startSend,
  TransitionError,
  type SendResult,
} from './transitions';
import { holdsLane, needsAttention } from './states';

const accepted: SendResult = { outcome: 'accepted', msgid: 'M1', output: { result: { trt_dcla_detl_sn: 'SN-1' } }, infRefmsgid: 'R1' };
const rejected: SendResult = { outcome: 'rejected', msgid: 'M1', errMsg: '该人员已有有效的同病种备案' };
const transient: SendResult = { outcome: 'transient', reason: 'refused', message: '无法连接平台' };
const unknown: SendResult = { outcome: 'unknown', msgid: 'M1', reason: 'timeout', message: '平台 30 秒未应答' };

const sending = (from: OutboxItem = item()) => startSend(from, ctxAt());
const ms = (iso: string) => Date.parse(iso) - T0.getTime();

describe('startSend: queued | retrying → sending', () => {
  it('counts the send and bumps rev without touching the frozen message', () => {
    const queued = item();
    const next = sending(queued);
    expect(next.state).toEqual({ tag: 'sending', since: T0.toISOString(), attempt: 1, failures: 0 });
    expect(next.status).toBe('sending');
    expect(next.sends).toBe(1);
    expect(next.rev).toBe(queued.rev + 1);
    expect(next.input).toEqual(queued.input);
    expect(next.contentHash).toBe(queued.contentHash);
  });

  it('carries the failure count from retrying so backoff keeps growing', () => {
    const retrying = settleSend(sending(), transient, ctxAt());
    const again = startSend(retrying, ctxAt(plus(5000)));
    expect(again.state).toMatchObject({ tag: 'sending', attempt: 2, failures: 1 });
  });

  it('refuses every other state', () => {
    const s = sending();
    expect(() => startSend(s, ctxAt())).toThrow(TransitionError);
    expect(() => startSend(settleSend(s, accepted, ctxAt()), ctxAt())).toThrow(/accepted/);
    expect(() => startSend(settleSend(s, unknown, ctxAt()), ctxAt())).toThrow(/unknown/);
  });
});

describe('settleSend: sending → …', () => {
  it('accepted keeps the receipt (trt_dcla_detl_sn) and msgid', () => {
    const next = settleSend(sending(), accepted, ctxAt(), 120);
    expect(next.state).toEqual({
      tag: 'accepted', at: T0.toISOString(), via: 'response',
      receipt: { values: { trt_dcla_detl_sn: 'SN-1' }, msgid: 'M1', infRefmsgid: 'R1' },
    });
    expect(next.attempts.at(-1)).toMatchObject({ n: 1, op: 'send', result: 'accepted', msgid: 'M1', ms: 120 });
  });

  it('rejected keeps the platform reason, for a person to read', () => {
    const next = settleSend(sending(), rejected, ctxAt());
    expect(next.state).toMatchObject({ tag: 'rejected', reason: '该人员已有有效的同病种备案', source: 'platform' });
  });

  it('transient waits with backoff: the first delay is within base/2 … base', () => {
    const next = settleSend(sending(), transient, ctxAt(T0, 1));
    expect(next.state).toMatchObject({ tag: 'retrying', failures: 1, reason: '无法连接平台' });
    if (next.state.tag !== 'retrying') throw new Error();
    expect(ms(next.state.nextAttemptAt)).toBe(2000);
  });

  it('unknown never resends blind: it waits settleMs, then is checked, and marks the item uncertain', () => {
    const next = settleSend(sending(), unknown, ctxAt());
    expect(next.state).toMatchObject({ tag: 'unknown', reason: '平台 30 秒未应答', checks: 0 });
    if (next.state.tag !== 'unknown') throw new Error();
    expect(ms(next.state.nextCheckAt)).toBe(5000);
    expect(next.uncertain).toBe(true);
  });

  it('a rejection after an uncertain send is verified before it is believed', () => {
    const requeued = settleReconcile(settleSend(sending(), unknown, ctxAt()), { result: 'absent' }, ctxAt(plus(5000)));
    const resent = startSend(requeued, ctxAt(plus(5000)));
    const next = settleSend(resent, rejected, ctxAt(plus(6000)));
    expect(next.state).toMatchObject({ tag: 'unknown', afterRejection: '该人员已有有效的同病种备案' });
  });

  it('invalid (refused by the workstation before it left) is a local rejection', () => {
    const next = settleSend(sending(), { outcome: 'invalid', message: '请求不符合接口约定' }, ctxAt());
    expect(next.state).toMatchObject({ tag: 'rejected', source: 'local', reason: '请求不符合接口约定' });
  });

  it('refuses an item that is not sending', () => {
    expect(() => settleSend(item(), accepted, ctxAt())).toThrow(TransitionError);
  });
});

describe('interrupt: sending → unknown (start-up after a crash)', () => {
  it('records the interruption in the history', () => {
    const next = interrupt(sending(), '工作站在发送途中关闭', ctxAt());
    expect(next.state).toMatchObject({ tag: 'unknown', reason: '工作站在发送途中关闭' });
    expect(next.uncertain).toBe(true);
    expect(next.attempts.at(-1)).toMatchObject({ op: 'recover', result: 'interrupted' });
  });

  it('only applies to sending', () => {
    expect(() => interrupt(item(), 'x', ctxAt())).toThrow(TransitionError);
  });
});

describe('settleReconcile: unknown → …', () => {
  const uncertain = () => settleSend(sending(), unknown, ctxAt());

  it('found: accepted via reconcile with the receipt found on the platform', () => {
    const next = settleReconcile(uncertain(), { result: 'found', receipt: { values: { trt_dcla_detl_sn: 'SN-9' } } }, ctxAt());
    expect(next.state).toMatchObject({ tag: 'accepted', via: 'reconcile', receipt: { values: { trt_dcla_detl_sn: 'SN-9' } } });
  });

  it('absent: queued again, so it is resent', () => {
    expect(settleReconcile(uncertain(), { result: 'absent' }, ctxAt()).state.tag).toBe('queued');
  });

  it('absent after a deferred rejection: the rejection stands', () => {
    const u = { ...uncertain() };
    if (u.state.tag !== 'unknown') throw new Error();
    u.state = { ...u.state, afterRejection: '该备案不是有效状态' };
    expect(settleReconcile(u, { result: 'absent' }, ctxAt()).state).toMatchObject({ tag: 'rejected', reason: '该备案不是有效状态', source: 'platform' });
  });

  it('failed: stays unknown, asks again later with backoff', () => {
    const first = settleReconcile(uncertain(), { result: 'failed', reason: '5301 超时' }, ctxAt(T0, 1));
    expect(first.state).toMatchObject({ tag: 'unknown', checks: 1 });
    const second = settleReconcile(first, { result: 'failed', reason: '5301 超时' }, ctxAt(T0, 1));
    if (second.state.tag !== 'unknown') throw new Error();
    expect(ms(second.state.nextCheckAt)).toBe(4000);
  });

  it('only applies to unknown', () => {
    expect(() => settleReconcile(item(), { result: 'absent' }, ctxAt())).toThrow(TransitionError);
  });
});

describe('retryNow, rejectLocally, markHandled', () => {
  it('retryNow makes a waiting retry or check due now', () => {
    const retrying = settleSend(sending(), transient, ctxAt());
    const now = plus(100);
    const r = retryNow(retrying, ctxAt(now), 'clerk');
    expect(r.state).toMatchObject({ tag: 'retrying', nextAttemptAt: now.toISOString() });
    const u = retryNow(settleSend(sending(), unknown, ctxAt()), ctxAt(now));
    expect(u.state).toMatchObject({ tag: 'unknown', nextCheckAt: now.toISOString() });
    expect(r.attempts.at(-1)).toMatchObject({ op: 'manual', result: 'retry-now', detail: 'clerk' });
  });

  it('retryNow cannot resurrect a rejection: a correction is a new item', () => {
    expect(() => retryNow(settleSend(sending(), rejected, ctxAt()), ctxAt())).toThrow(TransitionError);
    expect(() => retryNow(sending(), ctxAt())).toThrow(TransitionError);
  });

  it('rejectLocally ends an unsendable item with the workstation as the source', () => {
    expect(rejectLocally(item(), '所依赖的报文已被平台拒绝', ctxAt()).state).toMatchObject({ tag: 'rejected', source: 'local' });
    expect(() => rejectLocally(sending(), 'x', ctxAt())).toThrow(TransitionError);
  });

  it('markHandled records what a person did about a rejection', () => {
    const r = settleSend(sending(), rejected, ctxAt());
    const h = markHandled(r, 'refiled', ctxAt(), 'item-new', 'clerk');
    expect(h.state).toMatchObject({ tag: 'rejected', handled: { action: 'refiled', itemId: 'item-new', by: 'clerk' } });
    expect(() => markHandled(item(), 'refiled', ctxAt())).toThrow(TransitionError);
  });

  it('keeps a bounded attempt history whose numbering survives trimming', () => {
    let it = item(filingMessage('P0000000002'));
    for (let i = 0; i < 40; i++) it = settleSend(startSend(it, ctxAt()), transient, ctxAt());
    expect(it.attempts).toHaveLength(30);
    expect(it.attempts.at(-1)!.n).toBe(40);
    expect(it.rev).toBe(80);
  });
});

describe('set aside: a message that keeps failing stops being sent and asks for a person', () => {
  const unanswered = (from: OutboxItem, at: number) => {
    const sent = startSend(from, ctxAt(plus(at)));
    const lost = settleSend(sent, unknown, ctxAt(plus(at + 1)));
    return settleReconcile(lost, { result: 'absent', detail: '5301 未查到' }, ctxAt(plus(at + 2)));
  };

  it('not for a platform that cannot be reached: its messages wait for the link, however long', () => {
    let it_ = item();
    for (let n = 1; n <= 40; n++) it_ = settleSend(startSend(it_, ctxAt(plus(n * 1000))), transient, ctxAt(plus(n * 1000 + 1)));
    expect(it_.state.tag).toBe('retrying');
  });

  it('after repeated sends without an answer that the platform shows it never received (HTTP 5xx to that message every time)', () => {
    const limit = ctxAt().timing.setAsideAfter;
    let it_ = item();
    for (let n = 1; n < limit; n++) {
      it_ = unanswered(it_, n * 10_000);
      expect(it_.state.tag).toBe('queued');
    }
    const last = unanswered(it_, limit * 10_000);
    expect(last.sends).toBe(limit);
    expect(last.state).toMatchObject({ tag: 'rejected', source: 'local', setAside: true });
    expect((last.state as { reason: string }).reason).toContain('平台 30 秒未应答');
    // It holds its person's later messages and asks for a person; 重新发送 queues it again; closing it frees the lane.
    expect(holdsLane(last.state)).toBe(true);
    expect(needsAttention(last.state)).toBe(true);
    expect(retryNow(last, ctxAt(plus(limit * 10_000 + 5))).state.tag).toBe('queued');
    expect(holdsLane(markHandled(last, 'dismissed', ctxAt()).state)).toBe(false);
  });

  it('an uncertain message whose checks the platform keeps refusing (参保人不存在) goes to a person instead of being asked about for ever', () => {
    let it_ = settleSend(startSend(item(), ctxAt()), unknown, ctxAt(plus(1)));
    const refused = { result: 'failed' as const, reason: '5301 查询未成功：参保人不存在', refused: true as const };
    it_ = settleReconcile(it_, refused, ctxAt(plus(1000)));
    it_ = settleReconcile(it_, { result: 'failed', reason: '5301 查询未成功：连接被重置' }, ctxAt(plus(2000)));
    expect(it_.state).toMatchObject({ tag: 'unknown', checks: 2 });
    expect((it_.state as { refusedChecks?: number }).refusedChecks).toBeUndefined();
    it_ = settleReconcile(it_, refused, ctxAt(plus(3000)));
    it_ = settleReconcile(it_, refused, ctxAt(plus(4000)));
    expect(it_.state.tag).toBe('unknown');
    it_ = settleReconcile(it_, refused, ctxAt(plus(5000)));
    expect(it_.state).toMatchObject({ tag: 'rejected', source: 'local', setAside: true });
    expect((it_.state as { reason: string }).reason).toContain('参保人不存在');
  });

  it('never while an uncertain send\'s fate is still open: however many checks fail, only a check may settle it', () => {
    let it_ = settleSend(startSend(item(), ctxAt()), unknown, ctxAt(plus(1)));
    for (let n = 1; n <= 20; n++) {
      it_ = settleReconcile(it_, { result: 'failed', reason: '5301 也失败' }, ctxAt(plus(n * 1000)));
      expect(it_.state.tag).toBe('unknown');
    }
  });
});
