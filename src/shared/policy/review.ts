/**
 * The review process as data: which stage a case needs next, and when it is decided. 002: a
 * random first reviewer, then two final reviewers, a third when they disagree. 000: the
 * certifying physician, then the 医保办's in-hospital re-check.
 */
import type { Calendar } from './calendar';
import type { IsoDate } from '../time';
import { findDisease } from './diseases';
import type { PolicyPack, Stage } from './schema';
import { sourceLabel } from './source';
import { addWorkingDays, type WorkingDateResult, type WorkingDayOptions } from './working-days';

export type Verdict = 'approve' | 'reject' | 'materials-missing';

export interface ReviewDecision {
  stage: string;
  reviewerId: string;
  verdict: Verdict;
  reason?: string;
  /** ISO datetime. */
  at?: string;
}

export type ReviewResult = 'approved' | 'rejected' | 'materials-missing';

export type ReviewOutcome =
  | { status: 'decided'; result: ReviewResult; stage: string; label: string; message: string }
  | {
      status: 'pending';
      stage: string;
      label: string;
      role: Stage['role'];
      reviewersNeeded: number;
      /** The extra reviewer called in because the stage's reviewers disagree. */
      tieBreak: boolean;
      /** Reviewers who already decided this case and must not be drawn again. */
      excludeReviewers: string[];
      message: string;
    }
  | { status: 'invalid'; errors: string[] };

const RESULT: Record<Verdict, ReviewResult> = { approve: 'approved', reject: 'rejected', 'materials-missing': 'materials-missing' };
const RESULT_LABEL: Record<ReviewResult, string> = { approved: '认定通过', rejected: '不予通过', 'materials-missing': '材料不全，需补充后重新申报' };

function stageVerdict(stage: Stage, ds: readonly ReviewDecision[]): { verdict: Verdict; used: number } | { pending: number; tieBreak: boolean } | { error: string } {
  const needed = stage.reviewers;
  if (ds.length < needed) return { pending: needed - ds.length, tieBreak: false };
  const main = ds.slice(0, needed);
  const first = main[0]!.verdict;
  if (main.every((d) => d.verdict === first)) return { verdict: first, used: needed };
  if (stage.tieBreak) {
    const tb = ds[needed];
    return tb ? { verdict: tb.verdict, used: needed + 1 } : { pending: 1, tieBreak: true };
  }
  const counts = new Map<Verdict, number>();
  for (const d of main) counts.set(d.verdict, (counts.get(d.verdict) ?? 0) + 1);
  const majority = [...counts].find(([, n]) => n * 2 > needed);
  return majority ? { verdict: majority[0], used: needed } : { error: `${stage.label}意见不一致且未设第三名专家` };
}

/** The case's final result, or the stage it needs next, from the decisions so far (in order). */
export function reviewOutcome(pack: PolicyPack, decisions: readonly ReviewDecision[]): ReviewOutcome {
  const stages = pack.process.stages;
  const errors: string[] = [];
  for (const d of decisions) {
    if (!stages.some((s) => s.id === d.stage)) errors.push(`未知的审核环节“${d.stage}”`);
  }
  for (const s of stages) {
    const ids = decisions.filter((d) => d.stage === s.id).map((d) => d.reviewerId);
    if (new Set(ids).size !== ids.length) errors.push(`${s.label}中同一审核人出现多次`);
  }
  if (errors.length > 0) return { status: 'invalid', errors };

  const everyone = [...new Set(decisions.map((d) => d.reviewerId))];
  for (const [i, stage] of stages.entries()) {
    const ds = decisions.filter((d) => d.stage === stage.id);
    const later = stages.slice(i + 1).some((s) => decisions.some((d) => d.stage === s.id));
    const r = stageVerdict(stage, ds);
    if ('error' in r) return { status: 'invalid', errors: [r.error] };
    if ('pending' in r) {
      if (later) return { status: 'invalid', errors: [`${stage.label}尚未完成，却已有后续环节的意见`] };
      const label = r.tieBreak && stage.tieBreak ? stage.tieBreak.label : stage.label;
      const message = r.tieBreak ? `${stage.label}意见不一致，需由${label}决定` : `待${label}（还需 ${r.pending} 人）`;
      return { status: 'pending', stage: stage.id, label, role: stage.role, reviewersNeeded: r.pending, tieBreak: r.tieBreak, excludeReviewers: everyone, message };
    }
    if (ds.length > r.used) return { status: 'invalid', errors: [`${stage.label}的意见多于所需人数`] };
    if (r.verdict !== 'approve' || i === stages.length - 1) {
      if (later) return { status: 'invalid', errors: [`${stage.label}已作出结论，不应再有后续环节的意见`] };
      const result = RESULT[r.verdict];
      return { status: 'decided', result, stage: stage.id, label: stage.label, message: `${stage.label}：${RESULT_LABEL[result]}` };
    }
  }
  return { status: 'invalid', errors: ['本地区未配置审核环节'] };
}

/** ISO deadline for accepting an assignment (002: 48 hours), or null when the region sets none. */
export function acceptanceDeadline(pack: PolicyPack, assignedAt: string): string | null {
  const window = pack.process.acceptanceWindowHours;
  if (!window) return null;
  const t = Date.parse(assignedAt);
  if (Number.isNaN(t)) throw new RangeError(`Not an ISO datetime: ${assignedAt}`);
  return new Date(t + window.value * 3_600_000).toISOString();
}

export type AssignmentEvent = { kind: 'accepted' | 'refused' | 'lapsed'; at: string };

/**
 * 002: an expert who refuses or lets lapse the limit's number of assignments in a row loses
 * expert status. Events in time order.
 */
export function refusalStreak(pack: PolicyPack, events: readonly AssignmentEvent[]): { current: number; longest: number; limit: number | null; lostStatus: boolean; message: string } {
  let current = 0;
  let longest = 0;
  for (const e of events) {
    current = e.kind === 'accepted' ? 0 : current + 1;
    longest = Math.max(longest, current);
  }
  const rule = pack.process.refusalLimit;
  const limit = rule?.value ?? null;
  const lostStatus = limit !== null && longest >= limit;
  const message = lostStatus
    ? `连续 ${limit} 次不受理或拒绝受理，取消认定专家资格（来源：${sourceLabel(rule!.source)}）`
    : limit === null
      ? '本地区未规定连续拒绝受理的处理'
      : `当前连续不受理 ${current} 次（上限 ${limit} 次）`;
  return { current, longest, limit, lostStatus, message };
}

/** The last day to complete a case accepted on `acceptedOn` (004/002: 20 working days). */
export function completionDeadline(pack: PolicyPack, calendar: Calendar, acceptedOn: IsoDate, options: WorkingDayOptions = {}): WorkingDateResult | null {
  const limit = pack.process.completionLimitWorkingDays;
  return limit ? addWorkingDays(calendar, acceptedOn, limit.value, options) : null;
}

/** 004: clear-cut diseases (cancer treatment, transplant, dialysis) are handled at once. */
export function isHandledAtOnce(pack: PolicyPack, code: string): boolean {
  const ref = findDisease(pack, code);
  const codes = pack.process.handledAtOnce?.codes ?? [];
  return ref !== null && (codes.includes(code) || codes.includes(ref.disease.code));
}
