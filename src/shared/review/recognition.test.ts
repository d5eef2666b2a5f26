import { describe, expect, it } from 'vitest';
import { randomPack } from '../../../test/fixtures/review-packs';
import type { CaseRow } from '../domain/case';
import type { OutsideResult } from '../domain/material';
import type { Recognition } from '../domain/recognition';
import { recognitionDataSchema } from '../platform/recognition';
import { recognitionFigures, recognitionMessageData, recordRecognition, repeatReasons, resultStanding } from './recognition';

const result = (over: Partial<OutsideResult> = {}): OutsideResult => ({
  id: 'r1', caseId: 'c1', materialId: 'm3', item: '电解质', itemCode: 'LAB-ELECTROLYTES', category: '检验', validityId: 'electrolytes',
  sourceInstitution: '演示县人民医院', sourceInstitutionCode: 'H41020000003', reportNo: 'R00000001', reportDate: '2025-06-10', hrMark: 'HR', ...over,
});
const caseRow = { id: 'c1', personId: 'p1', personName: '林演示', psnNo: '41020000000000000001', diseaseCode: 'M01600' } as CaseRow;
const doctor = { id: 'd1', department: '内分泌科', name: '王演示', paymentQualifications: [{ code: 'D410200000001', from: '2020-01-01', to: null }] };
const now = new Date('2025-06-18T02:00:00.000Z');

describe('outside results (国卫医发〔2022〕6号; windows are the pack\'s provincial references)', () => {
  it('electrolytes are valid for 7 days: inside on day 7, outside on day 8', () => {
    expect(resultStanding(randomPack, result(), '2025-06-17')).toEqual({ marked: true, windowDays: 7, withinValidity: true, validUntil: '2025-06-17' });
    expect(resultStanding(randomPack, result(), '2025-06-18').withinValidity).toBe(false);
  });

  it('a provincial prefix still counts as the mark; no mark is no mark; imaging has no window', () => {
    expect(resultStanding(randomPack, result({ hrMark: '豫HR' }), '2025-06-11').marked).toBe(true);
    expect(resultStanding(randomPack, result({ hrMark: null }), '2025-06-11').marked).toBe(false);
    expect(resultStanding(randomPack, result({ item: '心脏彩色多普勒超声', category: '超声', validityId: null }), '2025-06-11')).toMatchObject({ windowDays: null, withinValidity: null });
  });

  it('offers the six national repeat reasons first, then the provincial ones', () => {
    const reasons = repeatReasons(randomPack);
    expect(reasons.slice(0, 6).every((r) => r.scope === 'national')).toBe(true);
    expect(reasons.map((r) => r.code)).toContain('condition-changed');
  });
});

describe('recognition log entries', () => {
  it('a repeat needs a pack reason and the patient told', () => {
    const base = { id: 'rec1', result: result(), caseRow, physician: doctor, now };
    expect(recordRecognition(randomPack, { ...base, decision: { decision: 'repeated', reasonCode: 'whim', patientInformed: true } })).toEqual({ ok: false, message: '本地区未规定的重复检查理由：whim' });
    expect(recordRecognition(randomPack, { ...base, decision: { decision: 'repeated', reasonCode: 'condition-changed', patientInformed: false as true } })).toMatchObject({ ok: false });
    const ok = recordRecognition(randomPack, { ...base, decision: { decision: 'repeated', reasonCode: 'condition-changed', patientInformed: true } });
    expect(ok).toMatchObject({ ok: true, recognition: { withinValidity: false, department: '内分泌科', outboxId: null } });
  });

  it('becomes a platform HR01 message that passes the extension\'s field rules', () => {
    for (const decision of [{ decision: 'recognised' as const }, { decision: 'repeated' as const, reasonCode: 'result-too-old', patientInformed: true as const }]) {
      const r = recordRecognition(randomPack, { id: 'rec-1', result: result(), caseRow, physician: doctor, now, decision });
      if (!r.ok) throw new Error(r.message);
      const data = recognitionMessageData(r.recognition, result(), caseRow, doctor);
      const parsed = recognitionDataSchema.safeParse(data);
      expect(parsed.error?.issues).toBeUndefined();
      expect(data).toMatchObject({ exam_type: '2', hr_flag: '1', rcgn_time: '2025-06-18 10:00:00', dr_codg: 'D410200000001' });
    }
  });

  it('figures: recognition rate and repeat reasons per physician and per department', () => {
    const entry = (physicianId: string, department: string, decision: Recognition['decision']): Recognition => ({
      id: `${physicianId}-${Math.random()}`, caseId: 'c', resultId: 'r', personId: 'p', item: '血糖', sourceInstitution: 's', reportDate: '2025-06-01', hrMark: 'HR', withinValidity: true, decision, physicianId, department, at: now.toISOString(), outboxId: null,
    });
    const rep = (code: string) => ({ decision: 'repeated' as const, reasonCode: code, patientInformed: true as const });
    const entries = [entry('d1', '内分泌科', { decision: 'recognised' }), entry('d1', '内分泌科', rep('condition-changed')), entry('d1', '内分泌科', { decision: 'recognised' }), entry('d2', '内分泌科', rep('result-too-old')), entry('d3', '心血管内科', { decision: 'recognised' })];
    const byDoctor = recognitionFigures(entries, 'physician');
    expect(byDoctor[0]).toMatchObject({ key: 'd1', total: 3, recognised: 2, repeated: 1, reasons: [{ code: 'condition-changed', count: 1 }] });
    expect(byDoctor[0]!.rate).toBeCloseTo(2 / 3);
    const byDept = recognitionFigures(entries, 'department');
    expect(byDept.map((f) => [f.key, f.total, f.rate])).toEqual([['内分泌科', 4, 0.5], ['心血管内科', 1, 1]]);
  });
});
