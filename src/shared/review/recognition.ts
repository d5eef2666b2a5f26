/**
 * The 互认 log's rules (domain.md §4, 国卫医发〔2022〕6号): whether an outside result carries the
 * HR mark and is inside its reference window, which repeat reasons the pack allows, the log
 * entry a decision makes, the platform message it becomes, and the figures per physician and
 * department.
 */
import type { CaseRow } from '../domain/case';
import type { OutsideResult } from '../domain/material';
import type { PhysicianProfile } from '../domain/physician';
import { recognitionDecisionSchema, type Recognition, type RecognitionDecision } from '../domain/recognition';
import { addDays, formatInfTime } from '../time';
import type { PolicyPack } from '../policy/schema';

export interface ResultStanding {
  /** The mark as the pack defines it, with or without a provincial prefix (鄂HR). */
  marked: boolean;
  windowDays: number | null;
  /** null when the pack gives the item no window (imaging: judged clinically). */
  withinValidity: boolean | null;
  /** The last day the result is inside its window. */
  validUntil: string | null;
}

/** How an outside result stands on `onDate`: mark and validity window. */
export function resultStanding(pack: PolicyPack, result: OutsideResult, onDate: string): ResultStanding {
  const mark = pack.recognition.mark.value;
  const marked = result.hrMark !== null && result.hrMark.trim().toUpperCase().endsWith(mark.toUpperCase());
  const window = pack.recognition.validity.find((v) => v.id === result.validityId) ?? pack.recognition.validity.find((v) => v.item === result.item);
  if (!window) return { marked, windowDays: null, withinValidity: null, validUntil: null };
  const validUntil = addDays(result.reportDate, window.days);
  return { marked, windowDays: window.days, withinValidity: onDate <= validUntil, validUntil };
}

/** The repeat reasons the physician may choose: the national six, then the province's extras. */
export function repeatReasons(pack: PolicyPack): { code: string; label: string; scope: 'national' | 'provincial' }[] {
  const all = pack.recognition.repeatReasons.map((r) => ({ code: r.code, label: r.label, scope: r.scope }));
  return [...all.filter((r) => r.scope === 'national'), ...all.filter((r) => r.scope === 'provincial')];
}

export type RecordResult = { ok: true; recognition: Recognition } | { ok: false; message: string };

/** The log entry for a physician's decision on one outside result. */
export function recordRecognition(
  pack: PolicyPack,
  input: { id: string; result: OutsideResult; caseRow: CaseRow; decision: RecognitionDecision; physician: Pick<PhysicianProfile, 'id' | 'department'>; now: Date },
): RecordResult {
  const parsed = recognitionDecisionSchema.safeParse(input.decision);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]?.message ?? '互认记录无效' };
  const decision = parsed.data;
  if (decision.decision === 'repeated' && !pack.recognition.repeatReasons.some((r) => r.code === decision.reasonCode)) {
    return { ok: false, message: `本地区未规定的重复检查理由：${decision.reasonCode}` };
  }
  const at = input.now.toISOString();
  const standing = resultStanding(pack, input.result, at.slice(0, 10));
  const r = input.result;
  return {
    ok: true,
    recognition: {
      id: input.id,
      caseId: input.caseRow.id,
      resultId: r.id,
      personId: input.caseRow.personId,
      item: r.item,
      sourceInstitution: r.sourceInstitution,
      reportDate: r.reportDate,
      hrMark: r.hrMark,
      withinValidity: standing.withinValidity,
      decision,
      physicianId: input.physician.id,
      department: input.physician.department,
      at,
      outboxId: null,
    },
  };
}

/**
 * The platform's recognition extension (`data` of HR01, src/shared/platform/recognition.ts) for
 * a log entry; validate it with `recognitionDataSchema` before queuing.
 */
export function recognitionMessageData(
  rec: Recognition,
  result: OutsideResult,
  caseRow: CaseRow,
  physician: Pick<PhysicianProfile, 'name' | 'paymentQualifications'>,
): Record<string, string | undefined> {
  const repeated = rec.decision.decision === 'repeated' ? rec.decision : null;
  return {
    hosp_rcgn_id: rec.id,
    psn_no: caseRow.psnNo,
    psn_name: caseRow.personName,
    opsp_dise_code: caseRow.diseaseCode,
    exam_type: result.category === '检验' ? '2' : '1',
    exam_item_code: result.itemCode,
    exam_item_name: result.item,
    src_fixmedins_code: result.sourceInstitutionCode,
    src_fixmedins_name: result.sourceInstitution,
    rpt_no: result.reportNo ?? undefined,
    rpt_date: result.reportDate,
    hr_flag: rec.hrMark ? '1' : '0',
    hr_mark: rec.hrMark ?? undefined,
    rcgn_rslt: repeated ? '2' : '1',
    rept_rea_code: repeated?.reasonCode,
    rept_rea_dscr: repeated?.note,
    psn_infm_flag: repeated ? '1' : '0',
    dr_codg: physician.paymentQualifications.find((q) => q.to === null)?.code ?? physician.paymentQualifications.at(-1)?.code ?? '',
    dr_name: physician.name,
    rcgn_time: formatInfTime(rec.at),
  };
}

export interface RecognitionFigures {
  key: string;
  total: number;
  recognised: number;
  repeated: number;
  /** recognised / total; null with no entries. */
  rate: number | null;
  /** Repeats per reason code, most frequent first. */
  reasons: { code: string; count: number }[];
}

/** Recognition rate and repeat reasons grouped by physician or department (issue 6 point 4). */
export function recognitionFigures(entries: readonly Recognition[], by: 'physician' | 'department'): RecognitionFigures[] {
  const groups = new Map<string, Recognition[]>();
  for (const e of entries) {
    const key = by === 'physician' ? e.physicianId : e.department;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups].map(([key, list]) => {
    const reasons = new Map<string, number>();
    for (const e of list) if (e.decision.decision === 'repeated') reasons.set(e.decision.reasonCode, (reasons.get(e.decision.reasonCode) ?? 0) + 1);
    const recognised = list.filter((e) => e.decision.decision === 'recognised').length;
    return {
      key,
      total: list.length,
      recognised,
      repeated: list.length - recognised,
      rate: list.length === 0 ? null : recognised / list.length,
      reasons: [...reasons].map(([code, count]) => ({ code, count })).sort((a, b) => b.count - a.count || (a.code < b.code ? -1 : 1)),
    };
  }).sort((a, b) => (a.key < b.key ? -1 : 1));
}
