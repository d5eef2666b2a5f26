import { z } from 'zod';
import { isoDateString, isoInstantString } from './insured';

/** 002: identity copy; one medical record per disease (with exam reports); off-site form. */
export const materialKindSchema = z.enum(['identity', 'medical-record', 'exam-report', 'treatment-record', 'off-site-form', 'other']);
export type MaterialKind = z.infer<typeof materialKindSchema>;

export const MATERIAL_KIND_LABELS: Record<MaterialKind, string> = {
  identity: '身份证或社保卡',
  'medical-record': '病历',
  'exam-report': '检查检验报告',
  'treatment-record': '特殊治疗或手术记录',
  'off-site-form': '异地长期居住备案表',
  other: '其他材料',
};

/**
 * A material's metadata. The bytes are a Blob in the attachments table (one row per SHA-256,
 * shared with the outbox's 9101 uploads), so this row stays small and the worklist never loads
 * a file.
 */
export const materialSchema = z.object({
  id: z.string().min(1),
  caseId: z.string().min(1),
  personId: z.string().min(1),
  kind: materialKindSchema,
  /** 002: inpatient record within 2 years or outpatient within 6 months. */
  recordType: z.enum(['inpatient', 'outpatient']).nullable(),
  title: z.string().min(1),
  sourceInstitution: z.string(),
  /** The date on the document (discharge, visit, report), checked against the pack's windows. */
  documentDate: isoDateString.nullable(),
  mime: z.enum(['application/pdf', 'image/png', 'image/jpeg']),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** attachments.id; null while only the metadata exists (demo rows without a generated file). */
  attachmentId: z.string().nullable(),
  stamped: z.boolean(),
  addedAt: isoInstantString,
});
export type Material = z.infer<typeof materialSchema>;

/**
 * One outside exam or lab result found in a material — what the 互认 log decides about
 * (domain.md §4). `validityId` links the pack's reference window when there is one.
 */
export const outsideResultSchema = z.object({
  id: z.string().min(1),
  caseId: z.string().min(1),
  materialId: z.string().nullable(),
  item: z.string().min(1),
  /** The item's code as the issuing institution prints it (the platform's exam_item_code). */
  itemCode: z.string().min(1),
  /** 超声, X 线, 磁共振, 电生理, 核医学, 检验 (the pack's recognition scope). */
  category: z.string().min(1),
  validityId: z.string().nullable(),
  sourceInstitution: z.string().min(1),
  /** The issuing institution's 12-character code (src_fixmedins_code), when printed. */
  sourceInstitutionCode: z.string(),
  reportNo: z.string().nullable(),
  reportDate: isoDateString,
  /** The mark as printed (HR, or a provincial prefix such as 鄂HR); null when absent. */
  hrMark: z.string().nullable(),
  value: z.string().optional(),
});
export type OutsideResult = z.infer<typeof outsideResultSchema>;
