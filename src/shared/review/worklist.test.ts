import { describe, expect, it } from 'vitest';
import type { WorkItem } from '../domain/work-item';
import { compareByDeadline, matchesQuery, parseSearch, planQuery } from './worklist';

const item = (over: Partial<WorkItem>): WorkItem => ({
  id: 'a1',
  caseId: 'c1',
  personId: 'p1',
  assigneeId: 'd1',
  stage: 'initial',
  stageLabel: '初审',
  tieBreak: false,
  state: 'offered',
  personName: '林演示',
  certNo: '14010519900101123X',
  psnNo: '14000000000000000001',
  diseaseCode: 'M01600',
  diseaseName: '糖尿病（合并严重并发症）',
  caseKind: 'first',
  offeredAt: '2025-06-03T01:00:00.000Z',
  acceptBy: '2025-06-05T01:00:00.000Z',
  receivedOn: '2025-06-03',
  dueOn: '2025-07-01', dueAwaits: null, dueProvisional: false,
  paused: [],
  deadlineAt: '2025-06-05T01:00:00.000Z',
  ...over,
});

describe('worklist search', () => {
  it('digits (and a final X) search ID numbers and psn_no; anything else searches names', () => {
    expect(parseSearch('1401')).toEqual({ kind: 'number', value: '1401' });
    expect(parseSearch(' 14010519900101123x ')).toEqual({ kind: 'number', value: '14010519900101123X' });
    expect(parseSearch('１４０１')).toEqual({ kind: 'number', value: '1401' });
    expect(parseSearch('林演')).toEqual({ kind: 'name', value: '林演' });
    expect(parseSearch('林')).toBeNull();
    expect(parseSearch(undefined)).toBeNull();
  });

  it('matches by name prefix, ID number prefix or psn_no prefix', () => {
    const row = item({});
    expect(matchesQuery(row, { assigneeId: 'd1', search: '林演' })).toBe(true);
    expect(matchesQuery(row, { assigneeId: 'd1', search: '演示' })).toBe(false);
    expect(matchesQuery(row, { assigneeId: 'd1', search: '140105' })).toBe(true);
    expect(matchesQuery(row, { assigneeId: 'd1', search: '14000000' })).toBe(true);
    expect(matchesQuery(row, { assigneeId: 'd2', search: '林演' })).toBe(false);
  });
});

describe('worklist filters and index plan', () => {
  it('uses the most selective compound index, bounded by the deadline', () => {
    expect(planQuery({ assigneeId: 'd1' })).toEqual({ index: '[assigneeId+deadlineAt]', lower: ['d1', ''], upper: ['d1', '\uffff'], sorted: true });
    expect(planQuery({ assigneeId: 'd1', stage: 'final', diseaseCode: 'M01600' }, '2025-06-08T15:59:59.999Z')).toMatchObject({
      index: '[assigneeId+stage+deadlineAt]',
      upper: ['d1', 'final', '2025-06-08T15:59:59.999Z'],
    });
    expect(planQuery({ assigneeId: 'd1', diseaseCode: 'M01600' }).index).toBe('[assigneeId+diseaseCode+deadlineAt]');
    expect(planQuery({ assigneeId: 'd1', state: 'offered' }).index).toBe('[assigneeId+state+deadlineAt]');
    expect(planQuery({ assigneeId: 'd1', search: '林演', stage: 'final' })).toMatchObject({ index: 'personName', prefix: '林演' });
    expect(planQuery({ assigneeId: 'd1', search: '1401' })).toMatchObject({ index: 'certNo', alsoPsnNo: true });
  });

  it('applies every filter per row', () => {
    const row = item({});
    expect(matchesQuery(row, { assigneeId: 'd1', stage: 'initial', diseaseCode: 'M01600', state: 'offered' })).toBe(true);
    expect(matchesQuery(row, { assigneeId: 'd1', stage: 'final' })).toBe(false);
    expect(matchesQuery(row, { assigneeId: 'd1', diseaseCode: 'M03900' })).toBe(false);
    expect(matchesQuery(row, { assigneeId: 'd1', state: 'accepted' })).toBe(false);
  });

  it('sorts by deadline either way, ties by id', () => {
    const rows = [item({ id: 'b', deadlineAt: '2025-06-04T00:00:00.000Z' }), item({ id: 'a', deadlineAt: '2025-06-04T00:00:00.000Z' }), item({ id: 'c', deadlineAt: '2025-06-01T00:00:00.000Z' })];
    expect([...rows].sort(compareByDeadline()).map((r) => r.id)).toEqual(['c', 'a', 'b']);
    expect([...rows].sort(compareByDeadline('desc')).map((r) => r.id)).toEqual(['b', 'a', 'c']);
  });
});
