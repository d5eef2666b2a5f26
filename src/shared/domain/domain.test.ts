import { describe, expect, it } from 'vitest';
import { caseSchema } from './case';
import { chinaDateOf, endOfChinaDay } from '../time';
import { certificationSchema } from './certification';
import { insuredPersonSchema, maskCertNo } from './insured';
import { outsideResultSchema } from './material';
import { physicianProfileSchema } from './physician';
import { recognitionDecisionSchema } from './recognition';
import { conclusionSchema, drawRecordSchema } from './review';

describe('domain schemas', () => {
  it('masks ID numbers: first 6 and last 4 kept', () => {
    expect(maskCertNo('14010519900101123X')).toBe('140105********123X');
    expect(maskCertNo('abc')).toBe('**c');
  });

  it('China days: a deadline ends at 23:59:59.999 UTC+8', () => {
    expect(endOfChinaDay('2025-06-05')).toBe('2025-06-05T15:59:59.999Z');
    expect(chinaDateOf('2025-06-05T16:00:00.000Z')).toBe('2025-06-06');
    expect(() => endOfChinaDay('2025-13-01')).toThrow(RangeError);
  });

  it('a conclusion: 不符合 needs a reason, 需补充材料 needs at least one item', () => {
    expect(conclusionSchema.safeParse({ verdict: 'approve' }).success).toBe(true);
    expect(conclusionSchema.safeParse({ verdict: 'reject', reason: ' ' }).success).toBe(false);
    expect(conclusionSchema.safeParse({ verdict: 'materials-missing', missingItems: [] }).success).toBe(false);
    expect(conclusionSchema.safeParse({ verdict: 'materials-missing', missingItems: ['sx-s01-m1'] }).success).toBe(true);
  });

  it('a repeat needs a reason code and the patient told (国卫医发〔2022〕6号)', () => {
    expect(recognitionDecisionSchema.safeParse({ decision: 'recognised' }).success).toBe(true);
    expect(recognitionDecisionSchema.safeParse({ decision: 'repeated', reasonCode: 'condition-changed', patientInformed: false }).success).toBe(false);
    expect(recognitionDecisionSchema.safeParse({ decision: 'repeated', reasonCode: 'condition-changed', patientInformed: true }).success).toBe(true);
  });

  it('a random draw record keeps seed and candidates; a filed certification keeps its serial', () => {
    expect(drawRecordSchema.safeParse({ mode: 'random', seed: 2 ** 32, candidates: [], excluded: [], ineligible: [], chosen: [] }).success).toBe(false);
    const cert = { id: 'x', caseId: 'c', personId: 'p', diseaseCode: 'M01600', diseaseName: '糖尿病', certifiedOn: '2025-06-10', begnDate: '2025-06-10', endDate: null, reReviewDueOn: null, physicianId: 'd', physicianName: '王演示', updatedAt: '2025-06-10T01:00:00.000Z' };
    expect(certificationSchema.safeParse({ ...cert, state: 'filed', outboxId: 'o1', filedAt: '2025-06-10T01:00:00.000Z' }).success).toBe(false);
    expect(certificationSchema.safeParse({ ...cert, state: 'ready' }).success).toBe(true);
  });

  it('rows keep their shape', () => {
    expect(insuredPersonSchema.safeParse({ id: 'p', psnNo: null, certType: '01', certNo: '14010519900101123X', name: '林演示', gender: 'male', birthDate: '1990-01-01', insutype: '310', regionCode: '140100', createdAt: '2025-06-01T00:00:00.000Z' }).success).toBe(true);
    expect(caseSchema.shape.psnNo.safeParse('').success).toBe(true);
    expect(outsideResultSchema.safeParse({ id: 'r', caseId: 'c', materialId: null, item: '糖化血红蛋白', itemCode: 'HBA1C', category: '检验', validityId: 'hba1c', sourceInstitution: '演示县人民医院', sourceInstitutionCode: 'H41020000009', reportNo: null, reportDate: '2025-05-01', hrMark: 'HR' }).success).toBe(true);
    expect(physicianProfileSchema.shape.flag.parse(undefined)).toBeNull();
  });
});
