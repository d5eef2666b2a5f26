/**
 * The states of one outbox item (architecture.md §6), as a tagged union so that impossible
 * combinations — "accepted but with a next attempt", "rejected without a reason" — cannot be
 * written. Times are ISO strings because items live in IndexedDB and cross windows.
 *
 *   queued ──▶ sending ──▶ accepted   (receipt kept, e.g. trt_dcla_detl_sn)
 *     ▲   ▲       ├──────▶ rejected   (permanent; the platform's reason)
 *     │   │       ├──────▶ retrying   (certainly not committed; nextAttemptAt)
 *     │   │       └──────▶ unknown    (maybe committed: never resend blind)
 *     │   └─ retrying (due)              │
 *     └──────────────── reconcile ◀──────┘  ──▶ accepted | rejected
 */

/** What the platform handed back for an accepted message, kept for later messages that need it. */
export interface Receipt {
  /** Values from the platform's output, e.g. trt_dcla_detl_sn (2503) or file_qury_no (9101). */
  values: Record<string, string>;
  msgid?: string;
  infRefmsgid?: string;
}

export interface QueuedState {
  tag: 'queued';
  since: string;
}

export interface SendingState {
  tag: 'sending';
  since: string;
  /** 1 for the first send of this item. */
  attempt: number;
  /** Transient failures in a row before this send; drives the backoff if it fails again. */
  failures: number;
}

export interface AcceptedState {
  tag: 'accepted';
  at: string;
  /** response: the platform said so; reconcile: found on the platform after an uncertain send. */
  via: 'response' | 'reconcile';
  receipt: Receipt;
}

export interface RejectedState {
  tag: 'rejected';
  at: string;
  /** The platform's err_msg, or the workstation's reason when source is local. */
  reason: string;
  source: 'platform' | 'local';
  /**
   * Not a refusal: the message kept failing for a reason that should have passed (the platform
   * answering HTTP 5xx to it every time) and was set aside for a person, with that reason. It was
   * certainly never committed. Unlike a refusal it keeps its person's later messages waiting
   * (their order matters: a revocation after its filing), and they say so.
   */
  setAside?: true;
  /** Set once a person has dealt with it (a corrected filing, or a revocation), so it stops asking. */
  handled?: { at: string; action: HandledAction; itemId?: string; by?: string };
}

export interface RetryingState {
  tag: 'retrying';
  since: string;
  nextAttemptAt: string;
  reason: string;
  /** Transient failures in a row, including the one that led here. */
  failures: number;
}

export interface UnknownState {
  tag: 'unknown';
  since: string;
  reason: string;
  /** Reconciliation queries that failed so far (their own backoff). */
  checks: number;
  nextCheckAt: string;
  /**
   * The platform rejected a resend that followed an uncertain send. Such a rejection ("already
   * filed", "not active") may be caused by our own earlier request, so it is verified first; if
   * the platform shows nothing of ours, this reason becomes the final rejection.
   */
  afterRejection?: string;
  /** Checks in a row the platform answered with a refusal (see SyncTiming.refusedChecksLimit). */
  refusedChecks?: number;
}

export type SyncState = QueuedState | SendingState | AcceptedState | RejectedState | RetryingState | UnknownState;
export type SyncTag = SyncState['tag'];
export type HandledAction = 'refiled' | 'revoked' | 'dismissed';

export const SYNC_TAGS = ['queued', 'sending', 'retrying', 'unknown', 'accepted', 'rejected'] as const satisfies readonly SyncTag[];

/** Not finished: the item still holds its lane (later items of the same person wait behind it). */
export const OPEN_TAGS = ['queued', 'sending', 'retrying', 'unknown'] as const satisfies readonly SyncTag[];
export type OpenTag = (typeof OPEN_TAGS)[number];

export const isOpen = (state: SyncState): boolean => state.tag !== 'accepted' && state.tag !== 'rejected';

/** Holds its lane: open, or set aside and not yet dealt with. */
export const holdsLane = (state: SyncState): boolean => isOpen(state) || (state.tag === 'rejected' && state.setAside === true && !state.handled);

/** Needs a person: a permanent rejection nobody has dealt with yet. */
export const needsAttention = (state: SyncState): boolean => state.tag === 'rejected' && !state.handled;

/** When the item may next be worked on by the runner, or undefined when never (terminal or in flight). */
export function dueAt(state: SyncState): string | undefined {
  switch (state.tag) {
    case 'queued':
      return state.since;
    case 'retrying':
      return state.nextAttemptAt;
    case 'unknown':
      return state.nextCheckAt;
    default:
      return undefined;
  }
}

export const isDue = (state: SyncState, now: Date): boolean => {
  // A queued item is due at once, even if the clock has since been set back.
  if (state.tag === 'queued') return true;
  const at = dueAt(state);
  return at !== undefined && Date.parse(at) <= now.getTime();
};
