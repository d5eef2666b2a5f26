import { describe, expect, it } from 'vitest';
import { cal, randomPack } from '../../../test/fixtures/review-packs';
import type { CaseRow } from '../domain/case';
import { completionDue, dueFields } from './deadlines';
import { endSupplement, startSupplement } from './supplement';

const now = new Date('2025-03-10T02:00:00.000Z');
const c: CaseRow = {
  id: 'c1', personId: 'p1', personName: '林演示', certNo: '140105199001011234', psnNo: '', insutype: '310', regionCode: '140105', diseaseCode: 'M01600', diseaseName: '糖尿病',
  kind: 'first', channel: 'assisted', submittedAt: '2025-03-03T01:00:00.000Z', receivedOn: '2025-03-03', status: 'in-review', stage: 'first', stageLabel: '初审', tieBreak: false,
  dueOn: '2025-03-31', dueAwaits: null, dueProvisional: false, deadlineAt: '2025-03-31T15:59:59.999Z', paused: [], result: null, decidedAt: null, updatedAt: '2025-03-03T01:00:00.000Z',
};

describe('supplement time (003 第八条: not counted toward the 20 working days of 002)', () => {
  it('stops the clock, then moves the due day by the working days paused', () => {
    expect(dueFields(completionDue(randomPack, cal, '2025-03-03')).dueOn).toBe('2025-03-31');
    const started = startSupplement(c, '2025-03-10', now);
    expect(started).toMatchObject({ ok: true, caseRow: { status: 'supplementing', dueOn: null, dueAwaits: null, dueProvisional: false, deadlineAt: '9999-12-31T23:59:59.999Z', paused: [{ from: '2025-03-10', to: '2025-03-10' }] } });
    if (!started.ok) return;
    const ended = endSupplement(randomPack, cal, started.caseRow, '2025-03-14', 'in-review', now);
    // Mon 10 – Fri 14 March paused: five working days later, across the Qingming holiday (4–6 April).
    expect(ended).toMatchObject({ ok: true, caseRow: { status: 'in-review', paused: [{ from: '2025-03-10', to: '2025-03-14' }], dueOn: '2025-04-08', dueAwaits: null, dueProvisional: false, deadlineAt: '2025-04-08T15:59:59.999Z' } });
  });

  it('refuses what makes no sense', () => {
    expect(startSupplement({ ...c, status: 'decided' }, '2025-03-10', now)).toEqual({ ok: false, message: '案件已办结' });
    expect(startSupplement(c, '2025-03-01', now)).toEqual({ ok: false, message: '暂停日期早于受理日期' });
    expect(endSupplement(randomPack, cal, c, '2025-03-14', 'in-review', now)).toEqual({ ok: false, message: '案件不在补充材料中' });
    const started = startSupplement(c, '2025-03-10', now);
    if (!started.ok) throw new Error(started.message);
    expect(startSupplement(started.caseRow, '2025-03-11', now)).toEqual({ ok: false, message: '已在补充材料中' });
    expect(endSupplement(randomPack, cal, started.caseRow, '2025-03-09', 'in-review', now)).toEqual({ ok: false, message: '补齐日期早于暂停日期' });
  });
});
