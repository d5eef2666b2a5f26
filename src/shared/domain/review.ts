import { z } from 'zod';
import { isoInstantString } from './insured';

/**
 * How the reviewer of an assignment was chosen. `random`: drawn with a seeded PRNG among the
 * candidates, so an auditor can replay the draw from `seed` and `candidates` alone (002);
 * `direct`: named by the 医保办 (a chain step, 000); `office`: the 医保办's own stage.
 */
export const drawRecordSchema = z.discriminatedUnion('mode', [
  z.object({
    mode: z.literal('random'),
    /** uint32 seed of the PRNG (mulberry32). */
    seed: z.number().int().min(0).max(0xffffffff),
    /** Eligible physician ids, sorted: the draw's input. */
    candidates: z.array(z.string().min(1)),
    /** Left out because they already reviewed or refused this case. */
    excluded: z.array(z.string().min(1)),
    /** Physicians of a matching department who failed `checkPhysician` that day, and why. */
    ineligible: z.array(z.object({ id: z.string(), codes: z.array(z.string()) })),
    chosen: z.array(z.string().min(1)),
  }),
  z.object({ mode: z.literal('direct'), by: z.string().min(1), chosen: z.array(z.string().min(1)) }),
  z.object({ mode: z.literal('office'), chosen: z.array(z.string().min(1)) }),
]);
export type DrawRecord = z.infer<typeof drawRecordSchema>;

export const assignmentStateSchema = z.enum(['offered', 'accepted', 'refused', 'lapsed', 'completed', 'withdrawn']);
export type AssignmentState = z.infer<typeof assignmentStateSchema>;

/** One offer of one case stage to one reviewer; never deleted, so refusals stay countable. */
export const assignmentSchema = z.object({
  id: z.string().min(1),
  caseId: z.string().min(1),
  stage: z.string().min(1),
  tieBreak: z.boolean(),
  reviewerId: z.string().min(1),
  draw: drawRecordSchema,
  offeredAt: isoInstantString,
  acceptBy: isoInstantString.nullable(),
  state: assignmentStateSchema,
  /** When it left `offered` (accepted, refused, lapsed) or `accepted` (completed). */
  acceptedAt: isoInstantString.nullable(),
  closedAt: isoInstantString.nullable(),
  refusalReason: z.string().nullable(),
  /** The assignment this one replaced after a refusal or lapse. */
  replaces: z.string().nullable(),
});
export type Assignment = z.infer<typeof assignmentSchema>;

/** A reviewer's conclusion (issue 6 point 5); immutable once written and chained in the audit. */
export const conclusionSchema = z.discriminatedUnion('verdict', [
  z.object({ verdict: z.literal('approve') }),
  z.object({ verdict: z.literal('reject'), reason: z.string().trim().min(1, '请填写不符合的理由') }),
  z.object({
    verdict: z.literal('materials-missing'),
    /** Ids of the pack's required-material items, for the one-time notice (一次性告知). */
    missingItems: z.array(z.string().min(1)).min(1, '请选择需补充的材料'),
    note: z.string().optional(),
  }),
]);
export type Conclusion = z.infer<typeof conclusionSchema>;

export const reviewSchema = z.object({
  id: z.string().min(1),
  caseId: z.string().min(1),
  assignmentId: z.string().min(1),
  stage: z.string().min(1),
  tieBreak: z.boolean(),
  reviewerId: z.string().min(1),
  reviewerName: z.string().min(1),
  conclusion: conclusionSchema,
  /** The admission-criteria checklist items the reviewer ticked. */
  criteriaMet: z.array(z.string()),
  at: isoInstantString,
  /**
   * When the reviewer concluded by their desk's clock, kept when the desk sent it later (it was
   * offline); `at` is when the server recorded it, the time that counts.
   */
  madeAt: isoInstantString.optional(),
  /** The audit entry that seals it. */
  auditSeq: z.number().int().nullable(),
});
export type Review = z.infer<typeof reviewSchema>;
