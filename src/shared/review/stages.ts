/**
 * What a case needs next, from the pack's process and the conclusions so far. The policy
 * engine's `reviewOutcome` decides the stage; this adds how its reviewers are found: drawn at
 * random (002's experts, 000's certifying physician), or the 医保办's own queue (000 院内复核).
 */
import type { Review } from '../domain/review';
import { reviewOutcome, type ReviewDecision, type ReviewResult } from '../policy/review';
import type { PolicyPack, Stage } from '../policy/schema';

export type AssignmentMode = 'random' | 'office';

export type NextStep =
  | { kind: 'assign'; stage: string; label: string; mode: AssignmentMode; count: number; tieBreak: boolean; exclude: string[]; message: string }
  | { kind: 'decided'; result: ReviewResult; stage: string; label: string; message: string }
  | { kind: 'invalid'; errors: string[] };

/** Office and agency stages are worked by the 医保办's queue; every other role is drawn. */
export function assignmentMode(stage: Pick<Stage, 'role'>): AssignmentMode {
  return stage.role === 'office' || stage.role === 'agency' ? 'office' : 'random';
}

/** Reviews in the order they were made, as the policy engine reads them. */
export function toDecisions(reviews: readonly Review[]): ReviewDecision[] {
  return [...reviews]
    .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    .map((r) => ({
      stage: r.stage,
      reviewerId: r.reviewerId,
      verdict: r.conclusion.verdict,
      reason: r.conclusion.verdict === 'reject' ? r.conclusion.reason : undefined,
      at: r.at,
    }));
}

/**
 * The next step after `reviews`. `openReviewers` are the reviewers still holding an open
 * assignment of the current stage: the count asked for is what the stage still lacks beyond them.
 */
export function nextStep(pack: PolicyPack, reviews: readonly Review[], openReviewers: readonly string[] = []): NextStep {
  const outcome = reviewOutcome(pack, toDecisions(reviews));
  if (outcome.status === 'invalid') return { kind: 'invalid', errors: outcome.errors };
  if (outcome.status === 'decided') return { kind: 'decided', result: outcome.result, stage: outcome.stage, label: outcome.label, message: outcome.message };
  const stage = pack.process.stages.find((s) => s.id === outcome.stage);
  if (!stage) return { kind: 'invalid', errors: [`未知的审核环节“${outcome.stage}”`] };
  return {
    kind: 'assign',
    stage: stage.id,
    label: outcome.label,
    mode: assignmentMode(stage),
    count: Math.max(0, outcome.reviewersNeeded - openReviewers.length),
    tieBreak: outcome.tieBreak,
    exclude: [...new Set([...outcome.excludeReviewers, ...openReviewers])],
    message: outcome.message,
  };
}

/** The label of a stage id in the pack (the worklist's 环节 column). */
export function stageLabel(pack: PolicyPack, stageId: string, tieBreak = false): string {
  const stage = pack.process.stages.find((s) => s.id === stageId);
  if (!stage) return stageId;
  return tieBreak && stage.tieBreak ? stage.tieBreak.label : stage.label;
}
