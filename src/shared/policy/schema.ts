/**
 * The policy pack: one region's diseases, exclusions, process, limits and benefits as data
 * (style.md principle 9). Cross-references (codes, document ids) are checked in pack-checks.ts.
 */
import { z } from 'zod';
import {
  benefitsSchema,
  institutionsSchema,
  materialsSchema,
  offSiteSchema,
  physiciansSchema,
  processSchema,
  qualificationSchema,
  recognitionSchema,
  reReviewSchema,
} from './sections';
import { sourceDocumentSchema, sourceRefSchema, sourced } from './source';
import { categorySchema, diseaseCodeSchema, isoDateSchema, titleRankSchema } from './vocabulary';

export * from './vocabulary';
export { stageSchema, stackingSchema, reviewerRoleSchema, type InstitutionRule, type Stage, type StackingRule } from './sections';

export const PACK_FORMAT = 'opsp-policy-pack/1';

const checklistItemSchema = z.strictObject({
  id: z.string().min(1),
  text: z.string().min(1),
  source: sourceRefSchema,
});

const variantSchema = z.strictObject({
  code: diseaseCodeSchema,
  codeVerified: z.boolean(),
  name: z.string().min(1),
  aliases: z.array(z.string().min(1)).default([]),
});

export const diseaseSchema = z.strictObject({
  id: z.string().min(1),
  code: diseaseCodeSchema,
  /** true only once checked against the region's 1309 catalogue download. */
  codeVerified: z.boolean(),
  name: z.string().min(1),
  category: categorySchema,
  aliases: z.array(z.string().min(1)).default([]),
  /** Sub-entries filed under their own code, e.g. 器官移植抗排异治疗（肾移植）. */
  variants: z.array(variantSchema).default([]),
  /** Months until re-review is due; null when the region sets no term. */
  reReviewTermMonths: sourced(z.number().int().positive().nullable()),
  /** Overrides the pack's physician title rule for this disease (000: some diseases allow 初级). */
  minTitle: sourced(titleRankSchema).nullable().default(null),
  departments: sourced(z.array(z.string().min(1)).min(1)),
  /** 执业范围 that match the disease; empty means not checked. */
  practiceScopes: sourced(z.array(z.string().min(1))).nullable().default(null),
  requiredMaterials: z.array(checklistItemSchema).default([]),
  criteria: z.array(checklistItemSchema).default([]),
  /** 003: which rights a hospital may apply for on the qualification form. */
  rights: z.strictObject({ certify: z.boolean(), treat: z.boolean() }).nullable().default(null),
  /** Benefit limit per period (chronic: quarterly in 004); amount null when unknown. */
  benefitLimit: sourced(z.number().nonnegative().nullable()).nullable().default(null),
  source: sourceRefSchema,
});
export type Disease = z.infer<typeof diseaseSchema>;

export const exclusionRuleSchema = z.strictObject({
  id: z.string().min(1),
  /** Any two members of the group cannot be held together. */
  members: z.array(diseaseCodeSchema).min(2),
  exceptions: z
    .array(
      z.strictObject({
        id: z.string().min(1),
        label: z.string().min(1),
        /** The exception waives only pairs that involve one of these codes. */
        appliesTo: z.array(diseaseCodeSchema).min(1),
        source: sourceRefSchema,
      }),
    )
    .default([]),
  source: sourceRefSchema,
});
export type ExclusionRule = z.infer<typeof exclusionRuleSchema>;

export const policyPackBaseSchema = z.strictObject({
  format: z.literal(PACK_FORMAT),
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: '包标识须为小写 kebab-case' }),
  title: z.string().min(1),
  region: z.strictObject({
    code: z.string().regex(/^\d{6}$/, { message: '医保区划须为 6 位数字' }).nullable(),
    name: z.string().min(1),
    source: sourceRefSchema,
  }),
  version: z.string().min(1),
  /** `from` null when the document gives no date (003). */
  effective: z.strictObject({ from: isoDateSchema.nullable(), to: isoDateSchema.nullable(), source: sourceRefSchema }),
  notes: z.array(z.string().min(1)).default([]),
  sources: z.array(sourceDocumentSchema).min(1),
  diseases: z.array(diseaseSchema).min(1),
  exclusions: z.array(exclusionRuleSchema),
  institutions: institutionsSchema.nullable(),
  physicians: physiciansSchema,
  process: processSchema,
  materials: materialsSchema,
  recognition: recognitionSchema,
  benefits: benefitsSchema,
  reReview: reReviewSchema,
  offSite: offSiteSchema.nullable(),
  institutionQualification: qualificationSchema.nullable(),
});

export type PolicyPack = z.infer<typeof policyPackBaseSchema>;
export type PolicyPackInput = z.input<typeof policyPackBaseSchema>;
