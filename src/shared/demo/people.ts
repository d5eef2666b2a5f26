/**
 * Invented insured persons for demo mode, tests and the benchmark: common surnames and given-name
 * characters combined at random, ID numbers with a valid GB 11643 check character but a sequence
 * from the 900s so they read as demo data. No real person's data.
 */
import type { InsuredPerson } from '../domain/insured';
import { addDays, formatIsoDate } from '../time';
import { checkChar } from '../policy/cert-no';
import { nextInt } from '../review/prng';
import { DEMO_PLATFORM, syntheticPerson } from './population';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏辉建国志文晓春海燕雪琳慧佳欣宇浩然子涵思源博雅梓轩俊峰凤淑珍德荣福生永新';

/** A name of 2 or 3 characters. */
export function demoName(next: () => number): string {
  const surname = SURNAMES[nextInt(next, SURNAMES.length)]!;
  const n = next() < 0.3 ? 1 : 2;
  let given = '';
  for (let i = 0; i < n; i++) given += GIVEN[nextInt(next, GIVEN.length)]!;
  return surname + given;
}

/**
 * An 18-character resident ID number: region, birth date, a 9xx sequence (odd for men) and the
 * check character `"10X98765432"[Σ(dᵢ·wᵢ) mod 11]`.
 */
export function demoCertNo(regionCode: string, birthDate: string, gender: 'male' | 'female', next: () => number): string {
  const base = 900 + nextInt(next, 50) * 2;
  const seq = String(gender === 'male' ? base + 1 : base).padStart(3, '0');
  const first17 = `${regionCode}${birthDate.replaceAll('-', '')}${seq}`;
  return first17 + checkChar(first17);
}

/** A county-level code inside the pack's region (its first two or four digits kept). */
export function demoRegionCode(packRegion: string | null, next: () => number): string {
  const province = (packRegion ?? '140000').slice(0, 2);
  const city = String(1 + nextInt(next, 9)).padStart(2, '0');
  const county = String(1 + nextInt(next, 9)).padStart(2, '0');
  return `${province}${city}${county}`;
}

/**
 * Demo person number `index`: while the index is inside the demo platform's population, the very
 * person the embedded platform holds (so a demo filing is accepted); beyond it an invented person
 * the platform does not know, without a psn_no (as for someone never looked up with 1101).
 */
export function demoPerson(index: number, id: string, packRegion: string | null, today: string, createdAt: string, next: () => number): InsuredPerson {
  if (index < DEMO_PLATFORM.population) {
    const p = syntheticPerson(index, DEMO_PLATFORM.regionCode);
    return {
      id,
      psnNo: p.psn_no,
      certType: '01',
      certNo: p.certno,
      name: p.psn_name,
      gender: p.gend === '1' ? 'male' : 'female',
      birthDate: p.brdy,
      insutype: p.insutype,
      regionCode: p.insuplc_admdvs,
      tel: `1${3 + nextInt(next, 6)}${String(nextInt(next, 1e9)).padStart(9, '0')}`,
      offSiteResident: next() < 0.05,
      createdAt,
    };
  }
  return inventedPerson(id, packRegion, today, createdAt, next);
}

/** A person aged 25–89 on `today`, insured as 职工 (310) or 城乡居民 (390), unknown to any platform. */
function inventedPerson(id: string, packRegion: string | null, today: string, createdAt: string, next: () => number): InsuredPerson {
  const gender = next() < 0.5 ? 'male' : 'female';
  const year = Number(today.slice(0, 4)) - 25 - nextInt(next, 65);
  const birthDate = addDays(formatIsoDate(year, 1, 1), nextInt(next, 365));
  const regionCode = demoRegionCode(packRegion, next);
  return {
    id,
    psnNo: null,
    certType: '01',
    certNo: demoCertNo(regionCode, birthDate, gender, next),
    name: demoName(next),
    gender,
    birthDate,
    insutype: next() < 0.55 ? '310' : '390',
    regionCode,
    tel: `1${3 + nextInt(next, 6)}${String(nextInt(next, 1e9)).padStart(9, '0')}`,
    offSiteResident: next() < 0.05,
    createdAt,
  };
}
