/**
 * 受理申请 (000: 申请 → 受理 → 审核 → 办结): the 医保办 takes an application at the desk on the
 * applicant's behalf (assisted application). Pure checks and the rows they produce;
 * src/shared/cases/intake.ts reads the person's history and writes the rows in one transaction.
 */
import { caseSchema, type CaseRow } from '../domain/case';
import { chinaDateOf } from '../time';
import type { Certification } from '../domain/certification';
import type { InsuredPerson } from '../domain/insured';
import type { MaterialKind } from '../domain/material';
import type { Calendar } from '../policy/calendar';
import { isIsoDate } from '../time';
import { diseaseName, findDisease } from '../policy/diseases';
import { checkExclusions, type ExclusionConflict } from '../policy/exclusions';
import { isHandledAtOnce } from '../policy/review';
import type { PolicyPack } from '../policy/schema';
import { sourceLabel } from '../policy/source';
import { completionDue, dueFields, dueReason } from './deadlines';
import type { IntakePersonInput } from './intake-person';

/** The file types a material may be (material.ts `mime`): scans as PDF, photos as JPEG or PNG. */
export const INTAKE_MIME_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type IntakeMime = (typeof INTAKE_MIME_TYPES)[number];

/** One uploaded file's description (the bytes stay with the caller). */
export interface IntakeMaterialInput {
  kind: MaterialKind;
  fileName: string;
  mime: string;
  size: number;
  documentDate: string | null;
  sourceInstitution: string;
}

export interface IntakeInput {
  person: IntakePersonInput;
  diseaseCode: string;
  kind: CaseRow['kind'];
  /** 受理 date (YYYY-MM-DD); today in China when absent. */
  receivedOn?: string;
  /** Exclusion exceptions the clerk confirmed, e.g. 004's 'transplant-relapse'. */
  waive?: readonly string[];
  materials?: readonly IntakeMaterialInput[];
}

/** What the workstation already holds about the applicant. */
export interface ApplicantHistory {
  cases: readonly Pick<CaseRow, 'id' | 'diseaseCode' | 'diseaseName' | 'status' | 'receivedOn'>[];
  certifications: readonly Certification[];
}

export type IntakeField = 'person' | 'certNo' | 'diseaseCode' | 'kind' | 'receivedOn' | 'materials';

export interface IntakeProblem {
  code: 'person' | 'unknown-disease' | 'already-held' | 'open-case' | 'exclusion' | 'received-on' | 'materials';
  /** The form field the problem belongs to. */
  field: IntakeField;
  message: string;
}

export interface HeldDiseaseRef {
  code: string;
  name: string;
  endDate: string | null;
}

/** The disease-related verdict on an application, shown at the desk before it is submitted. */
export interface IntakeAssessment {
  problems: IntakeProblem[];
  /** Worth saying, never blocking (e.g. a re-review without a certification known here). */
  warnings: string[];
  held: HeldDiseaseRef[];
  open: { caseId: string; code: string; name: string; receivedOn: string }[];
  conflicts: ExclusionConflict[];
}

/**
 * Certifications in force on `onDate`: not revoked and their term not ended. A term that ended
 * no longer blocks a first application (000: a missed re-review means a new first-time flow).
 */
export function heldCertifications(certifications: readonly Certification[], onDate: string): Certification[] {
  return certifications.filter((c) => c.state !== 'revoked' && (c.endDate === null || c.endDate >= onDate));
}

/** The diseases held on `onDate`, one per code with its latest end (null: no term). */
export function heldDiseases(pack: PolicyPack, certifications: readonly Certification[], onDate: string): HeldDiseaseRef[] {
  const byCode = new Map<string, HeldDiseaseRef>();
  for (const c of heldCertifications(certifications, onDate)) {
    const prior = byCode.get(c.diseaseCode);
    // The latest end of the disease's certifications; null (no term) beats any date.
    const endDate = !prior ? c.endDate : prior.endDate === null || c.endDate === null ? null : prior.endDate > c.endDate ? prior.endDate : c.endDate;
    const name = findDisease(pack, c.diseaseCode) ? diseaseName(pack, c.diseaseCode) : c.diseaseName;
    byCode.set(c.diseaseCode, { code: c.diseaseCode, name, endDate });
  }
  return [...byCode.values()];
}

