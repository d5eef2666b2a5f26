/**
 * Materials of an application (002 申报材料), checked all at once so that the applicant gets one
 * notice listing everything missing or invalid (000/003 一次性告知).
 */
import { addMonths, isIsoDate, type IsoDate } from '../time';
import { findDisease } from './diseases';
import type { PolicyPack } from './schema';
import { sourceLabel, type SourceRef } from './source';

export interface MaterialFacts {
  id: string;
  /** The domain's material kinds (src/shared/domain/material.ts); only some are checked here. */
  kind: 'identity' | 'medical-record' | 'exam-report' | 'treatment-record' | 'off-site-form' | 'other';
  fileName?: string;
  sizeBytes: number;
  /** For medical records: the disease it supports. */
  diseaseCode?: string;
  recordKind?: 'inpatient' | 'outpatient';
  /** Discharge date of an inpatient record, visit date of an outpatient one. */
  recordDate?: IsoDate;
  /** Stamped by the treating hospital; only an explicit false is reported. */
  stamped?: boolean;
}

export interface ApplicationFacts {
  diseaseCodes: readonly string[];
  materials: readonly MaterialFacts[];
  /** Registered as living long-term in another region (异地长期居住备案). */
  offSiteResident: boolean;
}

export type MaterialIssueCode =
  | 'unknown-disease'
  | 'missing-identity'
  | 'missing-record'
  | 'duplicate-record'
  | 'record-for-other-disease'
  | 'record-kind-missing'
  | 'record-undated'
  | 'record-in-future'
  | 'record-too-old'
  | 'record-not-stamped'
  | 'total-size-exceeded'
  | 'missing-offsite-form';

export interface MaterialIssue {
  code: MaterialIssueCode;
  message: string;
  source: string;
  materialId?: string;
  diseaseCode?: string;
}

const MB = 1024 * 1024;
/** Rounded up, so that 15 MB and 1 byte never reads as 15.0 MB. */
const mb = (bytes: number): string => `${(Math.ceil((bytes / MB) * 10) / 10).toFixed(1)} MB`;
const KIND_LABEL = { inpatient: '住院', outpatient: '门诊' } as const;

function checkRecord(pack: PolicyPack, m: MaterialFacts, name: string, onDate: IsoDate, add: (i: Omit<MaterialIssue, 'source'>, s: SourceRef) => void): void {
  const rules = pack.materials;
  const at = { materialId: m.id, diseaseCode: m.diseaseCode };
  const label = m.fileName ? `“${m.fileName}”` : '';
  if (rules.stampRequired.value && m.stamped === false) {
    add({ code: 'record-not-stamped', message: `${name}病历${label}未加盖经治医疗机构印章`, ...at }, rules.stampRequired.source);
  }
  const windows = rules.recordWindowMonths;
  if (!windows) return;
  if (!m.recordKind) {
    add({ code: 'record-kind-missing', message: `${name}病历${label}未注明是住院还是门诊病历`, ...at }, windows.inpatient.source);
    return;
  }
  const window = windows[m.recordKind];
  if (!m.recordDate || !isIsoDate(m.recordDate)) {
    add({ code: 'record-undated', message: `${name}${KIND_LABEL[m.recordKind]}病历${label}缺少有效的就诊（出院）日期`, ...at }, window.source);
    return;
  }
  if (m.recordDate > onDate) {
    add({ code: 'record-in-future', message: `${name}病历${label}日期 ${m.recordDate} 晚于申请日期`, ...at }, window.source);
    return;
  }
  const oldest = addMonths(onDate, -window.value);
  if (m.recordDate < oldest) {
    const span = window.value % 12 === 0 ? `${window.value / 12} 年` : `${window.value} 个月`;
    add(
      { code: 'record-too-old', message: `${name}${KIND_LABEL[m.recordKind]}病历${label}日期 ${m.recordDate} 超过近 ${span}（应不早于 ${oldest}）`, ...at },
      window.source,
    );
  }
}

/** Every missing or invalid item of an application on the given date; empty when complete. */
export function checkMaterials(pack: PolicyPack, application: ApplicationFacts, onDate: IsoDate): MaterialIssue[] {
  const rules = pack.materials;
  const issues: MaterialIssue[] = [];
  const add = (i: Omit<MaterialIssue, 'source'>, s: SourceRef) => issues.push({ ...i, source: sourceLabel(s) });
  const records = application.materials.filter((m) => m.kind === 'medical-record');
  const applied = [...new Set(application.diseaseCodes)];

  if (rules.identityRequired.value && !application.materials.some((m) => m.kind === 'identity')) {
    add({ code: 'missing-identity', message: '缺少本人身份证或社保卡复印件' }, rules.identityRequired.source);
  }

  for (const code of applied) {
    const ref = findDisease(pack, code);
    if (!ref) {
      issues.push({ code: 'unknown-disease', message: `病种代码 ${code} 不在本地区目录中`, source: pack.id, diseaseCode: code });
      continue;
    }
    const mine = records.filter((m) => m.diseaseCode === code);
    if (mine.length === 0) {
      add({ code: 'missing-record', message: `缺少“${ref.name}”的病历资料`, diseaseCode: code }, rules.onePerDisease.source);
    } else if (mine.length > 1 && rules.onePerDisease.value) {
      add(
        { code: 'duplicate-record', message: `“${ref.name}”上传了 ${mine.length} 份病历，每个病种只需一份`, diseaseCode: code },
        rules.onePerDisease.source,
      );
    }
    for (const m of mine) checkRecord(pack, m, `“${ref.name}”的`, onDate, add);
  }

  for (const m of records) {
    if (m.diseaseCode === undefined || !applied.includes(m.diseaseCode)) {
      const which = m.diseaseCode ? `病种 ${m.diseaseCode}` : '未指明病种';
      add({ code: 'record-for-other-disease', message: `病历${m.fileName ? `“${m.fileName}”` : ''}对应${which}，不在本次申请病种中`, materialId: m.id }, rules.onePerDisease.source);
    }
  }

  const total = application.materials.reduce((sum, m) => sum + m.sizeBytes, 0);
  if (rules.maxTotalBytes && total > rules.maxTotalBytes.value) {
    add(
      { code: 'total-size-exceeded', message: `上传材料合计 ${mb(total)}，超过 ${mb(rules.maxTotalBytes.value)} 的上限` },
      rules.maxTotalBytes.source,
    );
  }

  if (rules.offSiteForm.value && application.offSiteResident && !application.materials.some((m) => m.kind === 'off-site-form')) {
    add({ code: 'missing-offsite-form', message: '已办理异地长期居住备案，须上传异地长期居住备案表' }, rules.offSiteForm.source);
  }
  return issues;
}
