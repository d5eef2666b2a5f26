import { isIntact, resolveInput, type OutboxItem } from './outbox-item';
import type { OutboxStore, Send } from './ports';
import { claimedReceipts, decideReconcile, reconcilePlan } from './reconcile';
import { laneHead } from './schedule';
import { dueAt, type SyncState } from './states';
import {
  rejectLocally,
  settleReconcile,
  settleSend,
  startSend,
  type ReconcileDecision,
  type TransitionContext,
} from './transitions';

/** What working a lane needs from the runner. */
export interface LaneDeps {
  store: OutboxStore;
  /** The runner's send: watchdog on, in-flight counted. */
  send: Send;
  ctx: () => TransitionContext;
  /** Whether an item's state may be worked on now (its time has come, or the runner says so). */
  due: (state: SyncState) => boolean;
  log: (line: string) => void;
  /** False once the runner stops or the network goes: the item in hand is finished, no next one is taken. */
  mayContinue: () => boolean;
  /** Tells the runner when the lane's head falls due, so it wakes then. */
  noteDue: (at: number) => void;
}

/**
 * Works one lane (one insured person): its items strictly in queue order, each state durable
 * before it is acted on, an uncertain send reconciled before anything is resent.
 */
export class LaneWorker {
  constructor(private readonly deps: LaneDeps) {}

  /**
   * Works a lane's items in order while the head is due. The lane is read once and then followed
   * in memory; it is read again when a write lost its race (someone else changed the item) and
   * before leaving, so an item queued meanwhile is not left behind.
   *
   * An outcome is written together with the next item's `sending` — one strict commit for both
   * instead of two in a row. Until then the settled item is still `sending` on disk, which after
   * a crash means "ask the platform first", so the wait loses nothing; and the next request does
   * not leave before both are on disk.
   */
  async drain(lane: string): Promise<void> {
    let items = await this.deps.store.laneItems(lane);
    let fresh = true;
    let carry: OutboxItem | undefined;
    const flush = async () => {
      if (carry && !(await this.write(carry))) this.deps.log(`[sync] ${carry.id}: outcome not recorded, the item changed meanwhile`);
      carry = undefined;
    };
    try {
      while (this.deps.mayContinue()) {
        const head = laneHead(items);
        if (!head || !this.deps.due(head.state) || head.state.tag === 'unknown') await flush();
        if (!head || !this.deps.due(head.state)) {
          if (!fresh) {
            items = await this.deps.store.laneItems(lane);
            fresh = true;
            continue;
          }
          const at = head ? dueAt(head.state) : undefined;
          if (at !== undefined) this.deps.noteDue(Date.parse(at));
          return;
        }
        let next: OutboxItem | undefined;
        if (head.state.tag === 'unknown') {
          next = await this.reconcile(head, items);
        } else {
          const pending = carry;
          carry = undefined;
          next = carry = await this.sendItem(head, items, pending);
        }
        items = next ? items.map((i) => (i.id === next.id ? next : i)) : await this.deps.store.laneItems(lane);
        fresh = !next;
      }
    } finally {
      await flush();
    }
  }

  /**
   * Sends one item, writing `pending` (the previous item's outcome) with its `sending`. Answers
   * the settled item, not yet written (the caller writes it with the next one), or undefined if
   * another writer changed the item first.
   */
  private async sendItem(item: OutboxItem, laneItems: OutboxItem[], pending: OutboxItem | undefined): Promise<OutboxItem | undefined> {
    const previous = pending ? [pending] : [];
    if (!isIntact(item)) {
      if (pending) await this.deps.store.commit(previous);
      return rejectLocally(item, '报文内容与排队时的摘要不一致，已停止发送；请核对后重新录入', this.deps.ctx());
    }
    const resolved = await this.resolve(item, laneItems);
    if (!resolved.ok) {
      if (pending) await this.deps.store.commit(previous);
      return rejectLocally(item, resolved.reason, this.deps.ctx());
    }
    // Durable before the request leaves: a crash from here on leaves `sending`, which start-up turns into `unknown`.
    const sending = startSend(item, this.deps.ctx());
    const written = await this.deps.store.commit([...previous, sending]);
    if (pending && !written[0]) this.deps.log(`[sync] ${pending.id}: outcome not recorded, the item changed meanwhile`);
    if (!written.at(-1)) return undefined;
    const started = Date.now();
    const result = await this.deps.send({ infno: item.infno, input: resolved.input, insuplcAdmdvs: item.insuplcAdmdvs });
    return settleSend(sending, result, this.deps.ctx(), Date.now() - started);
  }

  /** Commits one transition; answers the item if it was written. */
  private async write(next: OutboxItem): Promise<OutboxItem | undefined> {
    const [written] = await this.deps.store.commit([next]);
    return written ? next : undefined;
  }

  private async resolve(item: OutboxItem, laneItems: OutboxItem[]) {
    const bytes = new Map<string, string | undefined>();
    for (const b of item.bindings ?? []) {
      if (b.from === 'attachment') bytes.set(b.attachmentId, await this.deps.store.attachmentBase64(b.attachmentId, b.sha256));
    }
    return resolveInput(item, (id) => laneItems.find((i) => i.id === id), (id) => bytes.get(id));
  }

  /** Asks the platform what became of an uncertain send (never resends blind). */
  private async reconcile(item: OutboxItem, laneItems: OutboxItem[]): Promise<OutboxItem | undefined> {
    // The plan needs the message's fields, not attachment bytes.
    const resolved = resolveInput(item, (id) => laneItems.find((i) => i.id === id), () => '');
    let decision: ReconcileDecision;
    if (!resolved.ok) {
      decision = { result: 'failed', reason: resolved.reason };
    } else {
      const plan = reconcilePlan(item, resolved.input);
      if (plan.kind === 'resend') {
        decision = { result: 'absent', detail: plan.why };
      } else {
        const answer = await this.deps.send({ infno: plan.infno, input: plan.input, insuplcAdmdvs: plan.insuplcAdmdvs });
        decision = decideReconcile(item, resolved.input, answer, claimedReceipts(laneItems, item.id));
      }
    }
    return this.write(settleReconcile(item, decision, this.deps.ctx()));
  }
}
