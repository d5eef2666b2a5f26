import { describe, expect, it } from 'vitest';
import { commandIds } from '../../../shared/cases/context';
import { caseAwaitingMap, madeByCommand } from './case-commands';
import type { DeskCommand } from './desk-commands';

const AT = '2026-06-16T01:00:00.000Z';
let seq = 0;
const cmd = (patch: Partial<DeskCommand>): DeskCommand => ({
  id: `cmd-${++seq}`, seq, kind: 'case.conclude', at: AT, payload: {}, userId: 'dr-1', caseId: 'c-1', state: 'pending', reason: null, value: undefined, attempts: 0, lastError: null, answeredAt: null, ...patch,
});

describe('caseAwaitingMap', () => {
  it('says a case with a conclusion not yet applied waits for the server', () => {
    const m = caseAwaitingMap([cmd({ kind: 'offer.accept' }), cmd({ kind: 'case.conclude' })]);
    expect(m.get('c-1')).toMatchObject({ state: 'pending', kind: 'case.conclude', label: '结论待服务器确认', reason: null });
  });

  it('a refusal speaks with its reason, but a pending command on the same case speaks first', () => {
    const refused = cmd({ caseId: 'c-2', state: 'refused', reason: '该分配已逾期并重新分配' });
    expect(caseAwaitingMap([refused]).get('c-2')).toMatchObject({ state: 'refused', label: '提交审核结论未被服务器接受', reason: '该分配已逾期并重新分配' });
    expect(caseAwaitingMap([refused, cmd({ caseId: 'c-2', kind: 'offer.accept' })]).get('c-2')).toMatchObject({ state: 'pending', label: '受理待服务器确认' });
  });

  it('ignores settled commands, commands without a case and kinds that do not move a case', () => {
    const m = caseAwaitingMap([
      cmd({ caseId: 'c-3', state: 'applied' }),
      cmd({ caseId: 'c-4', state: 'acknowledged', reason: 'x' }),
      cmd({ caseId: null, kind: 'user.create' }),
      cmd({ caseId: 'c-5', kind: 'recognition.record' }),
      cmd({ caseId: 'c-6', kind: 'material.attach' }),
    ]);
    expect(m.size).toBe(0);
  });

  it('knows the rows a waiting command made on the desk by their ids, and lists every waiting command of the case', () => {
    const id = 'cmd-0f8e4a52-3c1d-4b7a-9e21-5d6c7b8a9f10';
    const m = caseAwaitingMap([cmd({ caseId: 'c-7', kind: 'offer.accept' }), cmd({ id, caseId: 'c-7' })]);
    const a = m.get('c-7')!;
    expect(a.pending.map((p) => p.kind)).toEqual(['offer.accept', 'case.conclude']);
    expect(madeByCommand(a, `${commandIds(id)('rev')}:review`)).toBe(true);
    expect(madeByCommand(a, 'rev-1:review')).toBe(false);
  });
});
