/**
 * The synthetic insured population: invented and deterministic, so person i is the same on every
 * machine. The platform sandbox seeds its persons from it (`--seed-persons n`), and demo mode's
 * cases are filed for these same people, so a demo filing reaches a person the demo platform
 * knows. ID numbers carry a valid GB 11643 check character but are made up; names come from
 * common characters. None of this is anyone's personal data.
 */
import { checkChar } from '../policy/cert-no';
import { mulberry32 } from '../review/prng';
import { addDays, daysBetween } from '../time';

type Random = () => number;

/** Mixes two integers into one seed (for "person i of seed s"). */
export function mixSeed(a: number, b: number): number {
  let h = Math.imul((a >>> 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (b >>> 0) ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

export function pick<T>(random: Random, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/**
 * The embedded demo platform (演示平台): its insured region and how many synthetic persons it
 * starts with. Demo cases use persons 0…population-1 so their filings are accepted.
 */
export const DEMO_PLATFORM = { regionCode: '140000', population: 5000 } as const;

export interface SyntheticPerson {
  /** 0-based index this person was generated from. */
  seq: number;
  psn_no: string;
  psn_cert_type: '01';
  certno: string;
  psn_name: string;
  /** 1 male, 2 female (GB/T 2261.1). */
  gend: '1' | '2';
  naty: string;
  /** yyyy-MM-dd */
  brdy: string;
  insutype: '310' | '390';
  insuplc_admdvs: string;
  psn_type: string;
  psn_insu_date: string;
  emp_name: string;
  /** The 40-character token a 医保电子凭证 QR code yields (mdtrt_cert_type 01). */
  ec_token: string;
  /** Social-security card number and chip id (mdtrt_cert_type 03). */
  card_no: string;
  card_sn: string;
}

// County-level codes in Shanxi (太原) and Henan (郑州, 开封, 洛阳).
const ID_REGIONS = ['140105', '140106', '140107', '140108', '140109', '140110', '140181', '410102', '410103', '410105', '410202', '410302'];
const BIRTH_FROM = '1940-01-01';
const BIRTH_DAYS = daysBetween(BIRTH_FROM, '2000-12-31') + 1;
const ID_SPACE = BigInt(ID_REGIONS.length * BIRTH_DAYS * 1000);

const SURNAMES = [...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤'];
const GIVEN = [...'伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红梅文玉晓燕宏斌鹏辉玲丹萍鑫飞海波宁峰慧颖佳欣浩宇博凯琳雪春秋冬云亮瑞祥福'];
const EMPLOYERS = ['示例机械制造有限公司', '示例煤业集团有限公司', '示例商贸有限公司', '示例建筑工程有限公司', '示例中学', '示例物流有限公司'];
const HEX = [...'0123456789ABCDEF'];

const hex = (random: Random, n: number): string => Array.from({ length: n }, () => pick(random, HEX)).join('');
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/**
 * Index → (region, birth date, sequence) through an affine permutation of the whole space, so
 * that no two indexes share an ID number and neighbours do not look alike.
 */
const ID_MULT = (() => {
  let mult = 2_654_435_761n % ID_SPACE;
  while (gcd(mult, ID_SPACE) !== 1n) mult += 1n;
  return mult;
})();

function idParts(index: number, seed: number): { region: string; birthDate: string; seq: number } {
  const mult = ID_MULT;
  const offset = BigInt(mixSeed(seed, 0x1d)) % ID_SPACE;
  let v = (BigInt(index) * mult + offset) % ID_SPACE;
  const seq = Number(v % 1000n);
  v /= 1000n;
  const day = Number(v % BigInt(BIRTH_DAYS));
  v /= BigInt(BIRTH_DAYS);
  return { region: ID_REGIONS[Number(v)]!, birthDate: addDays(BIRTH_FROM, day), seq };
}

export const DEFAULT_PERSON_SEED = 20_250_601;

/** Person `index` (0-based) of the synthetic population insured in `regionCode`. */
export function syntheticPerson(index: number, regionCode: string, seed = DEFAULT_PERSON_SEED): SyntheticPerson {
  const random = mulberry32(mixSeed(seed, index));
  const { region, birthDate, seq } = idParts(index, seed);
  const [y, m, d] = birthDate.split('-').map(Number) as [number, number, number];
  const b = { y, m, d };
  const first17 = `${region}${b.y}${pad(b.m)}${pad(b.d)}${pad(seq, 3)}`;
  const male = seq % 2 === 1; // GB 11643: the 17th digit is odd for men
  const givenLength = random() < 0.7 ? 2 : 1;
  const name = pick(random, SURNAMES) + Array.from({ length: givenLength }, () => pick(random, GIVEN)).join('');
  const insutype = random() < 0.55 ? '310' : '390';
  const ageAt2025 = 2025 - b.y;
  const insuYear = Math.max(b.y + 18, 1998) + Math.floor(random() * 5);
  return {
    seq: index,
    psn_no: `${regionCode}9${String(index + 1).padStart(13, '0')}`,
    psn_cert_type: '01',
    certno: first17 + checkChar(first17),
    psn_name: name,
    gend: male ? '1' : '2',
    naty: '01',
    brdy: `${b.y}-${pad(b.m)}-${pad(b.d)}`,
    insutype,
    insuplc_admdvs: regionCode,
    // Illustrative 人员类别 codes: 在职 / 退休 for employees, 城乡居民 otherwise.
    psn_type: insutype === '310' ? (ageAt2025 >= 60 ? '1102' : '1101') : '1501',
    psn_insu_date: `${Math.min(insuYear, 2024)}-${pad(1 + Math.floor(random() * 12))}-01`,
    emp_name: insutype === '310' ? pick(random, EMPLOYERS) : '',
    ec_token: `${regionCode}${hex(random, 34)}`,
    card_no: `S${String(index + 1).padStart(8, '0')}`,
    card_sn: hex(random, 32),
  };
}

