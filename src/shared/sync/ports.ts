/**
 * What the sync runner needs from the world, as interfaces (style.md principle 5): an outbox store
 * and a way to send one platform message. The app gives it the Dexie store and window.api; the
 * fault test gives it the same store on fake-indexeddb and the gateway module called directly.
 */
import type { z } from 'zod';
import type { platformSendRequest } from '../platform/send';
import type { OutboxItem } from './outbox-item';
import type { DueEntry } from './schedule';
import type { SyncTag } from './states';
import type { SendResult } from './transitions';

export type { SendResult };
export type SendRequest = z.input<typeof platformSendRequest>;

/** Sends one message and answers what became of it. Never throws for platform or network trouble. */
export type Send = (request: SendRequest) => Promise<SendResult>;

export interface OutboxStore {
  /**
   * The lanes with an item due by `now` (ms), earliest first — each lane once, lanes in `skip`
   * left out, and only the first `want` (the store may answer more) — and when the next item
   * falls due. Read a page at a time from the `due` index, so a scan costs the lanes it needs,
   * not the thousands of items that may be waiting.
   */
  dueLanes(now: number, want?: number, skip?: ReadonlySet<string>): Promise<{ due: DueEntry[]; nextDueAt?: number }>;
  /** Every item in one state (start-up recovery looks for `sending`). */
  inState(tag: SyncTag): Promise<OutboxItem[]>;
  /** Every item of one lane, in queue order, whatever its state. */
  laneItems(lane: string): Promise<OutboxItem[]>;
  /**
   * Writes each item if the stored copy is still the one it was derived from (rev - 1), durably
   * (strict) before resolving; answers, per item, whether it was written.
   */
  commit(items: readonly OutboxItem[]): Promise<boolean[]>;
  /** An attachment's bytes as base64, or undefined when it is gone or no longer hashes to `sha256`. */
  attachmentBase64(id: string, sha256: string): Promise<string | undefined>;
}
