import { z } from 'zod';
import { isoDateString, isoInstantString } from './insured';

/** 初级/中级/副高/正高, the policy engine's TitleRank. */
export const titleRankSchema = z.enum(['junior', 'intermediate', 'associate-senior', 'senior']);

/** One registry record (认定医师库); expired and invalid records stay with their dates (000). */
export const registryRecordSchema = z.object({
  physicianId: z.string().min(1),
  institutionCode: z.string().min(1),
  department: z.string().min(1),
  registeredOn: isoDateString,
  expiresOn: isoDateString.nullable(),
  invalidOn: isoDateString.nullable(),
  invalidReason: z.string().optional(),
});
export type RegistryRecordRow = z.infer<typeof registryRecordSchema>;

/**
 * A certifying physician's registry profile, keyed by the user id of their workstation account
 * (role 'physician'). Its shape is the policy engine's `PhysicianFacts` plus the flags the review
 * process sets, so `checkPhysician` takes it as it is.
 */
export const physicianProfileSchema = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  /** 执业医师 or 执业助理医师 (000: assistants may not certify). */
  licence: z.enum(['physician', 'assistant']),
  title: titleRankSchema,
  department: z.string().min(1),
  practiceScopes: z.array(z.string().min(1)),
  /** 医保支付资格 periods; `code` is the 医保医师代码. */
  paymentQualifications: z.array(z.object({ code: z.string().optional(), from: isoDateString, to: isoDateString.nullable() })),
  registry: z.array(registryRecordSchema),
  /**
   * Set when the physician refused or let lapse the pack's limit of assignments in a row (002: 3);
   * the 医保办 then invalidates the registry record. Kept, never cleared silently.
   */
  flag: z
    .object({ kind: z.literal('refusal-limit'), at: isoInstantString, streak: z.number().int().positive(), message: z.string() })
    .nullable()
    .default(null),
  /**
   * Refusals and lapses before this time no longer count toward the refusal-limit streak: set
   * when the 医保办 clears a flag, so the next refusal does not flag the physician again at once.
   */
  streakFrom: isoInstantString.optional(),
  /**
   * Refusals and lapses in a row as the hospital server last counted them (over every desk's
   * offers): what a physician's desk warns with before the limit, since it holds only open work.
   */
  refusalStreak: z.number().int().min(0).optional(),
  updatedAt: isoInstantString,
});
export type PhysicianProfile = z.infer<typeof physicianProfileSchema>;
