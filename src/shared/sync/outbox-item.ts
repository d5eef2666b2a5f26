/**
 * One outbox item: an immutable snapshot of one platform message plus its sync state. The message
 * part (kind, infno, lane, input, bindings) is frozen when queued and covered by `contentHash`;
 * only `state`, `attempts` and `rev` change afterwards. A correction is a new item (a revocation
 * plus a new filing), never an edit (ODK's lesson, architecture.md §6).
 */
import { canonicalJson } from '../audit/chain';
import { sha256Hex } from '../hash/sha256';
import { DEFAULT_RECOGNITION_INFNO } from '../platform/recognition';
import { dueAt, type SyncState, type SyncTag } from './states';

/**
 * The platform messages that go through the outbox, and their transaction codes (domain.md §5).
 * `recognition` is a provincial extension whose code comes from the platform settings
 * (`recognitionInfno`); the value here is only its default.
 */
export const MESSAGE_INFNO = {
  filing: '2503',
  revocation: '2504',
  upload: '9101',
  recognition: DEFAULT_RECOGNITION_INFNO,
} as const;
export type MessageKind = keyof typeof MESSAGE_INFNO;

/**
 * A value filled in when the message is sent, because it is not known when it is queued:
 * - receipt: from an earlier item's receipt (a revocation needs its filing's trt_dcla_detl_sn);
 * - attachment: the bytes of a stored attachment (the outbox holds references, never bytes).
 */
export type Binding =
  | { path: readonly string[]; from: 'receipt'; itemId: string; key: string }
  | { path: readonly string[]; from: 'attachment'; attachmentId: string; sha256: string };

/** The frozen part of an item: exactly what will be sent, less the bound values. */
export interface OutboxMessage {
  kind: MessageKind;
  infno: string;
  /** Items of one lane go strictly in order; lanes are independent. The lane is the person (psn_no). */
  lane: string;
  /** The transaction's `input` node as it will be sent. */
  input: Record<string, unknown>;
  /** insuplc_admdvs for the envelope; the interface requires it whenever input carries psn_no. */
  insuplcAdmdvs?: string;
  bindings?: readonly Binding[];
}

/** What a person reads in lists; not sent, not hashed. No ID numbers in clear. */
export interface OutboxMeta {
  psnName?: string;
  /** One line, e.g. "高血压病 2025-01-01 起". */
  summary?: string;
  createdBy?: string;
  /** The item this one replaces (a corrected filing after a rejection). */
  supersedes?: string;
  /** On the hospital server: the certification the message files or revokes, its case, and the batch it was submitted in. */
  certificationId?: string;
  caseId?: string;
  batchId?: string;
}

/** One send or reconciliation, for the item's history. */
export interface AttemptRecord {
  /** 1, 2, 3… over the item's life, so a trimmed history still shows how many there were. */
  n: number;
  at: string;
  op: 'send' | 'reconcile' | 'recover' | 'manual';
  result: 'accepted' | 'rejected' | 'transient' | 'unknown' | 'found' | 'absent' | 'failed' | 'interrupted' | 'retry-now';
  msgid?: string;
  detail?: string;
  ms?: number;
}

export interface OutboxItem extends OutboxMessage {
  id: string;
  /** Global order of queuing; within a lane, the order of sending. */
  seq: number;
  contentHash: string;
  createdAt: string;
  meta: OutboxMeta;
  state: SyncState;
  /** state.tag, copied so IndexedDB can index it. */
  status: SyncTag;
  /** When the runner may next work on it (see dueKey), copied so IndexedDB can index it; absent when never. */
  due?: number;
  attempts: AttemptRecord[];
  /** How many times the message has been sent. */
  sends: number;
  /**
   * An earlier send may have reached the platform without our learning of it. From then on a
   * rejection is verified before it is believed (see transitions.settleSend).
   */
  uncertain: boolean;
  /** Bumped by every transition: writes are compare-and-set on it, so a stale writer loses. */
  rev: number;
}

/** Attempt history kept per item; older entries are dropped (the count stays visible via `n`). */
export const MAX_ATTEMPT_RECORDS = 30;

