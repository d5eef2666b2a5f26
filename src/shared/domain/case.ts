import { z } from 'zod';
import { isoDateString, isoInstantString } from './insured';

/**
 * Where a case stands. `in-review`: at a physician/expert stage (its offers and acceptances are
 * work items); `office-review`: at a 医保办 stage (000's 院内复核); `supplementing`: the applicant
 * is completing materials and the completion clock is paused; `unassigned`: no eligible reviewer
 * could be drawn (a person must act); `decided`: final.
 */
export const caseStatuses = ['unassigned', 'in-review', 'office-review', 'supplementing', 'decided'] as const;
export const caseStatusSchema = z.enum(caseStatuses);
export type CaseStatus = z.infer<typeof caseStatusSchema>;

export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  unassigned: '待分配',
  'in-review': '审核中',
  'office-review': '医保办复核',
  supplementing: '补充材料中',
  decided: '已办结',
};

export const caseResultSchema = z.enum(['approved', 'rejected', 'materials-missing']);
export type CaseResult = z.infer<typeof caseResultSchema>;

/**
 * One application (申请) for one disease and its progress through the pack's process. The row
 * repeats the person's name and numbers so lists and the case file search one table; who holds
 * it now is in the work items (a 终审 stage has two reviewers at once), the history in the
 * assignments and reviews.
 */
export const caseSchema = z.object({
  id: z.string().min(1),
  /**
   * The number a person reads on the 受理 receipt (e.g. 2026-000123): given by the hospital server
   * from a counter per year when it takes the application; absent on a case not yet on the server.
   */
  caseNo: z.string().regex(/^\d{4}-\d{6,}$/).optional(),
  personId: z.string().min(1),
  personName: z.string().min(1),
  certNo: z.string().min(1),
  /** '' until the platform has given one: IndexedDB does not index null. */
  psnNo: z.string(),
  insutype: z.string(),
  regionCode: z.string(),
  diseaseCode: z.string().regex(/^M\d{5}$/),
  diseaseName: z.string().min(1),
  /** First application or 复审 (re-review before the term ends, 000). */
  kind: z.enum(['first', 're-review']),
  /** Taken by the 医保办 at the desk (assisted) or submitted online. */
  channel: z.enum(['assisted', 'online']),
  submittedAt: isoInstantString,
  /** 受理 date: the completion limit counts working days from here (004: ≤ 20). */
  receivedOn: isoDateString,
  status: caseStatusSchema,
  /** The pack stage id in progress (e.g. 'initial', 'final'); null once decided. */
  stage: z.string().nullable(),
  stageLabel: z.string(),
  /** The extra reviewer called in because a stage's reviewers disagreed (002: 第三位终审). */
  tieBreak: z.boolean(),
  /** Last day to complete (working days via the calendar, paused time excluded). */
  dueOn: isoDateString.nullable(),
  /**
   * The year whose holiday calendar the completion limit needs but the workstation lacks: the
   * deadline is not yet computable (dueOn null) until that year is imported. Rows stored before
   * this field existed read as null.
   */
  dueAwaits: z.number().int().nullable().default(null),
  /** dueOn was counted over a provisional calendar year and may move. */
  dueProvisional: z.boolean().default(false),
  /**
   * The end of dueOn as an instant, for sorting: the end of the earliest possible day while the
   * deadline awaits a calendar, NO_DEADLINE when decided or unlimited.
   */
  deadlineAt: isoInstantString,
  /** Supplement periods that do not count toward the completion limit (003 第八条). */
  paused: z.array(z.object({ from: isoDateString, to: isoDateString })),
  result: caseResultSchema.nullable(),
  decidedAt: isoInstantString.nullable(),
  updatedAt: isoInstantString,
});
export type CaseRow = z.infer<typeof caseSchema>;

/** Sorts after every real deadline (decided cases, no limit). */
export const NO_DEADLINE = '9999-12-31T23:59:59.999Z';
