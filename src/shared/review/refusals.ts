/**
 * Refused and lapsed offers. 002: an expert who does not accept within 48 hours, or refuses,
 * loses the case to another random expert; three in a row and they lose expert status.
 */
import type { Assignment } from '../domain/review';
import { refusalStreak, type AssignmentEvent } from '../policy/review';
import type { PolicyPack } from '../policy/schema';

/** Offers whose acceptance window has passed at `now`: each lapses and is redrawn. */
export function lapsedOffers(assignments: readonly Assignment[], now: Date): Assignment[] {
  const t = now.getTime();
  return assignments.filter((a) => a.state === 'offered' && a.acceptBy !== null && Date.parse(a.acceptBy) <= t);
}

/**
 * A physician's accept/refuse/lapse history, oldest first. A completed assignment was accepted;
 * withdrawn offers (the case moved on without them) count neither way.
 */
export function assignmentEvents(assignments: readonly Assignment[]): AssignmentEvent[] {
  const events: AssignmentEvent[] = [];
  for (const a of assignments) {
    if (a.state === 'accepted' || a.state === 'completed') events.push({ kind: 'accepted', at: a.acceptedAt ?? a.offeredAt });
    else if (a.state === 'refused' || a.state === 'lapsed') events.push({ kind: a.state, at: a.closedAt ?? a.acceptBy ?? a.offeredAt });
  }
  return events.sort((x, y) => (x.at < y.at ? -1 : x.at > y.at ? 1 : 0));
}

export interface StreakVerdict {
  streak: number;
  limit: number | null;
  /** The physician reached the pack's limit with this refusal or lapse: flag them in the registry. */
  flag: boolean;
  message: string;
}

/**
 * Whether a physician's history (including the refusal just recorded) reaches the pack's limit.
 * Offers closed before `since` (the profile's streakFrom: a cleared flag) are not counted.
 */
export function refusalVerdict(pack: PolicyPack, history: readonly Assignment[], since?: string): StreakVerdict {
  const counted = since ? history.filter((a) => (a.closedAt ?? a.acceptedAt ?? a.offeredAt) >= since) : history;
  const s = refusalStreak(pack, assignmentEvents(counted));
  return { streak: s.current, limit: s.limit, flag: s.limit !== null && s.current >= s.limit, message: s.message };
}

/**
 * Who may not be drawn again for this stage of the case: everyone who refused or let it lapse,
 * and everyone holding or having held it (the policy engine adds those who concluded).
 */
export function declinedBy(caseAssignments: readonly Assignment[], stage: string): string[] {
  return [...new Set(caseAssignments.filter((a) => a.stage === stage && a.state !== 'withdrawn').map((a) => a.reviewerId))];
}

/** A refusal needs a reason the 医保办 can read (002: refusals are counted monthly). */
export function validateRefusalReason(reason: string): string | null {
  const r = reason.trim();
  if (r.length === 0) return '请填写拒绝受理的理由';
  if (r.length > 200) return '理由最多 200 个字';
  return null;
}
