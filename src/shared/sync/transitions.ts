/**
 * Every way an outbox item's state may change, as pure functions from an item to the next item.
 * A call that does not fit the item's current state throws a TransitionError instead of writing a
 * state that cannot be: the runner's store writes are compare-and-set, so this is the last guard.
 */
import type { z } from 'zod';
import type { platformSendResponse } from '../platform/send';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffPolicy } from './backoff';
import { dueKey, MAX_ATTEMPT_RECORDS, receiptValues, type AttemptRecord, type OutboxItem } from './outbox-item';
import type { HandledAction, Receipt, SyncState, SyncTag } from './states';

export type SendOutcome = z.output<typeof platformSendResponse>;

/**
 * What became of one message. Besides the platform's four outcomes, `invalid` means the
 * workstation itself refused the request before it left (it did not match the contract):
 * retrying cannot help, so the item is rejected locally.
 */
export type SendResult = SendOutcome | { outcome: 'invalid'; message: string };

export type ReconcileDecision =
  | { result: 'found'; receipt: Receipt; detail?: string }
  | { result: 'absent'; detail?: string }
  /** `refused`: the platform answered the query, with a refusal (not a lost or failed request). */
  | { result: 'failed'; reason: string; refused?: true };

export interface SyncTiming {
  backoff: BackoffPolicy;
  /**
   * How long after an uncertain send before asking the platform what happened. A request that
   * timed out on our side may still be running on the platform's; asking at once could miss a
   * commit that lands a moment later, and the resend would then file twice.
   */
  settleMs: number;
  /**
   * Sends after which a message the platform never answered, and then showed it never received
   * (5301), is set aside for a person (RejectedState.setAside) instead of being sent again: the
   * platform is reachable (its 5301 answered) but fails on this message — HTTP 5xx to it every
   * time — which would otherwise be resent for ever, unseen, holding its person's next one. A
   * platform that cannot be reached at all sets nothing aside: its messages wait for the link.
   */
  setAsideAfter: number;
  /**
   * Checks of an uncertain message that the platform refused in a row (it answered, and refused
   * the 5301 query — 参保人不存在, say) after which the message is set aside for a person: asking
   * again will not answer differently, and it must not be resent blind. Default 3.
   */
  refusedChecksLimit?: number;
}

export const DEFAULT_TIMING: SyncTiming = { backoff: DEFAULT_BACKOFF, settleMs: 5_000, setAsideAfter: 8 };

export interface TransitionContext {
  now: Date;
  timing: SyncTiming;
  random: () => number;
}

export class TransitionError extends Error {
  constructor(
    readonly from: SyncTag,
    readonly transition: string,
  ) {
    super(`cannot ${transition} an item that is ${from}`);
    this.name = 'TransitionError';
  }
}

/** The item's state, narrowed to the tags the transition accepts; anything else throws. */
function stateOf<T extends SyncTag>(item: OutboxItem, transition: string, ...tags: T[]): Extract<SyncState, { tag: T }> {
  if (!(tags as SyncTag[]).includes(item.state.tag)) throw new TransitionError(item.state.tag, transition);
  return item.state as Extract<SyncState, { tag: T }>;
}

const later = (now: Date, ms: number) => new Date(now.getTime() + ms).toISOString();

function next(item: OutboxItem, state: SyncState, record?: Omit<AttemptRecord, 'n'>, extra?: Partial<OutboxItem>): OutboxItem {
  const last = item.attempts[item.attempts.length - 1];
  const attempts = record ? [...item.attempts, { n: (last?.n ?? 0) + 1, ...record }].slice(-MAX_ATTEMPT_RECORDS) : item.attempts;
  return { ...item, ...extra, state, status: state.tag, due: dueKey({ state, seq: item.seq }), attempts, rev: item.rev + 1 };
}

/** queued | retrying (due) → sending. Must be stored durably before the request leaves. */
export function startSend(item: OutboxItem, ctx: TransitionContext): OutboxItem {
  const from = stateOf(item, 'send', 'queued', 'retrying');
  const failures = from.tag === 'retrying' ? from.failures : 0;
  const state: SyncState = { tag: 'sending', since: ctx.now.toISOString(), attempt: item.sends + 1, failures };
  return next(item, state, undefined, { sends: item.sends + 1 });
}

/** sending → what the platform's answer (or its absence) means. */
export function settleSend(item: OutboxItem, outcome: SendResult, ctx: TransitionContext, ms?: number): OutboxItem {
  const from = stateOf(item, 'settle a send of', 'sending');
  const at = ctx.now.toISOString();
  if (outcome.outcome === 'invalid') {
    return next(item, { tag: 'rejected', at, reason: outcome.message, source: 'local' }, { at, op: 'send', result: 'rejected', detail: outcome.message, ms });
  }
  const record = { at, op: 'send' as const, result: outcome.outcome, msgid: outcome.msgid, ms };
  switch (outcome.outcome) {
    case 'accepted': {
      const receipt: Receipt = { values: receiptValues(outcome.output), msgid: outcome.msgid, infRefmsgid: outcome.infRefmsgid };
      return next(item, { tag: 'accepted', at, via: 'response', receipt }, record);
    }
    case 'rejected':
      // After an uncertain send, "already filed" may be about our own earlier request: verify first.
      if (item.uncertain) {
        const state: SyncState = {
          tag: 'unknown', since: at, reason: '平台拒绝了重发的报文，正在核实此前的发送是否已生效', checks: 0,
          nextCheckAt: later(ctx.now, ctx.timing.settleMs), afterRejection: outcome.errMsg,
        };
        return next(item, state, { ...record, detail: outcome.errMsg });
      }
      return next(item, { tag: 'rejected', at, reason: outcome.errMsg, source: 'platform' }, { ...record, detail: outcome.errMsg });
    case 'transient': {
      const failures = from.failures + 1;
      const nextAttemptAt = later(ctx.now, backoffDelay(failures, ctx.timing.backoff, ctx.random));
      return next(item, { tag: 'retrying', since: at, nextAttemptAt, reason: outcome.message, failures }, { ...record, detail: outcome.message });
    }
    case 'unknown':
      return becomeUnknown(item, outcome.message, ctx, { ...record, detail: outcome.message });
  }
}

