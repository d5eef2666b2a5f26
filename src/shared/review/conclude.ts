/**
 * A reviewer's conclusion as a pure transition: the review row, the completed assignment, and
 * what happens to the case — the next stage to draw, or the final result and, when approved,
 * the certification ready for the 医保办 to file (issue 6 point 5). The password confirmation
 * and the audit entry belong to the caller.
 */
import { NO_DEADLINE, type CaseRow } from '../domain/case';
import { chinaDateOf } from '../time';
import type { Certification } from '../domain/certification';
import { conclusionSchema, type Assignment, type Conclusion, type Review } from '../domain/review';
import { OFFICE_ASSIGNEE } from '../domain/work-item';
import { termEnd } from '../time';
import { findDisease } from '../policy/diseases';
import type { PolicyPack } from '../policy/schema';
import { completeAssignment } from './offers';
import { nextStep, type NextStep } from './stages';

export interface ConcludeInput {
  pack: PolicyPack;
  caseRow: CaseRow;
  assignment: Assignment;
  /** Every review of the case so far, any stage. */
  reviews: readonly Review[];
  /** Reviewers still holding an open assignment of the case (other than this one). */
  openReviewers: readonly string[];
  /** The user concluding; at a 医保办 stage any user with the office role may. */
  reviewer: { id: string; name: string; role?: string };
  conclusion: Conclusion;
  criteriaMet: readonly string[];
  now: Date;
  reviewId: string;
  /** When the reviewer concluded by their own desk's clock, if it was sent later (see Review.madeAt). */
  madeAt?: string;
}

export type ConcludeResult =
  | { ok: true; review: Review; assignment: Assignment; caseRow: CaseRow; next: NextStep; certification: Certification | null }
  | { ok: false; message: string };

/** The missing-material ids a 需补充材料 conclusion may name: the disease's list, plus the general items of 002. */
export function missingMaterialChoices(pack: PolicyPack, diseaseCode: string): { id: string; text: string }[] {
  const disease = findDisease(pack, diseaseCode)?.disease;
  const general = [
    { id: 'identity', text: '身份证或社会保障卡复印件' },
    { id: 'medical-record', text: '近期病历（住院病历或门诊病历）' },
    { id: 'exam-report', text: '相关检查检验报告' },
    { id: 'stamp', text: '治疗医院盖章' },
  ];
  return [...general, ...(disease?.requiredMaterials ?? []).map((m) => ({ id: m.id, text: m.text }))];
}

export function concludeReview(input: ConcludeInput): ConcludeResult {
  const { pack, caseRow, assignment, now } = input;
  if (assignment.reviewerId === OFFICE_ASSIGNEE) {
    if (input.reviewer.role !== 'office') return { ok: false, message: '院内复核须由医保办人员作出' };
  } else if (assignment.reviewerId !== input.reviewer.id) return { ok: false, message: '只能对分配给本人的案件作出结论' };
  const parsed = conclusionSchema.safeParse(input.conclusion);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? '结论无效' };
  const conclusion = parsed.data;
  if (conclusion.verdict === 'materials-missing') {
    const allowed = new Set(missingMaterialChoices(pack, caseRow.diseaseCode).map((c) => c.id));
    const unknown = conclusion.missingItems.filter((id) => !allowed.has(id));
    if (unknown.length > 0) return { ok: false, message: `未知的材料项目：${unknown.join('、')}` };
  }
  const done = completeAssignment(assignment, now);
  if (!done.ok) return done;

  const at = now.toISOString();
  const review: Review = {
    id: input.reviewId,
    caseId: caseRow.id,
    assignmentId: assignment.id,
    stage: assignment.stage,
    tieBreak: assignment.tieBreak,
    reviewerId: input.reviewer.id,
    reviewerName: input.reviewer.name,
    conclusion,
    criteriaMet: [...input.criteriaMet],
    at,
    ...(input.madeAt ? { madeAt: input.madeAt } : {}),
    auditSeq: null,
  };
  // This review comes after every review already made, whatever this clock says: a desk whose clock
  // is behind the server's must not read its own new conclusion as an earlier one.
  const latest = input.reviews.reduce((max, r) => (r.at > max ? r.at : max), at);
  const next = nextStep(pack, [...input.reviews, { ...review, at: latest }], input.openReviewers);
  if (next.kind === 'invalid') return { ok: false, message: next.errors.join('；') };
  if (next.kind !== 'decided') return { ok: true, review, assignment: done.assignment, caseRow: { ...caseRow, updatedAt: at }, next, certification: null };

  const decided: CaseRow = { ...caseRow, status: 'decided', stage: null, stageLabel: next.label, tieBreak: false, result: next.result, decidedAt: at, deadlineAt: NO_DEADLINE, updatedAt: at };
  return { ok: true, review, assignment: done.assignment, caseRow: decided, next, certification: next.result === 'approved' ? certificationFor(pack, decided, [...input.reviews, review]) : null };
}

/**
 * The certification of an approved case. The certifying physician (diag_dr) is the first
 * physician reviewer — the one who examined the records — not the 医保办 that re-checked.
 */
function certificationFor(pack: PolicyPack, c: CaseRow, reviews: readonly Review[]): Certification {
  const doctor = [...reviews].sort((a, b) => (a.at < b.at ? -1 : 1)).find((r) => pack.process.stages.find((s) => s.id === r.stage)?.role !== 'office') ?? reviews[0]!;
  const on = chinaDateOf(c.decidedAt!);
  const term = findDisease(pack, c.diseaseCode)?.disease.reReviewTermMonths.value ?? null;
  const endDate = term === null ? null : termEnd(on, term);
  return {
    id: `cert-${c.id}`,
    caseId: c.id,
    personId: c.personId,
    diseaseCode: c.diseaseCode,
    diseaseName: c.diseaseName,
    certifiedOn: on,
    begnDate: on,
    endDate,
    reReviewDueOn: endDate,
    physicianId: doctor.reviewerId,
    physicianName: doctor.reviewerName,
    state: 'ready',
    updatedAt: c.decidedAt!,
  };
}
