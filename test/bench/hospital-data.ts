/**
 * What the hospital-server benchmarks send, without any server code: imported by the Node side
 * (hospital.ts) and by the Chromium pages (page/desk-page.ts) alike.
 */
import type { CommandPayload } from '../../src/shared/hospital/commands';
import { checkChar } from '../../src/shared/policy/cert-no';
import { addDays } from '../../src/shared/time/dates';

/**
 * The `i`-th synthetic resident ID number of a series (valid GB 11643 check character, a birth
 * date in 1940–1999), distinct for i < 21,900,000 within a series; `series` (0–99) keeps sets apart.
 */
export function residentId(series: number, i: number): string {
  const day = i % 365;
  const year = 1940 + (Math.floor(i / 365) % 60);
  const seq = Math.floor(i / (365 * 60));
  const date = addDays(`${year}-01-01`, day);
  const body = `1401${String(series).padStart(2, '0')}${date.replace(/-/g, '')}${String(seq % 1000).padStart(3, '0')}`;
  return body + checkChar(body);
}

/** 受理申请 for a new person (no materials): the server stores the person and the case and draws 初审's expert (Kaifeng pack). */
export function application(certNo: string, name: string): CommandPayload<'case.take'> {
  return { person: { certType: '01', certNo, name, psnNo: null, insutype: '310', regionCode: '140105' }, diseaseCode: 'M01600', kind: 'first' };
}

/** p-th percentile (nearest rank). */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
