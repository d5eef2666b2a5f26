/**
 * Which items the runner may work on now. Items of one lane (one insured person) go strictly in
 * queue order — uploads before the filing that needs them, a revocation after its filing — so a
 * lane's head blocks the rest of it until it is finished (accepted or rejected). Lanes are
 * independent: a person whose filing waits for a retry holds up nobody else.
 */
import { isDue, dueAt } from './states';
import type { OutboxItem } from './outbox-item';

export interface Schedule {
  /** The due head of every lane that has one, oldest first (fair: first queued, first sent). */
  ready: OutboxItem[];
  /** The earliest time a head that is not due yet becomes due (ms since epoch). */
  nextDueAt?: number;
}

/** The head (lowest seq) of each lane among `openItems`, which must be every open item of those lanes. */
export function laneHeads(openItems: readonly OutboxItem[]): Map<string, OutboxItem> {
  const heads = new Map<string, OutboxItem>();
  for (const item of openItems) {
    const current = heads.get(item.lane);
    if (!current || item.seq < current.seq) heads.set(item.lane, item);
  }
  return heads;
}

/** Splits lane heads into what is due now and when the next one will be; `busy` lanes are skipped. */
export function schedule(openItems: readonly OutboxItem[], now: Date, busy: ReadonlySet<string> = new Set()): Schedule {
  const ready: OutboxItem[] = [];
  let nextDueAt: number | undefined;
  for (const head of laneHeads(openItems).values()) {
    if (busy.has(head.lane)) continue;
    if (isDue(head.state, now)) {
      ready.push(head);
      continue;
    }
    const at = dueAt(head.state);
    if (at !== undefined) {
      const t = Date.parse(at);
      if (nextDueAt === undefined || t < nextDueAt) nextDueAt = t;
    }
  }
  ready.sort((a, b) => a.seq - b.seq);
  return nextDueAt === undefined ? { ready } : { ready, nextDueAt };
}
