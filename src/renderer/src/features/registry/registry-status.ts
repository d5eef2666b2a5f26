/**
 * What the 认定医师 panel shows per physician, derived from the profile and the policy engine:
 * the registry state at this hospital, the current 医保支付资格, and a cheap eligibility summary
 * (checkPhysician over the pack's diseases, no variants).
 */
import type { PhysicianProfile } from '../../../../shared/domain/physician';
import type { IsoDate } from '../../../../shared/time';
import { checkPhysician, type InstitutionFacts, type RegistryRecord } from '../../../../shared/policy/physician';
import type { PolicyPack } from '../../../../shared/policy/schema';

export const LICENCE_LABELS: Record<PhysicianProfile['licence'], string> = {
  physician: '执业医师',
  assistant: '执业助理医师',
};

export type RecordState = 'active' | 'pending' | 'expired' | 'invalid';

/** One record's state on a date; an invalidation dated later than today is still `active`. */
export function recordState(r: RegistryRecord, onDate: IsoDate): RecordState {
  if (r.invalidOn !== null && r.invalidOn <= onDate) return 'invalid';
  if (r.expiresOn !== null && r.expiresOn < onDate) return 'expired';
  if (r.registeredOn > onDate) return 'pending';
  return 'active';
}

export const RECORD_STATE_LABELS: Record<RecordState, { text: string; color: string }> = {
  active: { text: '在库', color: 'success' },
  pending: { text: '待生效', color: 'processing' },
  expired: { text: '已到期', color: 'warning' },
  invalid: { text: '已失效', color: 'error' },
};

export type RegistryStatus = { state: RecordState | 'none'; record: RegistryRecord | null; otherInstitutions: number };

/**
 * The physician's registry state at this hospital, the way checkPhysician reads it: any active
 * record wins; else an invalidation; else an expiry; else a record not yet in force; else 未登记.
 */
export function registryStatus(profile: Pick<PhysicianProfile, 'registry'>, institution: InstitutionFacts, onDate: IsoDate): RegistryStatus {
  const here = profile.registry.filter((r) => institution.code === undefined || r.institutionCode === institution.code);
  const otherInstitutions = profile.registry.length - here.length;
  const latest = (rs: RegistryRecord[]) => rs.reduce<RegistryRecord | null>((a, r) => (a === null || r.registeredOn >= a.registeredOn ? r : a), null);
  for (const state of ['active', 'invalid', 'expired', 'pending'] as const) {
    const record = latest(here.filter((r) => recordState(r, onDate) === state));
    if (record) return { state, record, otherInstitutions };
  }
  return { state: 'none', record: null, otherInstitutions };
}

/** Indexes of the records at the institution that are in force on the date (what a flag's 取消认定资格 ends). */
export { activeRecordIndexes } from '../../../../shared/cases/registry';

/** The 医保支付资格 period in force on the date, if any. */
export function currentQualification(profile: Pick<PhysicianProfile, 'paymentQualifications'>, onDate: IsoDate) {
  return profile.paymentQualifications.find((q) => q.from <= onDate && (q.to === null || onDate <= q.to)) ?? null;
}

export interface Eligibility {
  /** Diseases of the pack the physician may certify today. */
  eligible: string[];
  /** Why not, for the diseases of the physician's own department (deduplicated messages). */
  reasons: string[];
  /** The pack's diseases whose departments include the physician's. */
  relevant: number;
  /** Flagged by the refusal limit: never drawn until the 医保办 acts, whatever the checks say. */
  flagged: boolean;
}

/**
 * A per-physician summary of checkPhysician over the pack's diseases. Department mismatches are
 * left out of `reasons` (every physician mismatches most diseases); when nothing matches the
 * department at all, that is the reason.
 */
export function eligibilitySummary(pack: PolicyPack, profile: PhysicianProfile, institution: InstitutionFacts, onDate: IsoDate): Eligibility {
  const eligible: string[] = [];
  const reasons = new Set<string>();
  let relevant = 0;
  const dept = profile.department.trim();
  for (const disease of pack.diseases) {
    const issues = checkPhysician(pack, profile, institution, disease.code, onDate);
    if (issues.length === 0) eligible.push(disease.name);
    if (!disease.departments.value.includes(dept)) continue;
    relevant += 1;
    for (const issue of issues) reasons.add(issue.message);
  }
  if (relevant === 0 && eligible.length === 0) reasons.add(`科室“${dept}”不对应本政策包的任何病种`);
  return { eligible, reasons: [...reasons], relevant, flagged: profile.flag !== null };
}
