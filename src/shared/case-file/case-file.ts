/**
 * A person's case file (档案, issue 6 point 6), built from the rows the workstation keeps: the
 * timeline of everything that happened and what the person holds today. Pure: the renderer's
 * repository reads the rows, this decides what they mean.
 */
import { endOfChinaDay, type CaseRow } from '../domain/case';
import type { Certification } from '../domain/certification';
import type { InsuredPerson } from '../domain/insured';
import type { Recognition } from '../domain/recognition';
import type { Assignment, Review } from '../domain/review';
import type { PolicyPack } from '../policy/schema';
import type { OutboxItem } from '../sync/outbox-item';
import { compareEvents, timelineEvents, type CaseFileEvent } from './events';
import { currentHoldings, type Holdings } from './holdings';

export interface PersonRows {
  person: InsuredPerson;
  cases: CaseRow[];
  assignments: Assignment[];
  reviews: Review[];
  recognitions: Recognition[];
  certifications: Certification[];
  /** The person's outbox items (their lane is their psn_no), in queue order. */
  outbox: OutboxItem[];
  /** Physician and user ids → names, for who offered, accepted, recognised. */
  names: Map<string, string>;
}

export interface CaseFileModel {
  person: InsuredPerson;
  /** Oldest first, with upcoming re-review deadlines last. */
  events: CaseFileEvent[];
  holdings: Holdings;
  /** Applications still in progress, for the file's head. */
  openCases: CaseRow[];
}

export interface BuildOptions {
  /** YYYY-MM-DD in China: terms and deadlines are counted in calendar days there. */
  today: string;
  /** Latest related cost per disease code, when settlement data is available (001). */
  lastRelatedCost?: ReadonlyMap<string, string | null>;
}

/** The whole case file of one person. */
export function buildCaseFile(pack: PolicyPack, rows: PersonRows, options: BuildOptions): CaseFileModel {
  const holdings = currentHoldings(pack, { cases: rows.cases, certifications: rows.certifications, outbox: rows.outbox, ...(options.lastRelatedCost ? { lastRelatedCost: options.lastRelatedCost } : {}) }, options.today);
  const deadlines: CaseFileEvent[] = holdings.held.flatMap((h) => {
    const r = h.reReview;
    if (r.kind !== 'term') return [];
    const cert = h.certification;
    return [{
      id: `${cert.id}:re-review-due`, at: endOfChinaDay(r.endsOn), precision: 'day' as const, kind: 're-review-due' as const, caseId: cert.caseId, actor: null,
      tone: h.reminder?.tone ?? 'gray', title: `复审期限：${cert.diseaseName}`, detail: r.message, future: r.endsOn >= options.today,
    }];
  });
  return {
    person: rows.person,
    events: [...timelineEvents(pack, rows), ...deadlines].sort(compareEvents),
    holdings,
    openCases: rows.cases.filter((c) => c.status !== 'decided').sort((a, b) => (a.submittedAt < b.submittedAt ? -1 : 1)),
  };
}

export type { CaseFileEvent, EventKind } from './events';
export type { HeldDisease, Holdings, Exclusions, Standing } from './holdings';
export type { SyncWord, Tone } from './sync-words';
