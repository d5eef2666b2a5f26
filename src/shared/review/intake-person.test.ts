import { describe, expect, it } from 'vitest';
import type { InsuredPerson } from '../domain/insured';
import { checkChar } from '../policy';
import { intakePerson, normalizeCertNo, type IntakePersonInput } from './intake-person';

/** An invented resident ID number with a valid check character (sequence 9xx: demo data). */
const idNo = (birth: string, seq: string) => {
  const first17 = `140105${birth}${seq}`;
  return first17 + checkChar(first17);
};
const MAN = idNo('19600315', '901');
const now = new Date('2025-06-20T02:00:00.000Z');
const person: InsuredPerson = {
  id: 'p-1', psnNo: '14000090000000000101', certType: '01', certNo: MAN, name: '林演示', gender: 'male', birthDate: '1960-03-15',
  insutype: '310', regionCode: '140105', offSiteResident: false, createdAt: '2025-01-02T03:00:00.000Z',
};

describe('normalizeCertNo', () => {
  it('stores a resident ID with an upper-case X and trims anything else', () => {
    const withX = idNo('19800101', '918');
    expect(withX.endsWith('X')).toBe(true);
    expect(normalizeCertNo('01', ` ${MAN} `)).toBe(MAN);
    expect(normalizeCertNo('01', withX.toLowerCase())).toBe(withX);
    expect(normalizeCertNo('90', ' ssc001 ')).toBe('SSC001');
  });
});

describe('intakePerson', () => {
  const at = { id: 'p-new', now: now.toISOString() };
  const typed: IntakePersonInput = { certType: '01', certNo: ` ${MAN.toLowerCase()} `, name: ' 林演示 ', psnNo: null, insutype: '390', regionCode: '140105', tel: '13800000000' };

  it('reads birth date and sex from a resident ID number and stores a new person without a psn_no', () => {
    const r = intakePerson(typed, null, at);
    expect(r).toEqual({ ok: true, person: { id: 'p-new', psnNo: null, certType: '01', certNo: MAN, name: '林演示', gender: 'male', birthDate: '1960-03-15', insutype: '390', regionCode: '140105', tel: '13800000000', addr: undefined, offSiteResident: false, createdAt: now.toISOString() } });
    const woman = intakePerson({ ...typed, certNo: idNo('19750607', '902') }, null, at);
    expect(woman.ok && woman.person).toMatchObject({ gender: 'female', birthDate: '1975-06-07' });
  });

  it('updates a known person: keeps the id, first-seen time, off-site registration and a psn_no the desk left empty', () => {
    const known = { ...person, offSiteResident: true, addr: '演示路 1 号' };
    const r = intakePerson(typed, known, at);
    expect(r.ok && r.person).toMatchObject({ id: 'p-1', createdAt: person.createdAt, offSiteResident: true, psnNo: person.psnNo, insutype: '390', addr: '演示路 1 号' });
  });

  it('refuses a wrong check character, a bad region code, and a non-resident document without sex and birth date', () => {
    const wrong = MAN.slice(0, 17) + (MAN.endsWith('1') ? '2' : '1');
    expect(intakePerson({ ...typed, certNo: wrong }, null, at)).toMatchObject({ ok: false, problems: [{ field: 'certNo', message: expect.stringContaining('校验码错误') }] });
    expect(intakePerson({ ...typed, regionCode: '14' }, null, at)).toMatchObject({ ok: false, problems: [{ field: 'person', message: '参保地区划：应为 6 位数字区划代码' }] });
    expect(intakePerson({ ...typed, certType: '90', certNo: 'SSC0001' }, null, at)).toMatchObject({ ok: false, problems: [{ message: '请填写性别和出生日期' }] });
    const card = intakePerson({ ...typed, certType: '90', certNo: 'SSC0001', gender: 'female', birthDate: '1970-01-01' }, null, at);
    expect(card.ok && card.person).toMatchObject({ certType: '90', certNo: 'SSC0001', gender: 'female' });
  });
});
