/**
 * The timeline of a person's case file (档案): every application, offer and review step with who
 * made it, each 互认 decision, certifications, and the filings and revocations sent to the
 * platform with their receipts and sync states. Oldest first: the file reads as a story.
 */
import type { CaseRow } from '../domain/case';
import type { Recognition } from '../domain/recognition';
import type { Assignment, Review } from '../domain/review';
import { OFFICE_ASSIGNEE } from '../domain/work-item';
import { formatChina } from '../time/china-time';
import type { PolicyPack } from '../policy/schema';
import { missingMaterialChoices } from '../review/conclude';
import { stageLabel } from '../review/stages';
import type { FilingRow } from '../hospital/filings';
import type { PersonRows } from './case-file';
import { certificationEvents, filingEvents } from './platform-events';
import { filingWord, type SyncWord, type Tone } from './sync-words';
import { dueOfRow, dueText } from '../review/deadlines';

export type EventKind =
  | 'application' | 'offer' | 'acceptance' | 'refusal' | 'lapse' | 'withdrawal'
  | 'review' | 'decision' | 'recognition' | 'certification' | 'filing' | 'filing-result'
  | 'revocation' | 'revocation-result' | 'message' | 're-review-due' | 'benefit-end';

export interface CaseFileEvent {
  id: string;
  /** ISO instant; a date-only fact sits at the end of its China day, after that day's other events. */
  at: string;
  /** 'day' when only the date is known (a certification date, a due date). */
  precision: 'instant' | 'day';
  kind: EventKind;
  title: string;
  detail: string | null;
  /** Who did it, by name; null when no person acted (the platform, a deadline). */
  actor: string | null;
  caseId: string | null;
  tone: Tone;
  /** Platform messages: where the message stands now. */
  sync?: SyncWord;
  /** A date still ahead (a re-review deadline). */
  future?: boolean;
}

const VERDICT = { approve: '符合', reject: '不符合', 'materials-missing': '需补充材料' } as const;
const VERDICT_TONE = { approve: 'green', reject: 'red', 'materials-missing': 'orange' } as const;
const RESULT = { approved: '认定通过', rejected: '不予认定', 'materials-missing': '需补充材料' } as const;
const RESULT_TONE = { approved: 'green', rejected: 'red', 'materials-missing': 'orange' } as const;

function caseEvents(c: CaseRow): CaseFileEvent[] {
  const kind = c.kind === 're-review' ? '复审申请' : '首次认定申请';
  const limit = dueOfRow(c);
  const due = limit.kind === 'date' ? `，办结时限 ${dueText(limit)}` : limit.kind === 'awaiting-calendar' ? `，${dueText(limit)}` : '';
  const out: CaseFileEvent[] = [
    {
      id: `${c.id}:application`, at: c.submittedAt, precision: 'instant', kind: 'application', caseId: c.id, actor: null, tone: 'blue',
      title: `${kind}：${c.diseaseName}`,
      detail: `${c.channel === 'assisted' ? '医保办窗口代办' : '网上申请'}，${c.receivedOn} 受理${due}`,
    },
  ];
  if (c.decidedAt && c.result) {
    out.push({ id: `${c.id}:decision`, at: c.decidedAt, precision: 'instant', kind: 'decision', caseId: c.id, actor: null, tone: RESULT_TONE[c.result], title: `办结：${c.diseaseName}${RESULT[c.result]}`, detail: null });
  }
  return out;
}

function assignmentEvents(pack: PolicyPack, a: Assignment, name: (id: string) => string, replaced: ReadonlySet<string>): CaseFileEvent[] {
  const stage = stageLabel(pack, a.stage, a.tieBreak);
  const who = name(a.reviewerId);
  const how = a.draw.mode === 'random' ? `随机抽取（候选 ${a.draw.candidates.length} 人，种子 ${a.draw.seed}，可复核）` : `由 ${a.draw.mode === 'direct' ? name(a.draw.by) : '医保办'} 指定`;
  const base = { caseId: a.caseId, precision: 'instant' as const };
  // The 医保办's own stage goes to the office as a whole, not to a named reviewer.
  const offer = a.draw.mode === 'office' ? { title: `转${stage}`, detail: null } : { title: `${stage}分配给 ${who}`, detail: how };
  const out: CaseFileEvent[] = [{ ...base, id: `${a.id}:offer`, at: a.offeredAt, kind: 'offer', actor: null, tone: 'gray', ...offer }];
  // The 医保办's own stage has no acceptance step (000: 院内复核).
  if (a.acceptedAt && a.draw.mode !== 'office' && (a.state === 'accepted' || a.state === 'completed')) {
    out.push({ ...base, id: `${a.id}:accept`, at: a.acceptedAt, kind: 'acceptance', actor: who, tone: 'blue', title: `${who} 受理${stage}`, detail: null });
  }
  const closed = a.closedAt ?? a.offeredAt;
  const handedOn = replaced.has(a.id) ? '，已另行分配' : '';
  if (a.state === 'refused') out.push({ ...base, id: `${a.id}:refuse`, at: closed, kind: 'refusal', actor: who, tone: 'orange', title: `${who} 拒绝受理${stage}`, detail: `理由：${a.refusalReason ?? '未填写'}${handedOn}` });
  if (a.state === 'lapsed') out.push({ ...base, id: `${a.id}:lapse`, at: closed, kind: 'lapse', actor: null, tone: 'orange', title: `${who} 超时未受理${stage}`, detail: handedOn ? handedOn.slice(1) : null });
  if (a.state === 'withdrawn') out.push({ ...base, id: `${a.id}:withdraw`, at: closed, kind: 'withdrawal', actor: null, tone: 'gray', title: `${stage}分配已撤回（${who}）`, detail: null });
  return out;
}

