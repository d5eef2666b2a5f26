/**
 * The policy engine's one entry point: pack parsing and every certification rule. Pure: data
 * in, answers out; no clock, no I/O (dates are passed in as YYYY-MM-DD).
 */
export { parsePolicyPack, policyPackSchema, type ParseResult } from './parse';
export { checkExclusions, type ExclusionConflict, type ExclusionOptions } from './exclusions';
export { findDisease, diseaseName, type DiseaseRef } from './diseases';
export { describeSource, sourceLabel, isExample, type SourceRef, type SourceDocument, type Sourced } from './source';
export {
  PACK_FORMAT,
  TITLE_LABELS,
  LEVEL_LABELS,
  type PolicyPack,
  type PolicyPackInput,
  type Disease,
  type DiseaseCategory,
  type ExclusionRule,
  type Stage,
  type TitleRank,
  type InstitutionLevel,
  type InstitutionKind,
} from './schema';

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
export { isIsoDate, addMonths, addDays, type IsoDate } from './dates';

/** Pack files shipped in resources/policy/, the first being the default. */
export const BUNDLED_PACKS = [
  'shanxi-2025.json',
  'kaifeng-2023.json',
  'jilin-2025.json',
  'wuhu-2025.json',
  'mente-qualification-54.json',
] as const;
