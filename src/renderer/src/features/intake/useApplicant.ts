import type { FormInstance } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useCallback, useEffect, useRef } from 'react';
import type { InsuredPerson } from '../../../../shared/domain/insured';
import { validateCertNo } from '../../../../shared/policy';
import { normalizeCertNo, RESIDENT_ID } from '../../../../shared/review/intake-person';
import type { ApplicantHistory } from '../../../../shared/review/intake';
import { getDb } from '../../db/db';
import { loadApplicant } from './intake-repo';

/** The intake form's person fields that a stored record or 1101 fills. */
export interface PersonValues {
  psnNo?: string;
  name?: string;
  insutype?: string;
  regionCode?: string;
  tel?: string;
}
const FROM_RECORD = ['psnNo', 'name', 'insutype', 'regionCode', 'tel'] as const;

export interface Applicant {
  /** The number as stored, or '' while it is incomplete (a resident ID must check out). */
  key: string;
  /** Undefined while loading; person null when the workstation does not know them. */
  applicant: { person: InsuredPerson | null; history: ApplicantHistory } | undefined;
  /** Records what 1101 filled for a number, so it is taken back when the number changes. */
  remember: (certNo: string, values: PersonValues) => void;
  forget: () => void;
}

/**
 * The person the number in the intake form names, live from this workstation's records. A person
 * on file fills the fields nobody has typed in (offline too); what 1101 or the clerk entered stays. Outside
 * manual entry the fields are read-only, so once the number changes, whatever was filled for the
 * old number is taken back — a corrected ID never inherits the previous person's name.
 */
export function useApplicant(form: FormInstance, certType: string, certNo: string | undefined): Applicant {
  const key = certNo && (certType !== RESIDENT_ID || validateCertNo(certNo).valid) ? normalizeCertNo(certType, certNo) : '';
  const loaded = useLiveQuery(async () => (key ? { key, ...(await loadApplicant(getDb(), certType, key)) } : null), [certType, key]);
  // Never another number's person or history while the new one loads.
  const applicant = loaded && loaded.key === key ? loaded : undefined;
  const known = applicant?.person ?? null;
  const filled = useRef<{ key: string; values: PersonValues } | null>(null);

  useEffect(() => {
    const f = filled.current;
    if (!f || f.key === key) return;
    const current = form.getFieldsValue(Object.keys(f.values)) as PersonValues;
    const stale = Object.entries(f.values).filter(([k, v]) => current[k as keyof PersonValues] === v);
    form.setFieldsValue(Object.fromEntries(stale.map(([k]) => [k, undefined])));
    filled.current = null;
  }, [key, form]);

  useEffect(() => {
    if (!known || filled.current?.key === key) return;
    const current = form.getFieldsValue([...FROM_RECORD]) as PersonValues;
    const fill: PersonValues = {};
    // Untouched fields hold defaults (险种 310), not anyone's word: the record wins over those too.
    for (const field of FROM_RECORD) if ((!current[field] || !form.isFieldTouched(field)) && known[field]) fill[field] = known[field] ?? undefined;
    form.setFieldsValue(fill);
    filled.current = { key, values: fill };
  }, [known, key, form]);

  const remember = useCallback((number: string, values: PersonValues) => {
    filled.current = { key: normalizeCertNo(RESIDENT_ID, number), values };
  }, []);
  const forget = useCallback(() => {
    filled.current = null;
  }, []);
  return { key, applicant, remember, forget };
}
