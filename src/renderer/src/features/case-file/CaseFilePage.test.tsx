// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixClock } from '../../../../../test/fixtures/clock';
import { randomPack } from '../../../../../test/fixtures/review-packs';
import type { CaseRow } from '../../../../shared/domain/case';
import type { Certification } from '../../../../shared/domain/certification';
import type { InsuredPerson } from '../../../../shared/domain/insured';
import type { Assignment, Review } from '../../../../shared/domain/review';
import type { FilingRow } from '../../../../shared/hospital/filings';
import { getDb } from '../../db/db';
import CaseFilePage from './CaseFilePage';
import { caseFileRoute } from './case-file-route';

// Invented person (9xx sequence); the ID number must never appear in clear on the page.
const CERT_NO = '41020219750312901X';
const person: InsuredPerson = { id: 'p-demo-1', psnNo: 'P4102000000001', certType: '01', certNo: CERT_NO, name: '周演示', gender: 'female', birthDate: '1975-03-12', insutype: '390', regionCode: '410202', offSiteResident: false, createdAt: '2025-01-01T00:00:00.000Z' };
const caseRow: CaseRow = {
  id: 'c-1', personId: person.id, personName: person.name, certNo: CERT_NO, psnNo: person.psnNo!, insutype: '390', regionCode: '410202', diseaseCode: 'M03900', diseaseName: '高血压病', kind: 'first', channel: 'assisted',
  submittedAt: '2025-03-01T01:00:00.000Z', receivedOn: '2025-03-01', status: 'decided', stage: null, stageLabel: '已办结', tieBreak: false, dueOn: '2025-03-28', dueAwaits: null, dueProvisional: false, deadlineAt: '9999-12-31T23:59:59.999Z',
  paused: [], result: 'approved', decidedAt: '2025-03-06T02:00:00.000Z', updatedAt: '2025-03-06T02:00:00.000Z',
};
const assignment: Assignment = {
  id: 'a-1', caseId: 'c-1', stage: 'first', tieBreak: false, reviewerId: 'dr-1', draw: { mode: 'random', seed: 42, candidates: ['dr-1', 'dr-2'], excluded: [], ineligible: [], chosen: ['dr-1'] },
  offeredAt: '2025-03-01T02:00:00.000Z', acceptBy: '2025-03-03T02:00:00.000Z', state: 'completed', acceptedAt: '2025-03-01T03:00:00.000Z', closedAt: '2025-03-02T02:00:00.000Z', refusalReason: null, replaces: null,
};
const review: Review = { id: 'r-1', caseId: 'c-1', assignmentId: 'a-1', stage: 'first', tieBreak: false, reviewerId: 'dr-1', reviewerName: '钱医师', conclusion: { verdict: 'approve' }, criteriaMet: [], at: '2025-03-02T02:00:00.000Z', auditSeq: 12 };
// The hospital server's message for the filing, as the 医保办's desk pulls it: refused by the platform.
const rejected: FilingRow = {
  id: 'fl-1', kind: 'filing', infno: '2503', batchId: 'b-1', certificationId: 'cert-1', caseId: 'c-1', psnNo: person.psnNo!, psnName: person.name, summary: '高血压病 2025-03-06 起', diseaseName: '高血压病', platform: 'demo',
  phase: 'rejected', reason: '参保人参保状态异常', serial: null, sends: 1, nextAttemptAt: null, queuedAt: '2025-03-06T03:00:00.000Z', queuedBy: '孙医保', settledAt: '2025-03-07T02:00:00.000Z', updatedAt: '2025-03-07T02:00:00.000Z',
};
const filing = rejected;
const certification: Certification = {
  id: 'cert-1', caseId: 'c-1', personId: person.id, diseaseCode: 'M03900', diseaseName: '高血压病', certifiedOn: '2025-03-06', begnDate: '2025-03-06', endDate: '2099-03-05', reReviewDueOn: '2099-03-05',
  physicianId: 'dr-1', physicianName: '钱医师', state: 'filing-queued', outboxId: filing.id, updatedAt: '2025-03-06T02:00:00.000Z',
};

function renderPage() {
  return render(
    <ConfigProvider locale={zhCN}>
      <App>
        <CaseFilePage />
      </App>
    </ConfigProvider>,
  );
}

// The file shows what the person holds today: open it at a fixed instant after the case, not on
// the machine's date.
const NOW = new Date('2025-06-16T10:00:00+08:00');
let restoreClock: () => void;
beforeEach(() => {
  restoreClock = fixClock(NOW);
});
afterEach(() => {
  cleanup();
  restoreClock();
});

