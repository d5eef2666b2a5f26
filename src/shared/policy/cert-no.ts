/**
 * Resident identity numbers (GB 11643-1999): 6-digit region, 8-digit birth date, 3-digit
 * sequence (odd for men), check character. 15-digit numbers from before 1999 are upgraded.
 */
import { formatIsoDate, parseIsoDate, type IsoDate } from '../time';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

/** Province-level prefixes; 83 is the residence permit of Taiwan residents, 9 the 2023 foreign permanent resident card. */
const PROVINCES = new Set([
  '11', '12', '13', '14', '15', '21', '22', '23', '31', '32', '33', '34', '35', '36', '37', '41', '42', '43',
  '44', '45', '46', '50', '51', '52', '53', '54', '61', '62', '63', '64', '65', '71', '81', '82', '83',
]);

export type CertNoResult =
  | {
      valid: true;
      /** 18 characters, upper-case X. */
      normalized: string;
      birthDate: IsoDate;
      sex: 'male' | 'female';
      regionCode: string;
      upgradedFrom15: boolean;
    }
  | {
      valid: false;
      code: 'empty' | 'length' | 'characters' | 'region' | 'birth-date' | 'check-char';
      reason: string;
    };

export function checkChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] ?? 0);
  return CHECK_CHARS[sum % 11] ?? '';
}

/** Full-width digits and Ｘ (from some IMEs and scanners) become ASCII; spaces around are dropped. */
function normalize(id: string): string {
  return id
    .trim()
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[xｘＸ]/g, 'X');
}

const fail = (code: Extract<CertNoResult, { valid: false }>['code'], reason: string): CertNoResult => ({ valid: false, code, reason });

/**
 * Checks an identity number and reads the birth date and sex from it. With `onDate`, a birth
 * date after that day is refused too.
 */
export function validateCertNo(id: string, options: { onDate?: IsoDate } = {}): CertNoResult {
  const s = normalize(id);
  if (s === '') return fail('empty', '身份证号为空');
  let full: string;
  let upgraded = false;
  if (s.length === 15) {
    if (!/^\d{15}$/.test(s)) return fail('characters', '15 位身份证号只能由数字组成');
    const first17 = `${s.slice(0, 6)}19${s.slice(6)}`;
    full = first17 + checkChar(first17);
    upgraded = true;
  } else if (s.length === 18) {
    if (!/^\d{17}[\dX]$/.test(s)) return fail('characters', '身份证号前 17 位须为数字，末位为数字或 X');
    full = s;
  } else {
    return fail('length', `身份证号应为 18 位（或旧版 15 位），实为 ${s.length} 位`);
  }

  const prefix = full.slice(0, 2);
  if (!PROVINCES.has(prefix) && !full.startsWith('9')) return fail('region', `地址码 ${full.slice(0, 6)} 不是有效的省级行政区划`);

  const birth = formatIsoDate(Number(full.slice(6, 10)), Number(full.slice(10, 12)), Number(full.slice(12, 14)));
  if (!parseIsoDate(birth)) return fail('birth-date', `出生日期 ${full.slice(6, 14)} 不存在`);
  if (birth < '1900-01-01') return fail('birth-date', `出生日期 ${birth} 早于 1900 年`);
  if (options.onDate && birth > options.onDate) return fail('birth-date', `出生日期 ${birth} 晚于当前日期`);

  if (!upgraded) {
    const expected = checkChar(full.slice(0, 17));
    if (full[17] !== expected) return fail('check-char', `校验码错误：末位应为 ${expected}，实为 ${full[17]}`);
  }
  return {
    valid: true,
    normalized: full,
    birthDate: birth,
    sex: Number(full[16]) % 2 === 1 ? 'male' : 'female',
    regionCode: full.slice(0, 6),
    upgradedFrom15: upgraded,
  };
}
