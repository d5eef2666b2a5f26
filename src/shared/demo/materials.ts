/**
 * Demo materials for one case: the identity copy, one medical record per disease (002: inpatient
 * within 2 years or outpatient within 6 months — some deliberately too old), and outside exam
 * and lab results with and without the HR mark, dated inside or outside their validity window.
 * Metadata only; the bytes (generated scans) come later, so `attachmentId` is null and the hash
 * is that of the descriptor text.
 */
import type { CaseRow } from '../domain/case';
import type { Material, OutsideResult } from '../domain/material';
import { sha256Hex } from '../hash/sha256';
import { addDays, addMonths } from '../time';
import type { PolicyPack } from '../policy/schema';
import { nextInt } from '../review/prng';

const HOSPITALS = ['演示市第一人民医院', '演示市中心医院', '演示县人民医院', '演示市中医院', '演示镇卫生院', '演示医科大学附属医院'];
/** An invented 12-character institution code per demo hospital, inside the pack's province. */
const hospitalCode = (pack: PolicyPack, name: string) => `H${(pack.region.code ?? '140000').slice(0, 4)}000000${HOSPITALS.indexOf(name) + 1}`;

/** Imaging and electrophysiology results (no provincial window: judged clinically). */
const IMAGING: readonly { item: string; code: string; category: string }[] = [
  { item: '心脏彩色多普勒超声', code: 'US-HEART', category: '超声' },
  { item: '胸部 X 线正位片', code: 'XR-CHEST', category: 'X 线' },
  { item: '头颅磁共振平扫', code: 'MR-HEAD', category: '磁共振' },
  { item: '常规心电图', code: 'ECG-12', category: '电生理' },
];

const pick = <T>(items: readonly T[], next: () => number): T => items[nextInt(next, items.length)]!;

function material(c: CaseRow, n: number, over: Pick<Material, 'kind' | 'recordType' | 'title' | 'sourceInstitution' | 'documentDate' | 'mime'>, size: number): Material {
  const id = `${c.id}-m${n}`;
  return { id, caseId: c.id, personId: c.personId, ...over, size, sha256: sha256Hex(`demo:${id}:${over.title}`), attachmentId: null, stamped: over.kind !== 'identity', addedAt: c.submittedAt };
}

/** Provincial prefixes of the mark (国卫医发〔2022〕6号 lets provinces add one, e.g. 鄂HR). */
const PROVINCE_PREFIX: Readonly<Record<string, string>> = { '14': '晋', '22': '吉', '34': '皖', '41': '豫', '42': '鄂' };

/** The HR mark: mostly plain, sometimes with the province's prefix, sometimes none. */
function hrMark(pack: PolicyPack, next: () => number): string | null {
  const r = next();
  if (r < 0.6) return pack.recognition.mark.value;
  if (r < 0.7) return `${PROVINCE_PREFIX[(pack.region.code ?? '').slice(0, 2)] ?? ''}${pack.recognition.mark.value}`;
  return null;
}

export function demoMaterials(pack: PolicyPack, c: CaseRow, offSiteResident: boolean, next: () => number): { materials: Material[]; results: OutsideResult[] } {
  const hospital = pick(HOSPITALS, next);
  const inpatient = next() < 0.4;
  const windows = pack.materials.recordWindowMonths;
  const months = inpatient ? (windows?.inpatient.value ?? 24) : (windows?.outpatient.value ?? 6);
  const recent = next() < 0.9;
  const earliest = addMonths(c.receivedOn, -months);
  const recordDate = recent ? addDays(c.receivedOn, -nextInt(next, Math.max(1, months * 28))) : addDays(earliest, -1 - nextInt(next, 90));
  const materials = [
    material(c, 1, { kind: 'identity', recordType: null, title: '居民身份证复印件', sourceInstitution: '', documentDate: null, mime: 'image/jpeg' }, 180_000 + nextInt(next, 200_000)),
    material(c, 2, { kind: 'medical-record', recordType: inpatient ? 'inpatient' : 'outpatient', title: inpatient ? '出院记录' : '门诊病历', sourceInstitution: hospital, documentDate: recordDate, mime: 'application/pdf' }, 400_000 + nextInt(next, 2_000_000)),
    material(c, 3, { kind: 'exam-report', recordType: null, title: '检查检验报告单', sourceInstitution: hospital, documentDate: addDays(recordDate, -nextInt(next, 5)), mime: 'application/pdf' }, 200_000 + nextInt(next, 800_000)),
  ];
  if (offSiteResident) materials.push(material(c, 4, { kind: 'off-site-form', recordType: null, title: '异地长期居住人员备案表', sourceInstitution: '', documentDate: addDays(c.receivedOn, -nextInt(next, 400)), mime: 'image/png' }, 150_000));

  const results: OutsideResult[] = [];
  const count = 1 + nextInt(next, 3);
  for (let i = 0; i < count; i++) {
    const lab = next() < 0.65 && pack.recognition.validity.length > 0;
    const source = next() < 0.7 ? hospital : pick(HOSPITALS, next);
    if (lab) {
      const v = pick(pack.recognition.validity, next);
      const inside = next() < 0.7;
      const age = inside ? nextInt(next, v.days + 1) : v.days + 1 + nextInt(next, 60);
      results.push({ id: `${c.id}-r${i + 1}`, caseId: c.id, materialId: materials[2]!.id, item: v.item, itemCode: `LAB-${v.id.toUpperCase()}`, category: '检验', validityId: v.id, sourceInstitution: source, sourceInstitutionCode: hospitalCode(pack, source), reportNo: `R${String(nextInt(next, 1e8)).padStart(8, '0')}`, reportDate: addDays(c.receivedOn, -age), hrMark: hrMark(pack, next) });
    } else {
      const im = pick(IMAGING, next);
      results.push({ id: `${c.id}-r${i + 1}`, caseId: c.id, materialId: materials[2]!.id, item: im.item, itemCode: im.code, category: im.category, validityId: null, sourceInstitution: source, sourceInstitutionCode: hospitalCode(pack, source), reportNo: `R${String(nextInt(next, 1e8)).padStart(8, '0')}`, reportDate: addDays(c.receivedOn, -nextInt(next, 120)), hrMark: hrMark(pack, next) });
    }
  }
  // The report is dated by its latest result, as a lab prints it.
  const latest = results.map((r) => r.reportDate).sort().at(-1);
  if (latest) materials[2] = { ...materials[2]!, documentDate: latest };
  return { materials, results };
}
