/**
 * A hospital's application for per-disease certification and treatment rights (003 第五条至
 * 第九条): which rights a request amounts to, and the agency's working-day deadlines.
 */
import type { Calendar } from './calendar';
import type { IsoDate } from '../time';
import { findDisease } from './diseases';
import type { PolicyPack } from './schema';
import { sourceLabel } from './source';
import { addWorkingDays, type DateInterval, type WorkingDateResult } from './working-days';

export interface RightsRequest {
  code: string;
  certify: boolean;
  treat: boolean;
}

export interface GrantedRights extends RightsRequest {
  name: string;
  /** Set when treatment was added because certification implies it. */
  treatImplied: boolean;
  /** Rights the pack's form does not offer for this disease. */
  notOffered: ('certify' | 'treat')[];
}

/** 003 第五条: certification rights for a disease in principle include its treatment rights. */
export function qualificationRights(pack: PolicyPack, requests: readonly RightsRequest[]): { rights: GrantedRights[]; errors: string[] } {
  const implies = pack.institutionQualification?.certifyImpliesTreat.value ?? false;
  const rights: GrantedRights[] = [];
  const errors: string[] = [];
  for (const r of requests) {
    const ref = findDisease(pack, r.code);
    if (!ref) {
      errors.push(`病种代码 ${r.code} 不在申请表中`);
      continue;
    }
    const offered = ref.disease.rights ?? { certify: true, treat: true };
    const notOffered: GrantedRights['notOffered'] = [];
    if (r.certify && !offered.certify) notOffered.push('certify');
    const treatImplied = implies && r.certify && !r.treat;
    const treat = r.treat || treatImplied;
    if (treat && !offered.treat) notOffered.push('treat');
    rights.push({ code: r.code, name: ref.name, certify: r.certify, treat, treatImplied, notOffered });
  }
  return { rights, errors };
}

export interface QualificationDeadlines {
  /** One-time completion notice (补全告知书) due by. */
  completionNotice: WorkingDateResult;
  review: WorkingDateResult;
  evaluation: WorkingDateResult;
  sources: Record<'completionNotice' | 'review' | 'evaluation', string>;
}

/**
 * The agency's deadlines from acceptance (受理); supplement periods are excluded from the
 * evaluation only, as 003 第八条 says. Null when the pack has no qualification procedure.
 */
export function qualificationDeadlines(pack: PolicyPack, calendar: Calendar, acceptedOn: IsoDate, supplements: readonly DateInterval[] = []): QualificationDeadlines | null {
  const q = pack.institutionQualification;
  if (!q) return null;
  const evalPaused = q.supplementTimeExcluded.value ? supplements : [];
  return {
    completionNotice: addWorkingDays(calendar, acceptedOn, q.completionNoticeWorkingDays.value),
    review: addWorkingDays(calendar, acceptedOn, q.reviewWorkingDays.value),
    evaluation: addWorkingDays(calendar, acceptedOn, q.evaluationWorkingDays.value, { paused: evalPaused }),
    sources: {
      completionNotice: sourceLabel(q.completionNoticeWorkingDays.source),
      review: sourceLabel(q.reviewWorkingDays.source),
      evaluation: sourceLabel(q.evaluationWorkingDays.source),
    },
  };
}

/** 003 第八条: the list is published within N working days of the supplementary agreement. */
export function publicationDeadline(pack: PolicyPack, calendar: Calendar, agreementOn: IsoDate): WorkingDateResult | null {
  const q = pack.institutionQualification;
  return q ? addWorkingDays(calendar, agreementOn, q.publicationWorkingDays.value) : null;
}