/** SHA-256 over the canonical JSON of the frozen message. Synchronous: it runs inside the enqueue transaction. */
export function contentHash(message: OutboxMessage): string {
  const { kind, infno, lane, input, insuplcAdmdvs, bindings } = message;
  return sha256Hex(canonicalJson({ kind, infno, lane, input, insuplcAdmdvs, bindings: bindings ?? [] }));
}

/** True when the frozen message still hashes to what was recorded when it was queued. */
export const isIntact = (item: OutboxItem): boolean => contentHash(item) === item.contentHash;

/**
 * The `due` index key: milliseconds since the epoch at which the item becomes due, or undefined
 * when it never will by itself (in flight, accepted, rejected). A queued item is due at once and
 * takes its queue number instead — always in the past, and first in, first out; it also stays
 * due if the wall clock is set back.
 */
export function dueKey(item: Pick<OutboxItem, 'state' | 'seq'>): number | undefined {
  if (item.state.tag === 'queued') return item.seq;
  const at = dueAt(item.state);
  return at === undefined ? undefined : Date.parse(at);
}

/** Builds a new queued item; the store assigns id and seq (and with seq, `due`). */
export function newItem(message: OutboxMessage, meta: OutboxMeta, id: string, seq: number, now: Date): OutboxItem {
  const at = now.toISOString();
  return {
    ...message,
    id,
    seq,
    contentHash: contentHash(message),
    createdAt: at,
    meta,
    state: { tag: 'queued', since: at },
    status: 'queued',
    due: seq,
    attempts: [],
    sends: 0,
    uncertain: false,
    rev: 0,
  };
}

export type Resolution = { ok: true; input: Record<string, unknown> } | { ok: false; reason: string };

/**
 * The input to send: the frozen input with every binding filled. A receipt binding points at an
 * earlier item of the same lane (checked when queued), which lane order has finished by now; if
 * that item was rejected or lacks the value, this message cannot be sent at all.
 */
export function resolveInput(
  item: OutboxMessage,
  itemById: (id: string) => OutboxItem | undefined,
  attachmentBase64: (id: string) => string | undefined,
): Resolution {
  const input = structuredCopy(item.input);
  for (const binding of item.bindings ?? []) {
    let value: string | undefined;
    if (binding.from === 'receipt') {
      const source = itemById(binding.itemId);
      if (!source) return { ok: false, reason: '所依赖的报文不在本机发件箱中' };
      if (source.state.tag === 'rejected') return { ok: false, reason: '所依赖的报文已被平台拒绝，本报文无法发送' };
      if (source.state.tag !== 'accepted') return { ok: false, reason: '所依赖的报文尚未被平台接受' };
      value = source.state.receipt.values[binding.key];
      if (!value) return { ok: false, reason: `所依赖的报文回执中没有 ${binding.key}` };
    } else {
      value = attachmentBase64(binding.attachmentId);
      if (value === undefined) return { ok: false, reason: '附件已不在本机，无法上传' };
    }
    setPath(input, binding.path, value);
  }
  return { ok: true, input };
}

function structuredCopy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function setPath(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const key of path.slice(0, -1)) {
    const next = node[key];
    if (next === null || typeof next !== 'object') node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

/** Receipt fields the platform returns for the messages we send (domain.md §5). */
const RECEIPT_KEYS = ['trt_dcla_detl_sn', 'file_qury_no', 'filename', 'dld_endtime', 'rcgn_sn'] as const;

/**
 * The receipt values in a response's output, wherever the province nests them (`result`,
 * `output` or the top level), so a renamed wrapper node does not lose a trt_dcla_detl_sn.
 */
export function receiptValues(output: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  const visit = (node: unknown, depth: number) => {
    if (node === null || typeof node !== 'object' || depth > 2) return;
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      if ((RECEIPT_KEYS as readonly string[]).includes(key) && (typeof value === 'string' || typeof value === 'number')) {
        values[key] ??= String(value);
      } else if (typeof value === 'object') visit(value, depth + 1);
    }
  };
  visit(output, 0);
  return values;
}
