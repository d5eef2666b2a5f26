/**
 * What a demo scan says: the text of an invented 出院记录 / 门诊病历 or 检查检验报告单 for a
 * case, laid out as lines. The renderer draws it on a canvas (a scanned page); the text is
 * decided here so it is the same in every runtime and testable.
 */
import type { CaseRow } from '../domain/case';
import type { InsuredPerson } from '../domain/insured';
import { maskCertNo } from '../domain/insured';
import type { Material, OutsideResult } from '../domain/material';

export interface DemoDocument {
  title: string;
  /** Printed at the top: the issuing hospital. */
  institution: string;
  /** Label–value pairs in the header block. */
  header: readonly [string, string][];
  /** Body lines; a line starting with '【' is a section heading. */
  lines: readonly string[];
  /** Text in the red stamp (002: records must carry the treating hospital's stamp). */
  stamp: string | null;
  footer: string;
}

/** Ideographic space: how Chinese forms separate fields on one line. */
const GAP = '\u3000';

const GENDER: Record<InsuredPerson['gender'], string> = { male: '男', female: '女' };

function age(person: InsuredPerson, on: string): number {
  const [y, m, d] = on.split('-').map(Number) as [number, number, number];
  const [by, bm, bd] = person.birthDate.split('-').map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}

/** Invented but plausible values for the items the demo uses; anything else reads 见附图. */
const VALUES: Readonly<Record<string, string>> = {
  电解质: '钾 4.1 mmol/L　钠 139 mmol/L　氯 101 mmol/L',
  血清蛋白: '总蛋白 66 g/L　白蛋白 38 g/L',
  血糖: '空腹血糖 9.8 mmol/L ↑',
  血脂: '总胆固醇 5.9 mmol/L ↑　甘油三酯 2.1 mmol/L ↑',
  胆红素: '总胆红素 15.2 μmol/L',
  糖化血红蛋白: 'HbA1c 8.6 % ↑',
};

/** The document for one material of a case (identity copies are images the desk scans, not generated here). */
export function demoDocument(material: Material, c: CaseRow, person: InsuredPerson, results: readonly OutsideResult[]): DemoDocument {
  const date = material.documentDate ?? c.receivedOn;
  const header: [string, string][] = [
    ['姓名', person.name],
    ['性别', GENDER[person.gender]],
    ['年龄', `${age(person, date)} 岁`],
    ['身份证号', maskCertNo(person.certNo)],
    [material.recordType === 'inpatient' ? '出院日期' : '日期', date],
  ];
  const institution = material.sourceInstitution || '演示市第一人民医院';
  if (material.kind === 'exam-report') {
    const mine = results.filter((r) => r.materialId === material.id);
    const lines = ['【检查检验结果】', ...mine.flatMap((r) => [`${r.item}（${r.category}）${GAP}报告日期 ${r.reportDate}${GAP}${r.hrMark ? `互认标识 ${r.hrMark}` : '无互认标识'}`, `${GAP}${GAP}${VALUES[r.item] ?? '结果见附图，未见明显异常'}`]), '【备注】', '本报告仅对所检标本负责。'];
    return { title: '检查检验报告单', institution, header, lines, stamp: material.stamped ? `${institution}检验科` : null, footer: '演示数据　虚构人员　不作诊疗依据' };
  }
  const inpatient = material.recordType === 'inpatient';
  const lines = [
    inpatient ? '【入院情况】' : '【主诉】',
    inpatient ? `患者因“${c.diseaseName}”相关症状加重入院。` : `${c.diseaseName}病史多年，近期复诊。`,
    '【诊疗经过】',
    '完善相关检查，予规范药物治疗，病情稳定。',
    '【诊断】',
    `1. ${c.diseaseName}`,
    inpatient ? '【出院医嘱】' : '【处理】',
    '规律用药，定期复查，不适随诊。',
  ];
  return { title: inpatient ? '出院记录' : '门诊病历', institution, header, lines, stamp: material.stamped ? `${institution}医务科` : null, footer: '演示数据　虚构人员　不作诊疗依据' };
}