/**
 * Whether the person may apply for `diseaseCode` now: the code is in the pack; they do not hold
 * it already (unless this is its 复审); no application for it is open; it is not mutually
 * exclusive (004) with a disease they hold, unless the clerk confirmed the rule's exception.
 */
export function assessIntake(
  pack: PolicyPack,
  history: ApplicantHistory,
  application: { diseaseCode: string; kind: CaseRow['kind']; receivedOn: string; waive?: readonly string[] },
): IntakeAssessment {
  const { diseaseCode: code, kind, receivedOn } = application;
  const held = heldDiseases(pack, history.certifications, receivedOn);
  const open = history.cases
    .filter((c) => c.status !== 'decided')
    .map((c) => ({ caseId: c.id, code: c.diseaseCode, name: c.diseaseName, receivedOn: c.receivedOn }));
  const problems: IntakeProblem[] = [];
  const warnings: string[] = [];
  const ref = findDisease(pack, code);
  if (!ref) {
    problems.push({ code: 'unknown-disease', field: 'diseaseCode', message: `病种代码 ${code || '（空）'} 不在本地区病种目录（${pack.title}）中` });
    return { problems, warnings, held, open, conflicts: [] };
  }

  const same = held.find((h) => h.code === code);
  if (same && kind === 'first') {
    const until = same.endDate ? `，有效期至 ${same.endDate}` : '';
    problems.push({ code: 'already-held', field: 'kind', message: `该参保人已认定“${ref.name}”${until}，不能重复申请；期满前续认定请按“复审”受理` });
  }
  if (!same && kind === 're-review') {
    warnings.push(`本机没有该参保人“${ref.name}”的有效认定记录；如原认定已期满未复审，应按首次申请受理`);
  }

  for (const c of open.filter((o) => o.code === code)) {
    problems.push({ code: 'open-case', field: 'diseaseCode', message: `该参保人“${ref.name}”的申请（${c.receivedOn} 受理）尚未办结，不能重复受理` });
  }

  const conflicts = checkExclusions(pack, held.map((h) => h.code), code, { waive: application.waive ?? [] });
  for (const c of conflicts) {
    const hint = c.exception ? `；如属“${c.exception.label}”（来源：${c.exception.source}），请勾选确认后受理` : '';
    problems.push({ code: 'exclusion', field: 'diseaseCode', message: `已认定的“${c.held.name}”与申请的“${c.applied.name}”互斥，不能同时享受待遇（来源：${c.source}）${hint}` });
  }
  // An open application for an exclusive disease is not a refusal (either may be rejected), but the desk should know.
  for (const o of open.filter((x) => x.code !== code)) {
    for (const c of checkExclusions(pack, [o.code], code, { waive: application.waive ?? [] })) {
      warnings.push(`在办的“${c.held.name}”申请与“${c.applied.name}”互斥（来源：${c.source}），两者不能同时认定`);
    }
  }

  if (isHandledAtOnce(pack, code)) {
    const source = pack.process.handledAtOnce ? sourceLabel(pack.process.handledAtOnce.source) : pack.id;
    warnings.push(`“${ref.name}”诊断明确、易于鉴定，应随时受理、及时办结（来源：${source}）`);
  }
  return { problems, warnings, held, open, conflicts };
}

