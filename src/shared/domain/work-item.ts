import { z } from 'zod';
import { isoDateString, isoInstantString } from './insured';

/** The 医保办's queue: work items of office stages carry this instead of a user id. */
export const OFFICE_ASSIGNEE = 'office';

/**
 * One open piece of work for one reviewer: an offered or accepted assignment with what the
 * worklist shows, copied from the case. Rows exist only while the assignment is open, so the
 * worklist's compound indexes (`[assigneeId+deadlineAt]`, `[assigneeId+stage+deadlineAt]`…)
 * never walk closed history, even with 100,000 cases stored.
 */
export const workItemSchema = z.object({
  /** The assignment's id. */
  id: z.string().min(1),
  caseId: z.string().min(1),
  personId: z.string().min(1),
  assigneeId: z.string().min(1),
  stage: z.string().min(1),
  stageLabel: z.string().min(1),
  tieBreak: z.boolean(),
  state: z.enum(['offered', 'accepted']),
  personName: z.string().min(1),
  certNo: z.string().min(1),
  psnNo: z.string(),
  diseaseCode: z.string(),
  diseaseName: z.string(),
  caseKind: z.enum(['first', 're-review']),
  offeredAt: isoInstantString,
  /** Acceptance deadline while offered (002: 48 h); null once accepted or when none applies. */
  acceptBy: isoInstantString.nullable(),
  receivedOn: isoDateString,
  dueOn: isoDateString.nullable(),
  /** As on the case (shared/domain/case.ts): the calendar year the deadline waits for. */
  dueAwaits: z.number().int().nullable().default(null),
  dueProvisional: z.boolean().default(false),
  paused: z.array(z.object({ from: isoDateString, to: isoDateString })),
  /** What the worklist sorts by: acceptBy while offered, else the end of dueOn. */
  deadlineAt: isoInstantString,
});
export type WorkItem = z.infer<typeof workItemSchema>;
export type WorkItemState = WorkItem['state'];
