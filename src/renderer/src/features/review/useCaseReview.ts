import { useLiveQuery } from 'dexie-react-hooks';
import type { CaseRow } from '../../../../shared/domain/case';
import type { Certification } from '../../../../shared/domain/certification';
import type { InsuredPerson } from '../../../../shared/domain/insured';
import type { Material, OutsideResult } from '../../../../shared/domain/material';
import type { Recognition } from '../../../../shared/domain/recognition';
import type { Assignment, Review } from '../../../../shared/domain/review';
import type { User } from '../../../../shared/domain/user';
import { OFFICE_ASSIGNEE } from '../../../../shared/domain/work-item';
import { getDb } from '../../db/db';

export interface CaseReviewData {
  caseRow: CaseRow;
  person: InsuredPerson | null;
  materials: Material[];
  results: OutsideResult[];
  recognitions: Recognition[];
  reviews: Review[];
  /** The user's open assignment of this case (offered or accepted), if any. */
  mine: Assignment | null;
  certification: Certification | null;
  /** Disease codes the person already holds: certifications of other cases not revoked. */
  heldCodes: string[];
}

/** Whether an assignment is the user's to work: their own, or the 医保办's queue for office users. */
export const holds = (a: Assignment, user: Pick<User, 'id' | 'role'>): boolean =>
  (a.reviewerId === user.id || (a.reviewerId === OFFICE_ASSIGNEE && user.role === 'office')) && (a.state === 'offered' || a.state === 'accepted');

/**
 * Everything the review page shows for one case, live: a conclusion, a recognition or an
 * acceptance made anywhere re-renders the page. Undefined while loading, null when no such case.
 */
export function useCaseReview(caseId: string, user: Pick<User, 'id' | 'role'>): CaseReviewData | null | undefined {
  return useLiveQuery(async () => {
    const db = getDb();
    const caseRow = await db.cases.get(caseId);
    if (!caseRow) return null;
    const [person, materials, results, recognitions, reviews, assignments, certs] = await Promise.all([
      db.persons.get(caseRow.personId),
      db.materials.where('caseId').equals(caseId).toArray(),
      db.outsideResults.where('caseId').equals(caseId).toArray(),
      db.recognitions.where('caseId').equals(caseId).toArray(),
      db.reviews.where('caseId').equals(caseId).toArray(),
      db.assignments.where('caseId').equals(caseId).toArray(),
      db.certifications.where('personId').equals(caseRow.personId).toArray(),
    ]);
    const byDate = (a: Material, b: Material) => (a.documentDate ?? '').localeCompare(b.documentDate ?? '') * -1;
    return {
      caseRow,
      person: person ?? null,
      materials: materials.sort(byDate),
      results: results.sort((a, b) => b.reportDate.localeCompare(a.reportDate)),
      recognitions: recognitions.sort((a, b) => a.at.localeCompare(b.at)),
      reviews: reviews.sort((a, b) => a.at.localeCompare(b.at)),
      mine: assignments.find((a) => holds(a, user)) ?? null,
      certification: certs.find((c) => c.caseId === caseId) ?? null,
      heldCodes: [...new Set(certs.filter((c) => c.caseId !== caseId && c.state !== 'revoked').map((c) => c.diseaseCode))],
    };
  }, [caseId, user.id, user.role]);
}
