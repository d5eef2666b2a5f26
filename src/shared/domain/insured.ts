import { z } from 'zod';

/** The date part of records: China calendar dates as YYYY-MM-DD. */
export const isoDateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: '日期须为 YYYY-MM-DD' });
/** Instants as ISO 8601 UTC strings (`toISOString()`), so they sort as text in indexes. */
export const isoInstantString = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/, { message: '时间须为 ISO 8601 UTC' });

/**
 * An insured person (参保人) as the workstation knows them: from 1101 or typed at the desk.
 * `psnNo` is null until the platform has been asked (an offline township centre may wait days).
 */
export const insuredPersonSchema = z.object({
  id: z.string().min(1),
  psnNo: z.string().min(1).max(30).nullable(),
  /** psn_cert_type: 01 居民身份证 (the common case), 90 社会保障卡, 99 其他. */
  certType: z.string().regex(/^\d{2}$/),
  certNo: z.string().min(1).max(50),
  name: z.string().min(1).max(50),
  gender: z.enum(['male', 'female']),
  birthDate: isoDateString,
  /** insutype, e.g. 310 职工, 390 城乡居民. */
  insutype: z.string().regex(/^\d{3}$/),
  /** insuplc_admdvs: the insurance region (6 digits). */
  regionCode: z.string().regex(/^\d{6}$/),
  tel: z.string().max(50).optional(),
  addr: z.string().max(200).optional(),
  /** Registered as living long-term in another region (002: adds the 备案表). */
  offSiteResident: z.boolean().default(false),
  createdAt: isoInstantString,
});
export type InsuredPerson = z.infer<typeof insuredPersonSchema>;

export const INSUTYPE_LABELS: Readonly<Record<string, string>> = {
  '310': '职工基本医疗保险',
  '390': '城乡居民基本医疗保险',
  '320': '公务员医疗补助',
  '330': '大额医疗费用补助',
  '340': '离休人员医疗保障',
};

/**
 * An ID number for screens and logs: first 6 and last 4 kept (architecture.md §9: no ID numbers
 * in clear). Short values are masked but for the last character.
 */
export function maskCertNo(certNo: string): string {
  const s = certNo.trim();
  if (s.length >= 15) return `${s.slice(0, 6)}${'*'.repeat(s.length - 10)}${s.slice(-4)}`;
  if (s.length <= 1) return '*';
  return `${'*'.repeat(s.length - 1)}${s.slice(-1)}`;
}
