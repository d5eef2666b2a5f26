/** The policy pack's sections other than diseases and exclusions. */
import { z } from 'zod';
import { sourceRefSchema, sourced } from './source';
import { diseaseCodeSchema, institutionKindSchema, institutionLevelSchema, titleRankSchema } from './vocabulary';

export const institutionRuleSchema = z.strictObject({
  levels: z.array(institutionLevelSchema),
  /** Kinds allowed at any level (specialist hospitals, grassroots centres). */
  kinds: z.array(institutionKindSchema).default([]),
  byExceptionLevels: z.array(institutionLevelSchema).default([]),
  source: sourceRefSchema,
});
export type InstitutionRule = z.infer<typeof institutionRuleSchema>;

export const institutionsSchema = z.strictObject({
  certify: z.strictObject({ chronic: institutionRuleSchema, special: institutionRuleSchema }),
  treat: z.strictObject({ chronic: institutionRuleSchema, special: institutionRuleSchema }),
});

export const physiciansSchema = z.strictObject({
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

export const processSchema = z.strictObject({
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

export const materialsSchema = z.strictObject({
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

export const recognitionSchema = z.strictObject({
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

export const benefitsSchema = z.strictObject({
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

export const reReviewSchema = z.strictObject({
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

export const offSiteSchema = z.strictObject({
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

export const qualificationSchema = z.strictObject({
  receiptImmediate: sourced(z.boolean()),
  completionNoticeWorkingDays: sourced(z.number().int().positive()),
  reviewWorkingDays: sourced(z.number().int().positive()),
  evaluationWorkingDays: sourced(z.number().int().positive()),
  supplementTimeExcluded: sourced(z.boolean()),
  publicationWorkingDays: sourced(z.number().int().positive()),
  changeReportWorkingDays: sourced(z.number().int().positive()),
  certifyImpliesTreat: sourced(z.boolean()),
});
