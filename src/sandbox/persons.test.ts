import { describe, expect, it } from 'vitest';
import { ageOn, idCheckChar, isValidIdNumber, syntheticPerson } from './persons';

describe('synthetic persons', () => {
  it('computes the GB 11643 check character', () => {
    // The standard's own example number.
    expect(idCheckChar('11010519491231002')).toBe('X');
    expect(isValidIdNumber('11010519491231002X')).toBe(true);
    expect(isValidIdNumber('110105194912310021')).toBe(false);
  });

  it('is deterministic and independent of how many are made', () => {
    expect(syntheticPerson(7, '140000')).toEqual(syntheticPerson(7, '140000'));
    expect(syntheticPerson(7, '140000').psn_no).toBe('14000090000000000008');
    expect(syntheticPerson(7, '140000', 1).certno).not.toBe(syntheticPerson(7, '140000', 2).certno);
  });

  it('makes valid, unique, plausible identities', () => {
    const people = Array.from({ length: 5000 }, (_, i) => syntheticPerson(i, '140000'));
    expect(new Set(people.map((p) => p.certno)).size).toBe(5000);
    expect(new Set(people.map((p) => p.ec_token)).size).toBe(5000);
    const bad = people.filter(
      (p) =>
        !isValidIdNumber(p.certno) ||
        p.certno.slice(6, 14) !== p.brdy.replaceAll('-', '') ||
        (Number(p.certno[16]) % 2 === 1 ? '1' : '2') !== p.gend ||
        !['140', '410'].includes(p.certno.slice(0, 3)) ||
        p.brdy < '1940-01-01' ||
        p.brdy > '2000-12-31' ||
        p.ec_token.length !== 40 ||
        !['310', '390'].includes(p.insutype) ||
        p.psn_name.length < 2,
    );
    expect(bad).toEqual([]);
    const share310 = people.filter((p) => p.insutype === '310').length / people.length;
    expect(share310).toBeGreaterThan(0.45);
    expect(share310).toBeLessThan(0.65);
  });

  it('computes age on a date', () => {
    expect(ageOn('1980-06-15', '2025-06-14')).toBe(44);
    expect(ageOn('1980-06-15', '2025-06-15')).toBe(45);
  });
});
