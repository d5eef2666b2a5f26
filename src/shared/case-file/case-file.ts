/**
 * A person's case file (档案, issue 6 point 6), built from the rows the workstation keeps: the
 * timeline of everything that happened and what the person holds today. Pure: the renderer's
 * repository reads the rows, this decides what they mean.
 */
import { type CaseRow } from '../domain/case';
import { endOfChinaDay } from '../time';
import type { Certification } from '../domain/certification';
import type { InsuredPerson } from '../domain/insured';
import type { Recognition } from '../domain/recognition';
import type { Assignment, Review } from '../domain/review';
import type { PolicyPack } from '../policy/schema';
import type { FilingRow } from '../hospital/filings';
import { timelineEvents, type CaseFileEvent, type EventKind } from './events';
import { currentHoldings, type Holdings } from './holdings';

export interface PersonRows {
  person: InsuredPerson;
  cases: CaseRow[];
  assignments: Assignment[];
  reviews: Review[];
  recognitions: Recognition[];
  certifications: Certification[];
  /** The server's messages for the person (the 医保办's desks hold them; none elsewhere), in queue order. */
  filings: FilingRow[];
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

const ORDER: Record<EventKind, number> = {
  // At one moment: a conclusion or refusal comes before the offer it leads to, an offer before its acceptance.
  application: 0, recognition: 1, review: 2, refusal: 3, lapse: 4, withdrawal: 5, offer: 6, acceptance: 7, decision: 8, certification: 9,
  filing: 10, message: 11, 'filing-result': 12, revocation: 13, 'revocation-result': 14, 're-review-due': 15, 'benefit-end': 16,
};

/** Oldest first; events at the same moment in the order things happen in a case. */
export function compareEvents(a: CaseFileEvent, b: CaseFileEvent): number {
  return a.at < b.at ? -1 : a.at > b.at ? 1 : ORDER[a.kind] - ORDER[b.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The whole case file of one person. */
export function buildCaseFile(pack: PolicyPack, rows: PersonRows, options: BuildOptions): CaseFileModel {
  const holdings = currentHoldings(pack, { cases: rows.cases, certifications: rows.certifications, filings: rows.filings, ...(options.lastRelatedCost ? { lastRelatedCost: options.lastRelatedCost } : {}) }, options.today);
  const deadlines: CaseFileEvent[] = holdings.held.flatMap((h) => {
    const r = h.reReview;
    if (r.kind !== 'term') return [];
    const cert = h.certification;
    return [{
      id: `${cert.id}:re-review-due`, at: endOfChinaDay(r.endsOn), precision: 'day' as const, kind: 're-review-due' as const, caseId: cert.caseId, actor: null,
      tone: h.reminder?.tone ?? 'gray', title: `复审期限：${cert.diseaseName}`, detail: r.message, future: r.endsOn >= options.today,
    }];
  });
  // A term that ended without a timely re-review: benefits stopped (000); a new application starts over.
  const heldIds = new Set(holdings.held.map((h) => h.certification.id));
  const ended: CaseFileEvent[] = rows.certifications.flatMap((cert) =>
    cert.state !== 'revoked' && cert.endDate !== null && cert.endDate < options.today && !heldIds.has(cert.id)
      ? [{
          id: `${cert.id}:ended`, at: endOfChinaDay(cert.endDate), precision: 'day' as const, kind: 'benefit-end' as const, caseId: cert.caseId, actor: null, tone: 'gray' as const,
          title: `待遇期满：${cert.diseaseName}`, detail: '未在期满前申请复审，待遇已停止；再次申请按首次认定流程办理',
        }]
      : [],
  );
  return {
    person: rows.person,
    events: [...timelineEvents(pack, rows), ...deadlines, ...ended].sort(compareEvents),
    holdings,
    openCases: rows.cases.filter((c) => c.status !== 'decided').sort((a, b) => (a.submittedAt < b.submittedAt ? -1 : 1)),
  };
}

export type { CaseFileEvent, EventKind } from './events';
export type { HeldDisease, Holdings, Exclusions, Standing } from './holdings';
export type { SyncWord, Tone } from './sync-words';
