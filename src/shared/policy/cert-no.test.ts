// Every number here is invented; each has a valid check character computed for the test.
import { describe, expect, it } from 'vitest';
import { checkChar, validateCertNo } from './cert-no';

describe('validateCertNo (GB 11643-1999, domain.md §5)', () => {
  it('reads birth date, sex and region from a valid number', () => {
    expect(validateCertNo('140702199003071238')).toEqual({
      valid: true,
      normalized: '140702199003071238',
      birthDate: '1990-03-07',
      sex: 'male', // 17th digit 3 is odd
      regionCode: '140702',
      upgradedFrom15: false,
    });
    expect(validateCertNo('220104198512310028')).toMatchObject({ valid: true, sex: 'female', birthDate: '1985-12-31' });
  });

  it('accepts the check character X, in either case and full width', () => {
    expect(validateCertNo('14070219880516102X')).toMatchObject({ valid: true, birthDate: '1988-05-16', sex: 'female' });
    expect(validateCertNo('14070219880516102x')).toMatchObject({ valid: true, normalized: '14070219880516102X' });
    expect(validateCertNo(' １４０７０２１９８８０５１６１０２Ｘ ')).toMatchObject({ valid: true, normalized: '14070219880516102X' });
  });

  it('leap days: 2000-02-29 and 2004-02-29 exist, 1900-02-29 and 2001-02-29 do not', () => {
    expect(validateCertNo('41020020000229051X')).toMatchObject({ valid: true, birthDate: '2000-02-29' });
    expect(validateCertNo('41020020040229101X')).toMatchObject({ valid: true, birthDate: '2004-02-29' });
    const n1900 = '41020019000229051';
    expect(validateCertNo(n1900 + checkChar(n1900))).toMatchObject({ valid: false, code: 'birth-date' });
    const n2001 = '41020020010229051';
    expect(validateCertNo(n2001 + checkChar(n2001))).toMatchObject({ valid: false, code: 'birth-date' });
  });

  it('upgrades a 15-digit number (19 inserted, check character appended)', () => {
    expect(validateCertNo('140702880516123')).toEqual({
      valid: true,
      normalized: '140702198805161230',
      birthDate: '1988-05-16',
      sex: 'male',
      regionCode: '140702',
      upgradedFrom15: true,
    });
    expect(validateCertNo('140702880231123')).toMatchObject({ valid: false, code: 'birth-date' });
  });

  it('gives the reason for each kind of error', () => {
    expect(validateCertNo('')).toMatchObject({ valid: false, code: 'empty' });
    expect(validateCertNo('14070219900307123')).toMatchObject({ valid: false, code: 'length', reason: expect.stringContaining('17 位') });
    expect(validateCertNo('1407021990030712X8')).toMatchObject({ valid: false, code: 'characters' });
    expect(validateCertNo('14070288051612A')).toMatchObject({ valid: false, code: 'characters' });
    expect(validateCertNo('140702199003071239')).toEqual({ valid: false, code: 'check-char', reason: '校验码错误：末位应为 8，实为 9' });
    const badRegion = '00070219900307123';
    expect(validateCertNo(badRegion + checkChar(badRegion))).toMatchObject({ valid: false, code: 'region' });
    const unborn = '14070220270101123';
    expect(validateCertNo(unborn + checkChar(unborn), { onDate: '2026-11-22' })).toMatchObject({ valid: false, code: 'birth-date' });
    expect(validateCertNo(unborn + checkChar(unborn))).toMatchObject({ valid: true });
  });

  it('computes the check character over all 17 weights', () => {
    expect(checkChar('14070219900307123')).toBe('8');
    expect(checkChar('34020219991231998')).toBe('2');
  });
});