describe('CaseFilePage', { timeout: 30_000 }, () => {
  it('says plainly that there are no case files yet', async () => {
    window.location.hash = '#/files';
    renderPage();
    expect(await screen.findByText(/尚无参保人档案/, {}, { timeout: 10_000 })).toBeTruthy();
  });

  it('finds a person by ID number and opens their file: header, holdings and the timeline with the platform\'s reason', async () => {
    const db = getDb();
    await db.settings.put({ key: 'policy.activePackId', value: randomPack.id });
    await db.persons.put(person);
    await db.cases.put(caseRow);
    await db.assignments.put(assignment);
    await db.reviews.put(review);
    await db.certifications.put(certification);
    await db.filings.put(rejected);
    await db.physicians.put({ id: 'dr-1', name: '钱医师' } as never);

    window.location.hash = '#/files';
    renderPage();
    const box = await screen.findByLabelText('查找参保人');
    await waitFor(() => expect((box as HTMLInputElement).disabled).toBe(false), { timeout: 10_000 });
    await act(async () => fireEvent.change(box, { target: { value: '4102021975' } }));
    const link = await screen.findByText('周演示', {}, { timeout: 10_000 });
    await act(async () => fireEvent.click(link));
    expect(window.location.hash).toBe(`#${caseFileRoute(person.id)}`);

    const file = await screen.findByTestId('case-file', {}, { timeout: 10_000 });
    await waitFor(() => expect(file.textContent).toContain('时间线'), { timeout: 10_000 });
    const text = file.textContent!;
    expect(text).toContain('410202********901X');
    expect(text).toContain('P4102000000001');
    expect(text).toContain('城乡居民基本医疗保险');
    expect(text).toContain('首次认定申请：高血压病');
    expect(text).toContain('初审分配给 钱医师');
    expect(text).toContain('初审结论：符合');
    expect(text).toContain('提交备案（2503）：高血压病');
    expect(text).toContain('平台拒绝备案：高血压病');
    expect(text).toContain('参保人参保状态异常');
    expect(text).toContain('孙医保');
    expect(text).toContain('复审期限：高血压病');
    expect(screen.getAllByText('被拒绝').length).toBeGreaterThan(0);
    expect(document.body.textContent).not.toContain(CERT_NO);
  });

  it('opens a deep link #/files/<personId> directly, and says so when the person is unknown', async () => {
    window.location.hash = `#${caseFileRoute(person.id)}`;
    renderPage();
    expect(await screen.findByText('初审结论：符合', {}, { timeout: 10_000 })).toBeTruthy();
    cleanup();
    window.location.hash = `#${caseFileRoute('nobody')}`;
    renderPage();
    expect(await screen.findByText(/本机没有这位参保人的档案/, {}, { timeout: 10_000 })).toBeTruthy();
  });

  it('a decision this desk made and the server has not applied is not shown as 办结: the case stays in progress, waiting for the server', async () => {
    const db = getDb();
    await db.deskCommands.put({
      id: 'cmd-c1', seq: 1, kind: 'case.conclude', at: review.at, payload: { assignmentId: 'a-1', conclusion: { verdict: 'approve' }, criteriaMet: [] }, userId: 'dr-1', caseId: 'c-1',
      state: 'pending', reason: null, value: undefined, attempts: 0, lastError: null, answeredAt: null,
    });
    window.location.hash = `#${caseFileRoute(person.id)}`;
    renderPage();
    const file = await screen.findByTestId('case-file', {}, { timeout: 10_000 });
    await waitFor(() => expect(file.textContent).toContain('本工作站的结果：高血压病认定通过'), { timeout: 10_000 });
    expect(file.textContent).not.toContain('办结：高血压病');
    expect(file.querySelector('.case-file-open-awaiting')?.textContent).toContain('结论待服务器确认');
    // Only what the conclusion made is marked, not the steps the server had already recorded before it.
    const events = screen.getAllByTestId('case-file-event');
    expect(events.find((e) => e.textContent?.includes('本工作站的结果'))!.querySelector('[data-testid="case-awaiting"]')).toBeTruthy();
    expect(events.find((e) => e.textContent?.includes('首次认定申请'))!.querySelector('[data-testid="case-awaiting"]')).toBeNull();
    // The server applied it: the file reads as decided.
    await act(async () => db.deskCommands.update('cmd-c1', { state: 'applied' }));
    await waitFor(() => expect(file.textContent).toContain('办结：高血压病认定通过'), { timeout: 10_000 });
    expect(file.textContent).not.toContain('待服务器确认');
    await db.deskCommands.clear();
  });
});