function reviewEvent(pack: PolicyPack, r: Review, diseaseCode: string | undefined): CaseFileEvent {
  const c = r.conclusion;
  let detail: string | null = null;
  if (c.verdict === 'reject') detail = `理由：${c.reason}`;
  if (c.verdict === 'materials-missing') {
    const items = missingMaterialChoices(pack, diseaseCode ?? '');
    const labels = c.missingItems.map((id) => items.find((m) => m.id === id)?.text ?? id);
    detail = `需补充：${labels.join('；')}${c.note ? `（${c.note}）` : ''}`;
  }
  const sealed = r.auditSeq !== null ? `已记入审计链第 ${r.auditSeq} 条` : null;
  const late = r.madeAt ? `离线时于 ${formatChina(r.madeAt, 'YYYY-MM-DD HH:mm')} 作出（工作站时间），联网后送达` : null;
  const who = r.reviewerId === OFFICE_ASSIGNEE && !r.reviewerName.startsWith('医保办') ? `医保办 ${r.reviewerName}` : r.reviewerName;
  return {
    id: `${r.id}:review`, at: r.at, precision: 'instant', kind: 'review', caseId: r.caseId, actor: who, tone: VERDICT_TONE[c.verdict],
    title: `${stageLabel(pack, r.stage, r.tieBreak)}结论：${VERDICT[c.verdict]}`,
    detail: [detail, late, sealed].filter(Boolean).join('；') || null,
  };
}

function recognitionEvent(pack: PolicyPack, r: Recognition, name: (id: string) => string, filings: ReadonlyMap<string, FilingRow>): CaseFileEvent {
  const d = r.decision;
  // The record's own message to the platform (recognition extension), when queued.
  const sent = r.outboxId ? filings.get(r.outboxId) : undefined;
  const sync = sent ? { sync: filingWord(sent) } : {};
  const source = `${r.sourceInstitution}，报告日期 ${r.reportDate}，${r.hrMark ? `互认标识 ${r.hrMark}` : '无互认标识'}`;
  const base = { id: `${r.id}:recognition`, at: r.at, precision: 'instant' as const, kind: 'recognition' as const, caseId: r.caseId, actor: name(r.physicianId), ...sync };
  if (d.decision === 'recognised') return { ...base, tone: 'green', title: `互认：${r.item}`, detail: source };
  const reason = pack.recognition.repeatReasons.find((x) => x.code === d.reasonCode)?.label ?? d.reasonCode;
  return { ...base, tone: 'orange', title: `重复检查：${r.item}`, detail: `${source}；理由：${reason}；已向患者说明` };
}

/** Every past event of the person's rows, unordered (buildCaseFile sorts the whole file). */
export function timelineEvents(pack: PolicyPack, rows: Omit<PersonRows, 'person'>): CaseFileEvent[] {
  const name = (id: string) => (id === OFFICE_ASSIGNEE ? '医保办' : rows.names.get(id) ?? `医师 ${id}`);
  const diseaseOf = new Map(rows.cases.map((c) => [c.id, c.diseaseCode]));
  const replaced = new Set(rows.assignments.flatMap((a) => (a.replaces ? [a.replaces] : [])));
  const byId = new Map(rows.filings.map((i) => [i.id, i]));
  const reported = new Set(rows.recognitions.flatMap((r) => (r.outboxId ? [r.outboxId] : [])));
  const filingIds = new Set(rows.filings.map((i) => i.id));
  return [
    ...rows.cases.flatMap(caseEvents),
    ...rows.assignments.flatMap((a) => assignmentEvents(pack, a, name, replaced)),
    ...rows.reviews.map((r) => reviewEvent(pack, r, diseaseOf.get(r.caseId))),
    ...rows.recognitions.map((r) => recognitionEvent(pack, r, name, byId)),
    ...rows.certifications.flatMap((c) => certificationEvents(c, filingIds)),
    // A recognition record's message is told with the recognition itself.
    ...rows.filings.filter((i) => !reported.has(i.id)).flatMap(filingEvents),
  ];
}
