/**
 * Exponential backoff with jitter and a cap, for transient failures and for reconciliation
 * queries that fail. Jitter spreads the retries of many lanes so a platform that just came back is
 * not hit by all of them in the same second. `random` is passed in to keep this pure and testable.
 */
export interface BackoffPolicy {
  /** Delay after the first failure. */
  baseMs: number;
  /** No delay is ever longer than this. */
  capMs: number;
  /** Growth per failure. */
  factor: number;
}

// 2 s, 4 s, 8 s … capped at 5 min: a platform outage of hours costs at most one request per
// item every five minutes, while a blip is retried within seconds.
export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 2_000, capMs: 5 * 60_000, factor: 2 };

/**
 * The wait after `failures` failures in a row (1 = the first): the exponential step capped, then
 * "equal jitter" — uniformly between half of it and all of it, so it never collapses to zero.
 */
export function backoffDelay(failures: number, policy: BackoffPolicy, random: () => number): number {
  const n = Math.max(1, Math.floor(failures));
  const step = Math.min(policy.capMs, policy.baseMs * Math.pow(policy.factor, n - 1));
  const r = Math.min(1, Math.max(0, random()));
  return Math.round(step / 2 + (step / 2) * r);
}
