/**
 * Who may certify (000 二（二）): a registered 执业医师 with 医保支付资格, a high enough title for
 * the institution's level or the disease, in a matching department; at most 2 per department.
 */
import { findDisease } from './diseases';
import type { IsoDate } from '../time';
import {
  LEVEL_LABELS,
  TITLE_LABELS,
  TITLE_ORDER,
  type InstitutionKind,
  type InstitutionLevel,
  type PolicyPack,
  type TitleRank,
} from './schema';
import { sourceLabel, type SourceRef } from './source';

export interface InstitutionFacts {
  code?: string;
  name?: string;
  level: InstitutionLevel;
  kind: InstitutionKind;
  /** Rights granted per disease code (003); absent when the region does not grant per disease. */
  rights?: Readonly<Record<string, { certify: boolean; treat: boolean }>>;
}

/** One entry of the certifying-physician registry; history is kept, never deleted (000). */
export interface RegistryRecord {
  physicianId: string;
  institutionCode: string;
  department: string;
  registeredOn: IsoDate;
  expiresOn: IsoDate | null;
  invalidOn: IsoDate | null;
  invalidReason?: string;
}

export interface PhysicianFacts {
  id: string;
  name: string;
  /** 执业医师 or 执业助理医师. */
  licence: 'physician' | 'assistant';
  title: TitleRank;
  department: string;
  practiceScopes: readonly string[];
  /** Periods holding 医保支付资格 (医保医师代码); `to` null while open. */
  paymentQualifications: readonly { code?: string; from: IsoDate; to: IsoDate | null }[];
  registry: readonly RegistryRecord[];
}

export type PhysicianIssueCode =
  | 'unknown-disease'
  | 'assistant-physician'
  | 'no-payment-qualification'
  | 'title-too-low'
  | 'department-mismatch'
  | 'scope-mismatch'
  | 'not-registered'
  | 'registry-expired'
  | 'registry-invalid'
  | 'institution-not-eligible'
  | 'institution-no-right';

export interface PhysicianIssue {
  code: PhysicianIssueCode;
  message: string;
  source: string;
}

const rank = (t: TitleRank): number => TITLE_ORDER.indexOf(t);

export const isActiveOn = (r: RegistryRecord, date: IsoDate): boolean =>
  r.registeredOn <= date && (r.expiresOn === null || date <= r.expiresOn) && (r.invalidOn === null || date < r.invalidOn);

function registryIssue(physician: PhysicianFacts, institution: InstitutionFacts, onDate: IsoDate, src: SourceRef): PhysicianIssue | null {
  const source = sourceLabel(src);
  const records = physician.registry.filter((r) => institution.code === undefined || r.institutionCode === institution.code);
  if (records.some((r) => isActiveOn(r, onDate))) return null;
  const invalid = records.find((r) => r.invalidOn !== null && r.invalidOn <= onDate);
  if (invalid) {
    const why = invalid.invalidReason ? `（${invalid.invalidReason}）` : '';
    return { code: 'registry-invalid', message: `认定医师备案已于 ${invalid.invalidOn} 失效${why}`, source };
  }
  const lastExpiry = records
    .map((r) => r.expiresOn)
    .filter((d): d is IsoDate => d !== null && d < onDate)
    .sort()
    .at(-1);
  if (lastExpiry) return { code: 'registry-expired', message: `认定医师备案已于 ${lastExpiry} 过期`, source };
  return { code: 'not-registered', message: '未在本机构认定医师库备案', source };
}

/**
 * Every reason the physician may not certify the disease at the institution on the date;
 * empty when they may.
 */
