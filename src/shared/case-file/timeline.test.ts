import { describe, expect, it } from 'vitest';
import shanxiJson from '../../../resources/policy/shanxi-2025.json';
import { randomPack } from '../../../test/fixtures/review-packs';
import type { CaseRow } from '../domain/case';
import type { Certification } from '../domain/certification';
import type { InsuredPerson } from '../domain/insured';
import type { Assignment, Review } from '../domain/review';
import { parsePolicyPack } from '../policy/parse';
import { caseFile, caseSummary } from './timeline';

const person: InsuredPerson = { id: 'p1', psnNo: null, certType: '01', certNo: '140105199001011234', name: '林演示', gender: 'male', birthDate: '1990-01-01', insutype: '310', regionCode: '140105', offSiteResident: false, createdAt: '2025-01-01T00:00:00.000Z' };
const caseRow = (id: string, code: string, name: string, over: Partial<CaseRow> = {}): CaseRow => ({
  id, personId: 'p1', personName: '林演示', certNo: person.certNo, psnNo: '', insutype: '310', regionCode: '140105', diseaseCode: code, diseaseName: name, kind: 'first', channel: 'assisted',
  submittedAt: '2025-03-01T01:00:00.000Z', receivedOn: '2025-03-01', status: 'in-review', stage: 'first', stageLabel: '初审', tieBreak: false, dueOn: '2025-03-29', deadlineAt: '2025-03-29T15:59:59.999Z',
  paused: [], result: null, decidedAt: null, updatedAt: '2025-03-01T01:00:00.000Z', ...over,
});
const cert = (caseId: string, code: string, name: string, over: Partial<Certification> = {}): Certification => ({
  id: `cert-${caseId}`, caseId, personId: 'p1', diseaseCode: code, diseaseName: name, certifiedOn: '2025-03-10', begnDate: '2025-03-10', endDate: '2027-03-09', reReviewDueOn: '2027-03-09',
  physicianId: 'd1', physicianName: '王演示', state: 'ready', updatedAt: '2025-03-10T02:00:00.000Z', ...over,
} as Certification);

describe('case file timeline (issue 6 point 6)', () => {
  it('002: every step of a case with who made it, newest first, including the draw and a refusal', () => {
    const c = caseRow('c1', 'M01600', '糖尿病', { status: 'decided', stage: null, result: 'approved', decidedAt: '2025-03-10T02:00:00.000Z' });
    const draw = { mode: 'random' as const, seed: 7, candidates: ['d1', 'd2'], excluded: [], ineligible: [], chosen: ['d2'] };
    const assignments: Assignment[] = [
      { id: 'a1', caseId: 'c1', stage: 'first', tieBreak: false, reviewerId: 'd2', draw, offeredAt: '2025-03-01T02:00:00.000Z', acceptBy: '2025-03-03T02:00:00.000Z', state: 'refused', acceptedAt: null, closedAt: '2025-03-01T05:00:00.000Z', refusalReason: '回避', replaces: null },
      { id: 'a2', caseId: 'c1', stage: 'first', tieBreak: false, reviewerId: 'd1', draw: { ...draw, chosen: ['d1'] }, offeredAt: '2025-03-01T05:00:00.000Z', acceptBy: '2025-03-03T05:00:00.000Z', state: 'completed', acceptedAt: '2025-03-01T06:00:00.000Z', closedAt: '2025-03-02T01:00:00.000Z', refusalReason: null, replaces: 'a1' },
    ];
    const reviews: Review[] = [{ id: 'r1', caseId: 'c1', assignmentId: 'a2', stage: 'first', tieBreak: false, reviewerId: 'd1', reviewerName: '王演示', conclusion: { verdict: 'approve' }, criteriaMet: [], at: '2025-03-02T01:00:00.000Z', auditSeq: 3 }];
    const filed = cert('c1', 'M01600', '糖尿病', { state: 'filed', outboxId: 'o1', trtDclaDetlSn: 'SN0001', filedAt: '2025-03-11T02:00:00.000Z' } as Partial<Certification>);
    const file = caseFile(randomPack, { person, cases: [c], assignments, reviews, recognitions: [], certifications: [filed] }, '2025-06-01', new Map([['d1', '王演示'], ['d2', '李演示']]));
    expect(file.events.map((e) => e.kind)).toEqual(['filing', 'certification', 'decision', 'review', 'acceptance', 'offer', 'refusal', 'offer', 'application']);
    expect(file.events.find((e) => e.kind === 'refusal')).toMatchObject({ actor: '李演示', text: '初审拒绝受理：回避' });
    expect(file.events.find((e) => e.kind === 'offer')!.text).toContain('随机抽取（种子 7，候选 2 人）');
    expect(file.events[0]!.text).toBe('备案成功，流水号 SN0001');
    expect(file.held).toHaveLength(1);
    expect(file.held[0]!.reReview).toMatchObject({ kind: 'term', endsOn: '2027-03-09' });
  });

  it('004: an open application that excludes a disease already held is flagged; revoked and expired ones are not held', () => {
    const r = parsePolicyPack(shanxiJson);
    if (!r.ok) throw new Error(r.errors.join());
    const cases = [caseRow('c1', 'M05300', '慢性阻塞性肺疾病', { status: 'decided', result: 'approved' }), caseRow('c2', 'M90112', '肺源性心脏病')];
    const file = caseFile(r.pack, { person, cases, assignments: [], reviews: [], recognitions: [], certifications: [cert('c1', 'M05300', '慢性阻塞性肺疾病')] }, '2025-06-01');
    expect(file.conflicts).toHaveLength(1);
    expect(file.conflicts[0]!.conflicts[0]!.message).toContain('互斥');
    const revoked = cert('c1', 'M05300', '慢性阻塞性肺疾病', { state: 'revoked', trtDclaDetlSn: 'SN1', revokedAt: '2025-04-01T00:00:00.000Z', revokeReason: '重复备案' } as Partial<Certification>);
    const later = caseFile(r.pack, { person, cases, assignments: [], reviews: [], recognitions: [], certifications: [revoked] }, '2025-06-01');
    expect(later.conflicts).toEqual([]);
    expect(later.held).toEqual([]);
    expect(later.events.map((e) => e.kind)).toContain('revocation');
  });

  it('summarises a case in one line', () => {
    expect(caseSummary(caseRow('c', 'M01600', '糖尿病'))).toBe('糖尿病：审核中（初审）');
    expect(caseSummary(caseRow('c', 'M01600', '糖尿病', { status: 'decided', result: 'rejected' }))).toBe('糖尿病：不予通过');
  });
});
