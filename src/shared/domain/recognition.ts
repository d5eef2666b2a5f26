import { z } from 'zod';
import { isoInstantString } from './insured';

/**
 * One 互认 log entry (domain.md §4): the physician recognised an outside result, or repeated it
 * for a national reason (or the pack's provincial extras) after telling the patient why.
 */
export const recognitionDecisionSchema = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('recognised') }),
  z.object({
    decision: z.literal('repeated'),
    /** A code from the pack's `recognition.repeatReasons`. */
    reasonCode: z.string().min(1),
    /** The patient was told why (required by 国卫医发〔2022〕6号). */
    patientInformed: z.literal(true, { message: '须向患者说明重复检查的原因' }),
    note: z.string().optional(),
  }),
]);
export type RecognitionDecision = z.infer<typeof recognitionDecisionSchema>;

export const recognitionSchema = z.object({
  id: z.string().min(1),
  caseId: z.string().min(1),
  resultId: z.string().min(1),
  personId: z.string().min(1),
  /** Copied from the outside result so figures need no join. */
  item: z.string().min(1),
  sourceInstitution: z.string().min(1),
  reportDate: z.string(),
  hrMark: z.string().nullable(),
  withinValidity: z.boolean().nullable(),
  decision: recognitionDecisionSchema,
  physicianId: z.string().min(1),
  department: z.string(),
  at: isoInstantString,
  /** The outbox item that carries it to the platform (recognition extension); null until queued. */
  outboxId: z.string().nullable(),
});
export type Recognition = z.infer<typeof recognitionSchema>;