function becomeUnknown(item: OutboxItem, reason: string, ctx: TransitionContext, record: Omit<AttemptRecord, 'n'>): OutboxItem {
  const state: SyncState = {
    tag: 'unknown', since: ctx.now.toISOString(), reason, checks: 0, nextCheckAt: later(ctx.now, ctx.timing.settleMs),
  };
  return next(item, state, record, { uncertain: true });
}

/** sending → unknown when the send's fate was lost: the workstation stopped mid-request (start-up recovery). */
export function interrupt(item: OutboxItem, reason: string, ctx: TransitionContext): OutboxItem {
  stateOf(item, 'interrupt', 'sending');
  return becomeUnknown(item, reason, ctx, { at: ctx.now.toISOString(), op: 'recover', result: 'interrupted', detail: reason });
}

/** unknown → what asking the platform showed. Found: accepted; absent: queued again (or the deferred rejection). */
export function settleReconcile(item: OutboxItem, decision: ReconcileDecision, ctx: TransitionContext): OutboxItem {
  const from = stateOf(item, 'reconcile', 'unknown');
  const at = ctx.now.toISOString();
  switch (decision.result) {
    case 'found':
      return next(item, { tag: 'accepted', at, via: 'reconcile', receipt: decision.receipt }, {
        at, op: 'reconcile', result: 'found', detail: decision.detail,
      });
    case 'absent': {
      const record = { at, op: 'reconcile' as const, result: 'absent' as const, detail: decision.detail };
      const rejection = from.afterRejection;
      if (rejection !== undefined) return next(item, { tag: 'rejected', at, reason: rejection, source: 'platform' }, record);
      // Sent again and again, each time without an answer, and never found on the platform: set
      // aside rather than sent for ever (a message the platform answers with HTTP 5xx every time).
      if (item.sends >= ctx.timing.setAsideAfter) {
        const reason = `已发送 ${item.sends} 次均未得到平台应答，经核实平台未收到，已搁置待人工处理：${from.reason}`;
        return next(item, { tag: 'rejected', at, reason, source: 'local', setAside: true }, record);
      }
      return next(item, { tag: 'queued', since: at }, record);
    }
    case 'failed': {
      const checks = from.checks + 1;
      const refusedChecks = decision.refused ? (from.refusedChecks ?? 0) + 1 : 0;
      const record = { at, op: 'reconcile' as const, result: 'failed' as const, detail: decision.reason };
      if (refusedChecks >= (ctx.timing.refusedChecksLimit ?? 3)) {
        const reason = `平台连续 ${refusedChecks} 次拒绝核实查询，无法确定此报文是否已生效，已搁置待人工处理（请勿直接重发，先向平台核实）：${decision.reason}`;
        return next(item, { tag: 'rejected', at, reason, source: 'local', setAside: true }, record);
      }
      const nextCheckAt = later(ctx.now, backoffDelay(checks, ctx.timing.backoff, ctx.random));
      return next(item, { ...from, checks, nextCheckAt, ...(refusedChecks ? { refusedChecks } : { refusedChecks: undefined }) }, record);
    }
  }
}

/** A person pressed 立即重试: a waiting retry becomes due now; an unknown item is checked now. */
export function retryNow(item: OutboxItem, ctx: TransitionContext, by?: string): OutboxItem {
  if (item.state.tag === 'rejected' && item.state.setAside && !item.state.handled) {
    const at = ctx.now.toISOString();
    return next(item, { tag: 'queued', since: at }, { at, op: 'manual', result: 'retry-now', detail: by });
  }
  const from = stateOf(item, 'retry', 'retrying', 'unknown', 'queued');
  const at = ctx.now.toISOString();
  const record = { at, op: 'manual' as const, result: 'retry-now' as const, detail: by };
  if (from.tag === 'unknown') return next(item, { ...from, nextCheckAt: at }, record);
  if (from.tag === 'retrying') return next(item, { ...from, nextAttemptAt: at }, record);
  return next(item, { tag: 'queued', since: at }, record);
}

/** queued | retrying → rejected by the workstation itself (e.g. the filing it revokes was rejected). */
export function rejectLocally(item: OutboxItem, reason: string, ctx: TransitionContext): OutboxItem {
  stateOf(item, 'reject', 'queued', 'retrying');
  const at = ctx.now.toISOString();
  return next(item, { tag: 'rejected', at, reason, source: 'local' }, { at, op: 'send', result: 'rejected', detail: reason });
}

/** rejected → rejected and dealt with, pointing at the item that fixes it. */
export function markHandled(item: OutboxItem, action: HandledAction, ctx: TransitionContext, itemId?: string, by?: string): OutboxItem {
  const from = stateOf(item, 'mark handled', 'rejected');
  const handled = { at: ctx.now.toISOString(), action, itemId, by };
  return next(item, { ...from, handled });
}
