/**
 * The applicant at the intake desk (受理申请): the insured-person row built from 1101's answer or
 * from what was typed offline, merged over what the workstation already knew.
 */
import { chinaDateOf } from '../time';
import { insuredPersonSchema, type InsuredPerson } from '../domain/insured';
import { validateCertNo } from '../policy/cert-no';
import type { IntakeProblem } from './intake';

/** psn_cert_type 01: 居民身份证, whose number carries birth date and sex (GB 11643). */
export const RESIDENT_ID = '01';

/** The person as the desk knows them: from 1101 or typed by hand (offline, no psn_no yet). */
export interface IntakePersonInput {
  certType: string;
  certNo: string;
  name: string;
  psnNo: string | null;
  insutype: string;
  regionCode: string;
  /** Needed only for documents other than the resident ID, whose number holds both. */
  gender?: 'male' | 'female';
  birthDate?: string;
  tel?: string;
  addr?: string;
}

/** A document number as stored: a resident ID normalised (upper-case X, 15 digits upgraded), anything else trimmed. */
export function normalizeCertNo(certType: string, certNo: string): string {
  const raw = certNo.trim().toUpperCase();
  if (certType !== RESIDENT_ID) return raw;
  const id = validateCertNo(raw);
  return id.valid ? id.normalized : raw;
}

/**
 * The insured-person row to store: the desk's input over what was stored before (its id, when
 * it was first seen, the off-site registration and a psn_no the desk did not repeat). For a
 * resident ID the number is checked and gives birth date and sex.
 */
export function intakePerson(
  input: IntakePersonInput,
  existing: InsuredPerson | null,
  at: { id: string; now: string },
): { ok: true; person: InsuredPerson } | { ok: false; problems: IntakeProblem[] } {
  const today = chinaDateOf(at.now);
  let certNo = normalizeCertNo(input.certType, input.certNo);
  let gender = input.gender;
  let birthDate = input.birthDate;
  if (input.certType === RESIDENT_ID) {
    const id = validateCertNo(certNo, { onDate: today });
    if (!id.valid) return { ok: false, problems: [{ code: 'person', field: 'certNo', message: `身份证号有误：${id.reason}` }] };
    certNo = id.normalized;
    gender = id.sex;
    birthDate = id.birthDate;
  }
  if (!gender || !birthDate) return { ok: false, problems: [{ code: 'person', field: 'person', message: '请填写性别和出生日期' }] };
  const text = (v: string | undefined) => (v?.trim() ? v.trim() : undefined);
  const candidate = {
    id: existing?.id ?? at.id,
    psnNo: text(input.psnNo ?? undefined) ?? existing?.psnNo ?? null,
    certType: input.certType,
    certNo,
    name: input.name.trim(),
    gender,
    birthDate,
    insutype: input.insutype,
    regionCode: input.regionCode.trim(),
    tel: text(input.tel) ?? existing?.tel,
    addr: text(input.addr) ?? existing?.addr,
    offSiteResident: existing?.offSiteResident ?? false,
    createdAt: existing?.createdAt ?? at.now,
  };
  const parsed = insuredPersonSchema.safeParse(candidate);
  if (!parsed.success) {
    const labels: Record<string, string> = { name: '姓名', psnNo: '人员编号', certNo: '证件号码', certType: '证件类型', insutype: '险种类型', regionCode: '参保地区划', birthDate: '出生日期', tel: '联系电话', addr: '联系地址' };
    const problems = parsed.error.issues.map((i) => {
      const key = String(i.path[0] ?? '');
      return { code: 'person' as const, field: key === 'certNo' ? ('certNo' as const) : ('person' as const), message: `${labels[key] ?? key}：${personIssueText(key, i.code)}` };
    });
    return { ok: false, problems };
  }
  return { ok: true, person: parsed.data };
}

function personIssueText(key: string, code: string): string {
  if (key === 'regionCode') return '应为 6 位数字区划代码';
  if (key === 'insutype') return '应为 3 位数字代码';
  if (key === 'certType') return '应为 2 位数字代码';
  if (code === 'too_small') return '不能为空';
  if (code === 'too_big') return '过长';
  return '格式不正确';
}
