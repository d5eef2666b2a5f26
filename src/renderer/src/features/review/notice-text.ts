import type { CaseRow } from '../../../../shared/domain/case';
import { maskCertNo } from '../../../../shared/domain/insured';
import type { Conclusion } from '../../../../shared/domain/review';

/**
 * The one-time notice (一次性告知, 000/003) for a 需补充材料 conclusion: every missing item in
 * one list, so the applicant completes the application in a single visit.
 */
export function missingMaterialsNotice(caseRow: Pick<CaseRow, 'personName' | 'certNo' | 'diseaseName'>, items: readonly string[], institutionName?: string): string {
  const lines = [
    '门诊慢特病认定材料一次性告知书',
    `${caseRow.personName}（身份证号 ${maskCertNo(caseRow.certNo)}）：`,
    `您申请的门诊慢特病「${caseRow.diseaseName}」认定，经审核尚需补充以下 ${items.length} 项材料，请一次性补齐后重新提交：`,
    ...items.map((text, i) => `${i + 1}. ${text}`),
    '补充材料期间不计入办结时限。',
  ];
  if (institutionName) lines.push(institutionName);
  return lines.join('\n');
}

export const VERDICT_LABELS: Record<Conclusion['verdict'], string> = {
  approve: '符合',
  reject: '不符合',
  'materials-missing': '需补充材料',
};