/** Materials as the desk describes them: allowed file types, dated no later than receipt, within the pack's total size (002: 15 MB). */
export function checkIntakeMaterials(pack: PolicyPack, materials: readonly IntakeMaterialInput[], receivedOn: string): IntakeProblem[] {
  const problems: IntakeProblem[] = [];
  const add = (message: string) => problems.push({ code: 'materials', field: 'materials', message });
  for (const m of materials) {
    if (!(INTAKE_MIME_TYPES as readonly string[]).includes(m.mime)) add(`“${m.fileName}”不是 PDF、JPEG 或 PNG 文件`);
    if (m.size <= 0) add(`“${m.fileName}”是空文件`);
    if (m.documentDate !== null && !isIsoDate(m.documentDate)) add(`“${m.fileName}”的文件日期无效`);
    else if (m.documentDate !== null && m.documentDate > receivedOn) add(`“${m.fileName}”的文件日期 ${m.documentDate} 晚于受理日期 ${receivedOn}`);
  }
  const limit = pack.materials.maxTotalBytes;
  const total = materials.reduce((sum, m) => sum + m.size, 0);
  if (limit && total > limit.value) {
    const mb = (n: number) => `${(Math.ceil((n / 1024 / 1024) * 10) / 10).toFixed(1)} MB`;
    add(`材料合计 ${mb(total)}，超过 ${mb(limit.value)} 的上限（来源：${sourceLabel(limit.source)}）`);
  }
  return problems;
}

export type IntakeBuild =
  | { ok: true; caseRow: CaseRow; warnings: string[] }
  | { ok: false; problems: IntakeProblem[] };

/**
 * Checks an application and builds its case, exactly as the demo generator does: the disease's
 * name from the pack, the completion limit's last day from the 受理 date (002/004: 20 working
 * days), status 'in-review' with no stage yet — the caller offers the first stage at once.
 */
export function buildIntakeCase(
  ctx: { pack: PolicyPack; calendar: Calendar },
  input: IntakeInput,
  person: InsuredPerson,
  history: ApplicantHistory,
  at: { id: string; now: Date },
): IntakeBuild {
  const today = chinaDateOf(at.now);
  const receivedOn = input.receivedOn ?? today;
  if (!isIsoDate(receivedOn)) return { ok: false, problems: [{ code: 'received-on', field: 'receivedOn', message: '受理日期无效' }] };
  if (receivedOn > today) return { ok: false, problems: [{ code: 'received-on', field: 'receivedOn', message: `受理日期 ${receivedOn} 晚于今天` }] };
  const assessment = assessIntake(ctx.pack, history, { diseaseCode: input.diseaseCode, kind: input.kind, receivedOn, waive: input.waive });
  const problems = [...assessment.problems, ...checkIntakeMaterials(ctx.pack, input.materials ?? [], receivedOn)];
  if (problems.length > 0) return { ok: false, problems };

  const ref = findDisease(ctx.pack, input.diseaseCode)!;
  const due = completionDue(ctx.pack, ctx.calendar, receivedOn);
  const now = at.now.toISOString();
  const caseRow: CaseRow = {
    id: at.id,
    personId: person.id,
    personName: person.name,
    certNo: person.certNo,
    psnNo: person.psnNo ?? '',
    insutype: person.insutype,
    regionCode: person.regionCode,
    diseaseCode: ref.code,
    diseaseName: ref.name,
    kind: input.kind,
    channel: 'assisted',
    submittedAt: now,
    receivedOn,
    status: 'in-review',
    stage: null,
    stageLabel: '',
    tieBreak: false,
    ...dueFields(due),
    paused: [],
    result: null,
    decidedAt: null,
    updatedAt: now,
  };
  const checked = caseSchema.safeParse(caseRow);
  if (!checked.success) return { ok: false, problems: [{ code: 'person', field: 'person', message: `无法生成案件：${checked.error.issues.map((i) => i.path.join('.')).join('、')} 不符合要求` }] };
  const reason = dueReason(due);
  const warnings = [...assessment.warnings, ...(reason ? [reason] : [])];
  return { ok: true, caseRow: checked.data, warnings };
}