export function checkPhysician(
  pack: PolicyPack,
  physician: PhysicianFacts,
  institution: InstitutionFacts,
  diseaseCode: string,
  onDate: IsoDate,
): PhysicianIssue[] {
  const ref = findDisease(pack, diseaseCode);
  if (!ref) return [{ code: 'unknown-disease', message: `病种代码 ${diseaseCode} 不在本地区目录中`, source: pack.id }];
  const { disease } = ref;
  const rules = pack.physicians;
  const issues: PhysicianIssue[] = [];
  const add = (code: PhysicianIssueCode, message: string, src: SourceRef) => issues.push({ code, message, source: sourceLabel(src) });

  if (rules.excludeAssistants.value && physician.licence === 'assistant') {
    add('assistant-physician', '执业助理医师不能担任认定医师', rules.excludeAssistants.source);
  }
  if (rules.paymentQualificationRequired.value) {
    const held = physician.paymentQualifications.some((q) => q.from <= onDate && (q.to === null || onDate <= q.to));
    if (!held) add('no-payment-qualification', `${onDate} 不具备医保支付资格`, rules.paymentQualificationRequired.source);
  }

  const rule = disease.minTitle ?? (institution.kind === 'grassroots' ? rules.minTitleGrassroots : rules.minTitle);
  if (rank(physician.title) < rank(rule.value)) {
    const why = disease.minTitle ? `认定“${ref.name}”` : institution.kind === 'grassroots' ? '基层医疗机构认定' : `${LEVEL_LABELS[institution.level]}医疗机构认定`;
    add('title-too-low', `职称为${TITLE_LABELS[physician.title]}，${why}须${TITLE_LABELS[rule.value]}及以上`, rule.source);
  }

  if (rules.departmentMustMatch.value) {
    const dept = physician.department.trim();
    if (!disease.departments.value.includes(dept)) {
      add('department-mismatch', `科室“${dept}”与病种“${ref.name}”不相符（应为：${disease.departments.value.join('、')}）`, disease.departments.source);
    }
    const scopes = disease.practiceScopes;
    if (scopes && scopes.value.length > 0 && !physician.practiceScopes.some((s) => scopes.value.includes(s))) {
      add('scope-mismatch', `执业范围与病种“${ref.name}”不相符（应为：${scopes.value.join('、')}）`, scopes.source);
    }
  }

  const reg = registryIssue(physician, institution, onDate, rules.registryKeepsHistory.source);
  if (reg) issues.push(reg);

  const inst = pack.institutions?.certify[disease.category];
  if (inst && !inst.levels.includes(institution.level) && !inst.kinds.includes(institution.kind)) {
    const what = disease.category === 'special' ? '门诊特病' : '门诊慢病';
    add('institution-not-eligible', `本机构（${LEVEL_LABELS[institution.level]}）不在${what}认定机构范围内`, inst.source);
  }
  if (institution.rights) {
    const right = institution.rights[diseaseCode] ?? institution.rights[disease.code];
    if (!right?.certify) add('institution-no-right', `本机构未取得“${ref.name}”的认定资格`, pack.institutionQualification?.certifyImpliesTreat.source ?? disease.source);
  }
  return issues;
}

export type DepartmentQuota = {
  department: string;
  limit: number | null;
  /** Distinct physicians with an active registry record on the date. */
  physicianIds: string[];
  count: number;
  /** ok: room left; full: at the limit; over: beyond it (000 says "一般不超过", so a warning). */
  status: 'ok' | 'full' | 'over' | 'unlimited';
  message: string;
  source: string;
};

/** How many certifying physicians a department has on a date against the pack's limit. */
export function checkDepartmentQuota(
  pack: PolicyPack,
  registry: readonly RegistryRecord[],
  institution: InstitutionFacts,
  department: string,
  onDate: IsoDate,
): DepartmentQuota {
  const rule = pack.physicians.maxPerDepartment;
  const dept = department.trim();
  const ids = [
    ...new Set(
      registry
        .filter((r) => (institution.code === undefined || r.institutionCode === institution.code) && r.department.trim() === dept)
        .filter((r) => isActiveOn(r, onDate))
        .map((r) => r.physicianId),
    ),
  ];
  const base = { department: dept, limit: rule.value, physicianIds: ids, count: ids.length, source: sourceLabel(rule.source) };
  if (rule.value === null) return { ...base, status: 'unlimited', message: `${dept}现有认定医师 ${ids.length} 名，本地区未限定人数` };
  if (ids.length < rule.value) return { ...base, status: 'ok', message: `${dept}现有认定医师 ${ids.length} 名，还可备案 ${rule.value - ids.length} 名` };
  if (ids.length === rule.value) return { ...base, status: 'full', message: `${dept}已有 ${ids.length} 名认定医师，达到每科室 ${rule.value} 名的上限` };
  return { ...base, status: 'over', message: `${dept}有 ${ids.length} 名认定医师，超过每科室一般不超过 ${rule.value} 名的规定` };
}
