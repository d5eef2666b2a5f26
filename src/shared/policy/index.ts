/**
 * The policy engine's one entry point: pack parsing and every certification rule. Pure: data
 * in, answers out; no clock and no I/O (dates come in as YYYY-MM-DD, datetimes as ISO strings).
 * The behaviour of each function is documented in the README (section "Rules").
 */

// Packs
export { parsePolicyPack, policyPackSchema, type ParseResult } from './parse';
export {
  PACK_FORMAT,
  TITLE_LABELS,
  TITLE_ORDER,
  LEVEL_LABELS,
  KIND_LABELS,
  type PolicyPack,
  type PolicyPackInput,
  type Disease,
  type DiseaseCategory,
  type ExclusionRule,
  type InstitutionRule,
  type StackingRule,
  type Stage,
  type TitleRank,
  type InstitutionLevel,
  type InstitutionKind,
} from './schema';
export { knownCodes } from './pack-checks';
export { findDisease, diseaseName, type DiseaseRef } from './diseases';
export {
  describeSource,
  sourceLabel,
  isExample,
  type SourceRef,
  type DocSource,
  type ExampleSource,
  type SourceDocument,
  type Sourced,
} from './source';

// Rules
export { checkExclusions, type ExclusionConflict, type ExclusionOptions } from './exclusions';
export {
  checkPhysician,
  checkDepartmentQuota,
  isActiveOn,
  type PhysicianFacts,
  type InstitutionFacts,
  type RegistryRecord,
  type PhysicianIssue,
  type PhysicianIssueCode,
  type DepartmentQuota,
} from './physician';
export { checkMaterials, type ApplicationFacts, type MaterialFacts, type MaterialIssue, type MaterialIssueCode } from './materials';
export { stackBenefitLimits, adjustedReimbursement, type StackedLimit, type TreatmentSituation } from './benefits';
export {
  reviewOutcome,
  acceptanceDeadline,
  refusalStreak,
  completionDeadline,
  isHandledAtOnce,
  type Verdict,
  type ReviewDecision,
  type ReviewResult,
  type ReviewOutcome,
  type AssignmentEvent,
} from './review';
export {
  reReviewDue,
  inactivityFlag,
  type CertificationFacts,
  type ReReviewDue,
  type ReReviewState,
  type InactivityFlag,
} from './rereview';
export {
  qualificationRights,
  qualificationDeadlines,
  publicationDeadline,
  type RightsRequest,
  type GrantedRights,
  type QualificationDeadlines,
} from './qualification';
export { validateCertNo, checkChar, type CertNoResult } from './cert-no';

// Calendar and working days
export {
  CALENDAR_FORMAT,
  calendarFileSchema,
  parseCalendarFile,
  buildCalendar,
  loadCalendar,
  coveredYears,
  dayInfo,
  type Calendar,
  type CalendarFile,
  type CalendarYear,
  type CalendarError,
  type DayInfo,
  type DayKind,
} from './calendar';
export {
  addWorkingDays,
  workingDaysBetween,
  isWorkingDay,
  type DateInterval,
  type WorkingDayOptions,
  type WorkingDateResult,
  type WorkingCountResult,
} from './working-days';
export { isIsoDate, addDays, addMonths, termEnd, monthsBetween, type IsoDate } from '../time';

/** Pack files shipped in resources/policy/, the first being the default. */
export const BUNDLED_PACKS = [
  'shanxi-2025.json',
  'kaifeng-2023.json',
  'jilin-2025.json',
  'wuhu-2025.json',
  'mente-qualification-54.json',
] as const;

/** Years whose calendar ships in resources/calendars/ (generated from chinese-days); later years are imported. */
export const BUNDLED_CALENDAR_YEARS = { from: 2004, to: 2026 } as const;
