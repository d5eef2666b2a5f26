import { z } from 'zod';
import { isoDateString, isoInstantString } from './insured';

/**
 * A certification (认定) once the process approved a case, and its life with the platform:
 * ready for the 医保办 → filing queued (2503) → filed with `trt_dcla_detl_sn` → maybe revoked
 * (2504). Tagged by state so a filed certification cannot lack its serial.
 */
const base = {
  id: z.string().min(1),
  caseId: z.string().min(1),
  personId: z.string().min(1),
  diseaseCode: z.string().regex(/^M\d{5}$/),
  diseaseName: z.string().min(1),
  /** hosp_ide_date: the day the hospital certified. */
  certifiedOn: isoDateString,
  /** Benefit period (begndate/enddate); enddate null when the region sets no term. */
  begnDate: isoDateString,
  endDate: isoDateString.nullable(),
  /** When re-review (复审) must be applied for; null when no term applies. */
  reReviewDueOn: isoDateString.nullable(),
  /** diag_dr_codg / diag_dr_name: the physician who concluded. */
  physicianId: z.string().min(1),
  physicianName: z.string().min(1),
  updatedAt: isoInstantString,
  /** A corrected filing: the certification it replaces (revoked first, in the same person's order). */
  correctsId: z.string().min(1).optional(),
  /** The certification that replaced this one. */
  correctedById: z.string().min(1).optional(),
  /** Made without a concluded case (an administrator's stated reason). */
  manualReason: z.string().min(1).optional(),
};

export const certificationSchema = z.discriminatedUnion('state', [
  z.object({ ...base, state: z.literal('ready') }),
  z.object({ ...base, state: z.literal('filing-queued'), outboxId: z.string().min(1) }),
  /** The platform refused the filing (or the server set it aside): the reason, for the 医保办 to act on; it may be submitted again. */
  z.object({ ...base, state: z.literal('filing-rejected'), outboxId: z.string().min(1), rejectReason: z.string().min(1), rejectedAt: isoInstantString }),
  z.object({ ...base, state: z.literal('filed'), outboxId: z.string().min(1), trtDclaDetlSn: z.string().min(1), filedAt: isoInstantString }),
  /** A revocation (2504) is queued; the filing still stands on the platform until it is accepted. */
  z.object({ ...base, state: z.literal('revoking'), outboxId: z.string().min(1), trtDclaDetlSn: z.string().min(1), filedAt: isoInstantString, revokeReason: z.string().min(1), revocationId: z.string().min(1) }),
  z.object({
    ...base,
    state: z.literal('revoked'),
    trtDclaDetlSn: z.string().min(1),
    revokedAt: isoInstantString,
    revokeReason: z.string().min(1),
  }),
]);
export type Certification = z.infer<typeof certificationSchema>;
export type CertificationState = Certification['state'];
