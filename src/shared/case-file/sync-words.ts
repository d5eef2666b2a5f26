/**
 * How the case file names a platform message's sync state. The 同步 page speaks of messages
 * (排队中, 平台已接受); the case file speaks of what happened to the person's filing, so an
 * accepted 2503 reads 已备案 and an accepted 2504 reads 已撤销.
 */
import type { MessageKind, OutboxItem } from '../sync/outbox-item';
import type { SyncState } from '../sync/states';

/** Colours the page maps onto antd's Timeline and Tag colours. */
export type Tone = 'blue' | 'green' | 'red' | 'orange' | 'gray';

export interface SyncWord {
  label: string;
  tone: Tone;
  /** The platform's (or the workstation's) reason for a rejection, verbatim. */
  reason?: string;
  /** trt_dcla_detl_sn of an accepted filing: the receipt a later revocation needs. */
  receipt?: string;
}

// Partial: a message kind added later (e.g. the recognition extension) reads 平台已接收.
const ACCEPTED: Partial<Record<MessageKind, string>> = { filing: '已备案', revocation: '已撤销', upload: '已上传' };

const HANDLED: Record<NonNullable<Extract<SyncState, { tag: 'rejected' }>['handled']>['action'], string> = {
  refiled: '已更正重报',
  revoked: '已撤销',
  dismissed: '已忽略',
};

/** The state of one outbox item in the case file's words. */
export function syncWord(kind: MessageKind, state: SyncState): SyncWord {
  switch (state.tag) {
    case 'queued':
      return { label: '待上传', tone: 'blue' };
    case 'sending':
      return { label: '上传中', tone: 'blue' };
    case 'retrying':
      return { label: '待重试', tone: 'orange', reason: state.reason };
    case 'unknown':
      // Sent without an answer: it may be on the platform already, so it is checked, not resent.
      return { label: '待核实', tone: 'orange', reason: state.reason };
    case 'accepted': {
      const sn = state.receipt.values['trt_dcla_detl_sn'];
      return { label: ACCEPTED[kind] ?? '平台已接收', tone: 'green', ...(sn ? { receipt: sn } : {}) };
    }
    case 'rejected': {
      const label = state.source === 'platform' ? '被拒绝' : '未能发送';
      if (state.handled) return { label: `${label}（${HANDLED[state.handled.action]}）`, tone: 'gray', reason: state.reason };
      return { label, tone: 'red', reason: state.reason };
    }
  }
}

/** The `input.data` node of a message, where 2503 and 2504 carry their fields. */
export function messageData(item: Pick<OutboxItem, 'input'>): Record<string, unknown> {
  const data = item.input['data'];
  return data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
}

export const text = (value: unknown): string | null => (typeof value === 'string' && value.trim() ? value.trim() : typeof value === 'number' ? String(value) : null);

/**
 * The trt_dcla_detl_sn a revocation targets: in its input, or — when it was queued before its
 * filing was accepted — bound to the filing's receipt, which the lane's items hold.
 */
export function revocationTarget(item: OutboxItem, laneItems: readonly OutboxItem[]): string | null {
  const own = text(messageData(item)['trt_dcla_detl_sn']);
  if (own) return own;
  for (const b of item.bindings ?? []) {
    if (b.from !== 'receipt' || b.key !== 'trt_dcla_detl_sn') continue;
    const source = laneItems.find((i) => i.id === b.itemId);
    if (source?.state.tag === 'accepted') return source.state.receipt.values['trt_dcla_detl_sn'] ?? null;
  }
  return null;
}
