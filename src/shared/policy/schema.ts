/**
 * The policy pack: one region's diseases, exclusions, process, limits and benefits as data
 * (style.md principle 9). Cross-references (codes, document ids) are checked in pack-checks.ts.
 */
import { z } from 'zod';
import { isIsoDate } from './dates';
import { sourceDocumentSchema, sourceRefSchema, sourced } from './source';

export const PACK_FORMAT = 'opsp-policy-pack/1';

export const isoDateSchema = z.string().refine(isIsoDate, { message: '日期须为有效的 YYYY-MM-DD' });
/** National outpatient chronic/special disease code (1309 catalogue). */
export const diseaseCodeSchema = z.string().regex(/^M\d{5}$/, { message: '病种代码须为 M 加 5 位数字' });

export const titleRankSchema = z.enum(['junior', 'intermediate', 'associate-senior', 'senior']);
export type TitleRank = z.infer<typeof titleRankSchema>;
export const TITLE_ORDER: readonly TitleRank[] = ['junior', 'intermediate', 'associate-senior', 'senior'];
export const TITLE_LABELS: Record<TitleRank, string> = {
  junior: '初级',
  intermediate: '中级',
  'associate-senior': '副高级',
  senior: '正高级',
};

export const institutionLevelSchema = z.enum(['ungraded', 'level-1', 'level-2', 'level-3']);
export type InstitutionLevel = z.infer<typeof institutionLevelSchema>;
export const LEVEL_LABELS: Record<InstitutionLevel, string> = {
  ungraded: '未定级',
  'level-1': '一级',
  'level-2': '二级',
  'level-3': '三级',
};
/** general hospital, specialist hospital (any level), or 乡镇卫生院 / 社区卫生服务中心. */
export const institutionKindSchema = z.enum(['general', 'specialist', 'grassroots']);
export type InstitutionKind = z.infer<typeof institutionKindSchema>;

export const categorySchema = z.enum(['special', 'chronic']);
export type DiseaseCategory = z.infer<typeof categorySchema>;

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

const institutionRuleSchema = z.strictObject({
  levels: z.array(institutionLevelSchema),
  /** Kinds allowed at any level (specialist hospitals, grassroots centres). */
  kinds: z.array(institutionKindSchema).default([]),
  byExceptionLevels: z.array(institutionLevelSchema).default([]),
  source: sourceRefSchema,
});
export type InstitutionRule = z.infer<typeof institutionRuleSchema>;

const institutionsSchema = z.strictObject({
  certify: z.strictObject({ chronic: institutionRuleSchema, special: institutionRuleSchema }),
  treat: z.strictObject({ chronic: institutionRuleSchema, special: institutionRuleSchema }),
});

const physiciansSchema = z.strictObject({
  excludeAssistants: sourced(z.boolean()),
  paymentQualificationRequired: sourced(z.boolean()),
  minTitle: sourced(titleRankSchema),
  minTitleGrassroots: sourced(titleRankSchema),
  departmentMustMatch: sourced(z.boolean()),
  maxPerDepartment: sourced(z.number().int().positive().nullable()),
  registryKeepsHistory: sourced(z.boolean()),
});

export const reviewerRoleSchema = z.enum(['expert', 'physician', 'office', 'agency']);

export const stageSchema = z.strictObject({
  id: z.string().min(1),
  label: z.string().min(1),
  role: reviewerRoleSchema,
  reviewers: z.number().int().min(1).max(3),
  /** When the reviewers disagree, this many more decide (002: a third final reviewer). */
  tieBreak: z.strictObject({ label: z.string().min(1), reviewers: z.literal(1) }).nullable().default(null),
  source: sourceRefSchema,
});
export type Stage = z.infer<typeof stageSchema>;

const processSchema = z.strictObject({
  /** random: experts drawn at random (002); chain: fixed steps, e.g. physician then 医保办 (000). */
  kind: z.enum(['random', 'chain']),
  flow: sourced(z.array(z.string().min(1))),
  stages: z.array(stageSchema).min(1),
  acceptanceWindowHours: sourced(z.number().positive()).nullable(),
  refusalLimit: sourced(z.number().int().positive()).nullable(),
  completionLimitWorkingDays: sourced(z.number().int().positive()).nullable(),
  handledAtOnce: z.strictObject({ codes: z.array(diseaseCodeSchema), source: sourceRefSchema }).nullable(),
  oneTimeNotice: sourced(z.boolean()),
  resultNotice: sourced(z.string().min(1)).nullable(),
  costsBeforeCertificationPaid: sourced(z.boolean()).nullable(),
  samplingShareQuarterly: sourced(z.number().min(0).max(1)).nullable(),
  expertLossShareThreshold: sourced(z.number().min(0).max(1)).nullable(),
});

