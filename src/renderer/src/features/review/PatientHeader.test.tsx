// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import shanxiJson from '../../../../../resources/policy/shanxi-2025.json';
import { fixClock } from '../../../../../test/fixtures/clock';
import { caseRow, person, REVIEW_NOW } from '../../../../../test/fixtures/review-case';
import { parsePolicyPack } from '../../../../shared/policy';
import { PatientHeader } from './PatientHeader';
import { caseAwaitingMap } from '../../hospital/case-commands';
import type { DeskCommand } from '../../hospital/desk-commands';

const conclusion = (patch: Partial<DeskCommand> = {}): DeskCommand => ({
  id: 'cmd-1', seq: 1, kind: 'case.conclude', at: REVIEW_NOW.toISOString(), payload: { assignmentId: 'a-1', conclusion: { verdict: 'reject', reason: '未见并发症证据' }, criteriaMet: [] },
  userId: 'dr-me', caseId: caseRow.id, state: 'pending', reason: null, value: undefined, attempts: 0, lastError: null, answeredAt: null, ...patch,
});
const decided = { ...caseRow, status: 'decided' as const, stage: null, result: 'rejected' as const, decidedAt: REVIEW_NOW.toISOString() };

// The header shows the person's age today: render it at the fixtures' instant, not the machine's.
let restoreClock: () => void;
beforeEach(() => {
  restoreClock = fixClock(REVIEW_NOW);
});
afterEach(() => {
  cleanup();
  restoreClock();
});

describe('PatientHeader', () => {
  it('names both diseases of an exclusion conflict and the rule’s source', () => {
    const parsed = parsePolicyPack(shanxiJson);
    if (!parsed.ok) throw new Error('pack');
    render(<PatientHeader pack={parsed.pack} caseRow={{ ...caseRow, diseaseCode: 'M90104', diseaseName: '慢性肾功能不全（CKD 3-5期）' }} person={person} heldCodes={['M90021']} />);
    expect(screen.getByText('尿毒症透析')).toBeTruthy();
    expect(document.body.textContent).not.toContain(person.certNo);
    expect(screen.getByText(/互斥病种：申请的「慢性肾功能不全（CKD 3-5期）」与已有的「尿毒症透析」不能同时享受（规则来源：004）/)).toBeTruthy();
  });

  it('a decision made on this desk and not yet applied by the server reads as waiting, not as 已办结', () => {
    const parsed = parsePolicyPack(shanxiJson);
    if (!parsed.ok) throw new Error('pack');
    const awaiting = caseAwaitingMap([conclusion()]).get(caseRow.id)!;
    render(<PatientHeader pack={parsed.pack} caseRow={decided} person={person} heldCodes={[]} awaiting={awaiting} />);
    expect(document.body.textContent).not.toContain('已办结');
    expect(screen.getByTestId('case-awaiting').textContent).toBe('结论待服务器确认');
    expect(screen.queryByTestId('case-status')).toBeNull();
    expect(document.body.textContent).toContain('结论尚未经院内服务器确认');
  });

  it('once applied (no command waiting) the case reads 已办结; a refusal is shown with the server’s reason', () => {
    const parsed = parsePolicyPack(shanxiJson);
    if (!parsed.ok) throw new Error('pack');
    render(<PatientHeader pack={parsed.pack} caseRow={decided} person={person} heldCodes={[]} awaiting={null} />);
    expect(screen.getByTestId('case-status').textContent).toBe('已办结');
    cleanup();
    const refused = caseAwaitingMap([conclusion({ state: 'refused', reason: '该分配已逾期，案件已重新分配给其他认定医师' })]).get(caseRow.id)!;
    render(<PatientHeader pack={parsed.pack} caseRow={caseRow} person={person} heldCodes={[]} awaiting={refused} />);
    const alert = screen.getByTestId('case-refused');
    expect(alert.textContent).toContain('提交审核结论未被服务器接受：该分配已逾期，案件已重新分配给其他认定医师');
    expect(alert.textContent).toContain('结论 不符合：未见并发症证据');
    expect(screen.getByTestId('case-status').textContent).not.toBe('已办结');
  });
});
