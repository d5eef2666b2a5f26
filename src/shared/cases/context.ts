/**
 * What the case rules need besides the store: the active policy pack, the holiday calendar and
 * this hospital's facts, and the three things pure code may not take from the world itself —
 * the time, new ids and draw seeds. The hospital server passes its own (and records the seeds);
 * a desk passes the clock, random UUIDs and its CSPRNG; tests pass fixed values.
 */
import type { Calendar } from '../policy/calendar';
import type { InstitutionFacts } from '../policy/physician';
import type { PolicyPack } from '../policy/schema';

/** The active pack, the calendar, this hospital. */
export interface ReviewContext {
  pack: PolicyPack;
  calendar: Calendar;
  institution: InstitutionFacts;
}

/** The instant a change is made at, how ids are made, where draw seeds come from. */
export interface RuleContext {
  now: Date;
  /** A new row id starting with `prefix` (e.g. `asg-…`). */
  newId: (prefix: string) => string;
  /** A uint32 seed for the next random draw; asked once per draw, recorded with it. */
  seed: () => number;
  /**
   * Who runs the rule. 'server' (the default): the hospital server, which alone draws reviewers,
   * redraws and flags physicians at the refusal limit. 'desk': a desk showing a command's effect
   * on its own copy before the server's answer arrives; what only the server decides is left for
   * its answer (the next stage stays unassigned on the desk until the server's rows arrive).
   */
  authority?: 'server' | 'desk';
}

export type CaseContext = ReviewContext & RuleContext;

/** A rule's answer: its value, or why it refused (shown to the user as is). */
export type RuleResult<T = void> = { ok: true; value: T } | { ok: false; message: string };

/**
 * The ids a command's rule makes, the same on the desk (showing its effect at once) and on the
 * server (applying it): derived from the command's id in the order the rule asks for them, so the
 * case a desk shows after 受理 is the case the server keeps.
 *
 * Two different command ids never derive the same id, and no id made otherwise (`prefix-` and a
 * UUID with its dashes) looks like a derived one: the server relies on this to know that rows
 * keyed or referred to by these ids cannot exist before the command is applied.
 */
export function commandIds(commandId: string): (prefix: string) => string {
  let n = 0;
  // A desk's id (`cmd-` and a UUID) is compacted to the UUID's 32 hex digits: an id may travel to
  // the platform in a field of 40 characters (hosp_rcgn_id). Any other id is kept whole behind a
  // mark no hex digit can be.
  const uuid = /^cmd-([0-9a-f]{8})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{4})-([0-9a-f]{12})$/i.exec(commandId);
  const base = uuid ? uuid.slice(1).join('') : `_${commandId}`;
  return (prefix) => `${prefix}-${base}-${++n}`;
}
