/**
 * Re-review (复审): due before the term ends; benefits continue while it is pending and stop at
 * the term's end when it was not applied for (000). Inactivity screening: each March, 24 months
 * of benefits without related cost sends a person to re-review (001).
 */
import { addDays, isIsoDate, maxDate, monthsBetween, formatIsoDate, termEnd, yearOf, type IsoDate } from '../time';
import { findDisease } from './diseases';
import type { PolicyPack } from './schema';
import { sourceLabel } from './source';

export interface CertificationFacts {
  diseaseCode: string;
  /** First day of benefits (2503 begndate). */
  validFrom: IsoDate;
  /** Last day as filed (enddate); when absent it follows from the disease's term. */
  validTo?: IsoDate | null;
  /** When re-review was applied for, if it was. */
  reReviewAppliedOn?: IsoDate | null;
}

export type ReReviewState = 'not-due' | 'due-soon' | 'applied' | 'lapsed';

export type ReReviewDue =
  | { kind: 'unknown-disease'; message: string }
  | { kind: 'no-term'; message: string; source: string }
  | {
      kind: 'term';
      /** Last day of the term; re-review must be applied for by then. */
      endsOn: IsoDate;
      remindFrom: IsoDate;
      /** Without a timely application, benefits stop after endsOn. */
      benefitsContinue: boolean;
      /** Only with onDate. */
      state: ReReviewState | null;
      message: string;
      source: string;
    };

/** When re-review falls due for a certification, and (with `onDate`) where it stands. */
export function reReviewDue(pack: PolicyPack, certification: CertificationFacts, onDate?: IsoDate): ReReviewDue {
  const ref = findDisease(pack, certification.diseaseCode);
  if (!ref) return { kind: 'unknown-disease', message: `病种代码 ${certification.diseaseCode} 不在本地区目录中` };
  const term = ref.disease.reReviewTermMonths;
  const rules = pack.reReview;
  const filedEnd = certification.validTo ?? null;
  if (term.value === null && filedEnd === null) {
    return { kind: 'no-term', message: `${ref.name}未设复审期限`, source: sourceLabel(term.source) };
  }
  const endsOn = filedEnd ?? termEnd(certification.validFrom, term.value!);
  const source = sourceLabel(filedEnd ? rules.applyBeforeTermEnd.source : term.source);
  const remindFrom = addDays(endsOn, -rules.reminderDaysBefore.value);
  const applied = certification.reReviewAppliedOn ?? null;
  const appliedInTime = applied !== null && applied <= endsOn;
  const continues = appliedInTime && rules.benefitsContinueDuringReview.value;

  let state: ReReviewState | null = null;
  let message = `${ref.name}复审期限至 ${endsOn}，须在此前申请复审`;
  if (onDate !== undefined) {
    if (appliedInTime) {
      state = 'applied';
      message = continues ? `${ref.name}已于 ${applied} 申请复审，复审期间继续享受待遇` : `${ref.name}已于 ${applied} 申请复审`;
    } else if (onDate > endsOn) {
      state = 'lapsed';
      message = `${ref.name}未在 ${endsOn} 前申请复审，待遇于期满后停止；再次申请按首次认定流程办理`;
    } else if (onDate >= remindFrom) {
      state = 'due-soon';
      message = `${ref.name}复审期限至 ${endsOn}，请尽快申请复审`;
    } else {
      state = 'not-due';
    }
  }
  return { kind: 'term', endsOn, remindFrom, benefitsContinue: continues, state, message, source };
}

export type InactivityFlag = {
  applicable: boolean;
  flagged: boolean;
  /** The latest screening on or before onDate (001: each March). */
  screeningDate: IsoDate | null;
  monthsWithoutCost: number | null;
  message: string;
  source: string | null;
};

/**
 * 001: whether the latest annual screening sends this certification to re-review because
 * no related cost arose for the rule's number of months. The screening is taken to run on
 * the 1st of the screening month.
 */
export function inactivityFlag(pack: PolicyPack, certification: CertificationFacts, lastRelatedCostDate: IsoDate | null, onDate: IsoDate): InactivityFlag {
  const rule = pack.reReview.inactivity;
  if (!rule) return { applicable: false, flagged: false, screeningDate: null, monthsWithoutCost: null, message: '本地区未规定无费用筛查', source: null };
  const source = sourceLabel(rule.source);
  const thisYear = formatIsoDate(yearOf(onDate), rule.screeningMonth, 1);
  const screening = onDate >= thisYear ? thisYear : formatIsoDate(yearOf(onDate) - 1, rule.screeningMonth, 1);
  if (screening < certification.validFrom) {
    return { applicable: true, flagged: false, screeningDate: null, monthsWithoutCost: null, message: '享受待遇以来尚未经过年度筛查', source };
  }
  const costBefore = lastRelatedCostDate !== null && isIsoDate(lastRelatedCostDate) && lastRelatedCostDate <= screening ? lastRelatedCostDate : null;
  const since = costBefore ? maxDate(costBefore, certification.validFrom) : certification.validFrom;
  const months = monthsBetween(since, screening);
  const flagged = months >= rule.months;
  const what = costBefore ? `自 ${costBefore} 最后一次相关费用起` : `自 ${certification.validFrom} 享受待遇起`;
  const message = flagged
    ? `${screening} 筛查：${what}已连续 ${months} 个月未产生相关医疗费用（≥ ${rule.months} 个月），纳入复审`
    : `${screening} 筛查：${what} ${months} 个月，未达 ${rule.months} 个月`;
  return { applicable: true, flagged, screeningDate: screening, monthsWithoutCost: months, message, source };
}
