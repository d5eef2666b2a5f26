/**
 * Which lanes the runner may work on now. Items of one lane (one insured person) go strictly in
 * queue order — uploads before the filing that needs them, a revocation after its filing — so a
 * lane's first unfinished item blocks the rest of it (the runner checks that head before acting).
 * Lanes are independent: a person whose filing waits for a retry holds up nobody else.
 */
import { holdsLane, type SyncState } from './states';

/** One due item, as the store's `due` index lists it: earliest first. */
export interface DueEntry {
  lane: string;
  due: number;
}

/** The lanes to offer the workers, in the order their items fell due, each once, skipping busy ones. */
export function readyLanes(entries: readonly DueEntry[], busy: ReadonlySet<string> = new Set()): string[] {
  const seen = new Set<string>();
  const lanes: string[] = [];
  for (const { lane } of entries) {
    if (seen.has(lane) || busy.has(lane)) continue;
    seen.add(lane);
    lanes.push(lane);
  }
  return lanes;
}

/** The first unfinished item of a lane, which every later item of the lane waits behind. */
export function laneHead<T extends { seq: number; state: SyncState }>(laneItems: readonly T[]): T | undefined {
  let head: T | undefined;
  for (const item of laneItems) {
    if (!holdsLane(item.state)) continue;
    if (!head || item.seq < head.seq) head = item;
  }
  return head;
}