const materialsSchema = z.strictObject({
  identityRequired: sourced(z.boolean()),
  maxTotalBytes: sourced(z.number().int().positive()).nullable(),
  recordWindowMonths: z
    .strictObject({
      inpatient: sourced(z.number().int().positive()),
      outpatient: sourced(z.number().int().positive()),
    })
    .nullable(),
  onePerDisease: sourced(z.boolean()),
  stampRequired: sourced(z.boolean()),
  offSiteForm: sourced(z.boolean()),
});

const recognitionSchema = z.strictObject({
  mark: sourced(z.string().min(1)),
  scope: sourced(z.array(z.string().min(1))),
  validity: z.array(
    z.strictObject({
      id: z.string().min(1),
      item: z.string().min(1),
      days: z.number().int().positive(),
      source: sourceRefSchema,
    }),
  ),
  repeatReasons: z.array(
    z.strictObject({
      code: z.string().regex(/^[a-z][a-z0-9-]*$/, { message: '理由代码须为小写字母、数字和连字符' }),
      label: z.string().min(1),
      scope: z.enum(['national', 'provincial']),
      source: sourceRefSchema,
    }),
  ),
});

export const stackingSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    /** 004: specials pooled under the annual cap; chronic: highest in full, N more at a share. */
    kind: z.literal('highest-plus-shares'),
    extraCount: z.number().int().min(0),
    extraShare: z.number().min(0).max(1),
    source: sourceRefSchema,
  }),
  z.strictObject({ kind: z.literal('each-own-limit'), source: sourceRefSchema }),
]);
export type StackingRule = z.infer<typeof stackingSchema>;

const benefitsSchema = z.strictObject({
  reimbursementRatio: sourced(z.number().min(0).max(1).nullable()),
  deductible: sourced(z.number().nonnegative().nullable()),
  chronicLimitPeriod: sourced(z.enum(['month', 'quarter', 'year'])),
  /** Specials under the fund's annual maximum (004) or with a limit of their own. */
  specialLimit: sourced(z.enum(['annual-fund-cap', 'own-limit'])),
  annualFundCap: sourced(z.number().nonnegative().nullable()),
  stacking: stackingSchema,
  designatedHospital: z
    .strictObject({
      /** all: every certified disease is treated at one chosen hospital; listed: only `codes`. */
      scope: z.enum(['all', 'listed']),
      codes: z.array(diseaseCodeSchema),
      changesPerYear: sourced(z.number().int().min(0)),
      penaltyPointsOffDesignated: sourced(z.number().int().min(0)).nullable(),
      penaltyCodes: z.array(diseaseCodeSchema).default([]),
    })
    .nullable(),
  longPrescriptionMaxDays: sourced(z.number().int().positive()).nullable(),
  existingCertificationsContinue: sourced(z.boolean()).nullable(),
});

const reReviewSchema = z.strictObject({
  applyBeforeTermEnd: sourced(z.boolean()),
  benefitsContinueDuringReview: sourced(z.boolean()),
  /** How many days before the term ends the workstation starts reminding. */
  reminderDaysBefore: sourced(z.number().int().min(0)),
  portableInProvince: sourced(z.boolean()).nullable(),
  inactivity: z
    .strictObject({
      months: z.number().int().positive(),
      screeningMonth: z.number().int().min(1).max(12),
      source: sourceRefSchema,
    })
    .nullable(),
});

const offSiteSchema = z.strictObject({
  longTermResidentsFollowInsuredPlace: sourced(z.boolean()).nullable(),
  adjustments: z.array(
    z.strictObject({
      scope: z.enum(['in-province', 'cross-province']),
      referral: z.boolean(),
      /** Percentage points taken off the reimbursement ratio. */
      points: z.number().int().min(0).max(100),
      source: sourceRefSchema,
    }),
  ),
});

const qualificationSchema = z.strictObject({
  receiptImmediate: sourced(z.boolean()),
  completionNoticeWorkingDays: sourced(z.number().int().positive()),
  reviewWorkingDays: sourced(z.number().int().positive()),
  evaluationWorkingDays: sourced(z.number().int().positive()),
  supplementTimeExcluded: sourced(z.boolean()),
  publicationWorkingDays: sourced(z.number().int().positive()),
  changeReportWorkingDays: sourced(z.number().int().positive()),
  certifyImpliesTreat: sourced(z.boolean()),
});

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
