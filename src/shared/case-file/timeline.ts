/**
 * A person's case file (档案, issue 6 point 6) from the rows the workstation keeps: one
 * timeline of applications, each offer and review step and who made it, recognitions,
 * certifications and their filings or revocations, plus what holds today — the diseases held,
 * the re-review due dates and any exclusion between a held disease and an open application.
 */
import { CASE_STATUS_LABELS, type CaseRow } from '../domain/case';
import type { Certification } from '../domain/certification';
import type { InsuredPerson } from '../domain/insured';
import type { Recognition } from '../domain/recognition';
import type { Assignment, Review } from '../domain/review';
import { checkExclusions, type ExclusionConflict } from '../policy/exclusions';
import { reReviewDue, type ReReviewDue } from '../policy/rereview';
import type { PolicyPack } from '../policy/schema';
import { stageLabel } from '../review/stages';

export type TimelineKind = 'application' | 'offer' | 'refusal' | 'lapse' | 'acceptance' | 'review' | 'decision' | 'recognition' | 'certification' | 'filing' | 'revocation';

export interface TimelineEvent {
  at: string;
  kind: TimelineKind;
  caseId: string;
  /** Who acted: a reviewer's name or id; null for the system. */
  actor: string | null;
  text: string;
}

export interface CaseFileInput {
  person: InsuredPerson;
  cases: readonly CaseRow[];
  assignments: readonly Assignment[];
  reviews: readonly Review[];
  recognitions: readonly Recognition[];
  certifications: readonly Certification[];
}

export interface CaseFile {
  person: InsuredPerson;
  /** Newest first. */
  events: TimelineEvent[];
  held: { certification: Certification; reReview: ReReviewDue }[];
  conflicts: { caseId: string; conflicts: ExclusionConflict[] }[];
}

/** Order of events at the same instant: a refusal before the offer that replaces it, a decision before its certification. */
const RANK: Record<TimelineKind, number> = { application: 0, refusal: 1, lapse: 1, offer: 2, acceptance: 3, recognition: 4, review: 5, decision: 6, certification: 7, filing: 8, revocation: 9 };

const VERDICT: Record<Review['conclusion']['verdict'], string> = { approve: '符合', reject: '不符合', 'materials-missing': '需补充材料' };
const RESULT: Record<NonNullable<CaseRow['result']>, string> = { approved: '认定通过', rejected: '不予通过', 'materials-missing': '材料不全' };

function reviewText(pack: PolicyPack, r: Review): string {
  const c = r.conclusion;
  const detail = c.verdict === 'reject' ? `：${c.reason}` : c.verdict === 'materials-missing' ? `：缺 ${c.missingItems.length} 项` : '';
  return `${stageLabel(pack, r.stage, r.tieBreak)}意见：${VERDICT[c.verdict]}${detail}`;
}

export function caseFile(pack: PolicyPack, input: CaseFileInput, today: string, names: ReadonlyMap<string, string> = new Map()): CaseFile {
  const name = (id: string) => names.get(id) ?? id;
  const events: TimelineEvent[] = [];
  const decidedAt = new Map(input.cases.map((c) => [c.id, c.decidedAt]));
  for (const c of input.cases) {
    events.push({ at: c.submittedAt, kind: 'application', caseId: c.id, actor: null, text: `${c.kind === 're-review' ? '复审申请' : '申请'}：${c.diseaseName}（${c.channel === 'assisted' ? '窗口代办' : '网上申报'}）` });
    if (c.decidedAt && c.result) events.push({ at: c.decidedAt, kind: 'decision', caseId: c.id, actor: null, text: `办结：${RESULT[c.result]}` });
  }
  for (const a of input.assignments) {
    const label = stageLabel(pack, a.stage, a.tieBreak);
    const how = a.draw.mode === 'random' ? `随机抽取（种子 ${a.draw.seed}，候选 ${a.draw.candidates.length} 人）` : a.draw.mode === 'office' ? '医保办' : '指定';
    events.push({ at: a.offeredAt, kind: 'offer', caseId: a.caseId, actor: null, text: `${label}分配给 ${name(a.reviewerId)}，${how}` });
    if (a.acceptedAt && a.draw.mode !== 'office') events.push({ at: a.acceptedAt, kind: 'acceptance', caseId: a.caseId, actor: name(a.reviewerId), text: `${label}已受理` });
    if (a.state === 'refused') events.push({ at: a.closedAt ?? a.offeredAt, kind: 'refusal', caseId: a.caseId, actor: name(a.reviewerId), text: `${label}拒绝受理：${a.refusalReason ?? ''}` });
    if (a.state === 'lapsed') events.push({ at: a.closedAt ?? a.offeredAt, kind: 'lapse', caseId: a.caseId, actor: name(a.reviewerId), text: `${label}超时未受理` });
  }
  for (const r of input.reviews) events.push({ at: r.at, kind: 'review', caseId: r.caseId, actor: r.reviewerName, text: reviewText(pack, r) });
  for (const r of input.recognitions) {
    const d = r.decision;
    const text = d.decision === 'recognised' ? `互认：${r.item}（${r.sourceInstitution}，${r.reportDate}）` : `重复检查：${r.item}，理由 ${pack.recognition.repeatReasons.find((x) => x.code === d.reasonCode)?.label ?? d.reasonCode}，已告知患者`;
    events.push({ at: r.at, kind: 'recognition', caseId: r.caseId, actor: name(r.physicianId), text });
  }
  for (const cert of input.certifications) {
    const period = `${cert.begnDate} 至 ${cert.endDate ?? '长期'}`;
    events.push({ at: decidedAt.get(cert.caseId) ?? `${cert.certifiedOn}T00:00:00.000Z`, kind: 'certification', caseId: cert.caseId, actor: cert.physicianName, text: `认定：${cert.diseaseName}，待遇期 ${period}` });
    if (cert.state === 'filed') events.push({ at: cert.filedAt, kind: 'filing', caseId: cert.caseId, actor: null, text: `备案成功，流水号 ${cert.trtDclaDetlSn}` });
    if (cert.state === 'revoked') events.push({ at: cert.revokedAt, kind: 'revocation', caseId: cert.caseId, actor: null, text: `备案已撤销：${cert.revokeReason}` });
  }
  events.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : RANK[b.kind] - RANK[a.kind]));

  const active = input.certifications.filter((c) => c.state !== 'revoked' && (c.endDate === null || c.endDate >= today));
  const held = active.map((certification) => ({
    certification,
    reReview: reReviewDue(pack, { diseaseCode: certification.diseaseCode, validFrom: certification.begnDate, validTo: certification.endDate }, today),
  }));
  const heldCodes = active.map((c) => c.diseaseCode);
  const conflicts = input.cases
    .filter((c) => c.status !== 'decided')
    .map((c) => ({ caseId: c.id, conflicts: checkExclusions(pack, heldCodes.filter((code) => code !== c.diseaseCode), c.diseaseCode) }))
    .filter((x) => x.conflicts.length > 0);
  return { person: input.person, events, held, conflicts };
}

/** The one-line state of a case for the file's list. */
export function caseSummary(c: CaseRow): string {
  return c.status === 'decided' && c.result ? `${c.diseaseName}：${RESULT[c.result]}` : `${c.diseaseName}：${CASE_STATUS_LABELS[c.status]}${c.stageLabel ? `（${c.stageLabel}）` : ''}`;
}
