// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixClock } from '../../../../../test/fixtures/clock';
import { cal, institution, randomPack } from '../../../../../test/fixtures/review-packs';
import type { User } from '../../../../shared/domain/user';
import { OFFICE_ASSIGNEE, workItemSchema, type WorkItem } from '../../../../shared/domain/work-item';
import { PROVISIONAL_DUE } from '../../../../shared/review/deadlines';
import { getDb } from '../../db/db';
import { SessionContext } from '../auth/session';
import { loadDemoData } from './demo-loader';
import { INSTITUTION_KEY } from './useReviewContext';
import { DemoDataPanel } from './DemoDataPanel';
import { notifyWorkItemsChanged } from './lapse-sweep';
import WorklistPage from './WorklistPage';

const user: User = { id: 'dr-me', username: 'wang', displayName: '王演示', role: 'physician', passwordHash: 'x', department: '内分泌科', createdAt: '2025-01-01T00:00:00.000Z', createdBy: null, disabled: false };
const officeUser: User = { ...user, id: 'office-me', username: 'zhao', displayName: '赵演示', role: 'office', department: undefined };

/** A 院内复核 item in the 医保办's queue (000): it starts accepted, with no acceptance window. */
const officeItem = (n: number): WorkItem =>
  workItemSchema.parse({
    id: `asg-office-${n}`, caseId: `case-office-${n}`, personId: `person-office-${n}`, assigneeId: OFFICE_ASSIGNEE, stage: 'recheck', stageLabel: '院内复核（医保办）',
    tieBreak: false, state: 'accepted', personName: `复核演示${n}`, certNo: `41010219800101${String(100 + n)}3`, psnNo: '', diseaseCode: 'M01600', diseaseName: '糖尿病',
    caseKind: 'first', offeredAt: '2025-06-20T02:00:00.000Z', acceptBy: null, receivedOn: '2025-06-16', dueOn: '2099-07-14', paused: [], deadlineAt: '2099-07-14T15:59:59.999Z',
  });

/** The worklist runs on a June day of 2026 (the bundled calendars end with 2026)… */
const JUNE = new Date('2026-06-16T10:00:00+08:00');
/** …and, for the turn of the year, on a December day with no 2027 calendar. */
const DECEMBER = new Date('2026-12-15T10:00:00+08:00');
let restoreClock: () => void;

/** An accepted item of another physician's own queue, with the deadline fields given. */
const decemberItem = (n: number, due: Partial<WorkItem>): WorkItem =>
  workItemSchema.parse({
    id: `asg-dec-${n}`, caseId: `case-dec-${n}`, personId: `person-dec-${n}`, assigneeId: 'dr-dec', stage: 'first', stageLabel: '初审',
    tieBreak: false, state: 'accepted', personName: `年末演示${n}`, certNo: `41010219800101${String(200 + n)}3`, psnNo: '', diseaseCode: 'M01600', diseaseName: '糖尿病',
    caseKind: 'first', offeredAt: '2026-12-10T02:00:00.000Z', acceptBy: null, receivedOn: '2026-12-10', paused: [], ...due,
  });

beforeAll(async () => {
  restoreClock = fixClock(JUNE);
  const db = getDb();
  await db.open();
  await db.settings.bulkPut([
    { key: 'policy.activePackId', value: randomPack.id },
    { key: INSTITUTION_KEY, value: institution },
  ]);
  await loadDemoData(db, { pack: randomPack, calendar: cal, institution }, { count: 300, seed: 3, focus: user, now: JUNE, withMaterials: false });
});
afterEach(() => {
  cleanup();
  vi.setSystemTime(JUNE);
});
afterAll(() => restoreClock());

/** Buttons by their text (antd spaces two-character labels: 受 理); role queries are slow on a big table. */
const buttonsNamed = (text: string) => () => {
  const found = [...document.querySelectorAll('button')].filter((b) => b.textContent?.replace(/\s/g, '') === text);
  if (found.length === 0) throw new Error(`no ${text} button yet`);
  return found;
};

function renderPage(page = <WorklistPage />, as: User = user) {
  return render(
    <ConfigProvider locale={zhCN}>
      <App>
        <SessionContext.Provider value={{ user: as, lock: () => undefined, logout: () => undefined }}>
          {page}
        </SessionContext.Provider>
      </App>
    </ConfigProvider>,
  );
}

describe('WorklistPage', { timeout: 40_000 }, () => {
  it('lists the physician\'s cases with stage, masked ID number and live deadlines', async () => {
    renderPage();
    await waitFor(() => expect(screen.getAllByText(/受理剩|办结剩|今日须办结/).length).toBeGreaterThan(0), { timeout: 10_000 });
    expect(screen.getByRole('heading', { name: '待审案件' })).toBeTruthy();
    expect(screen.getByText(/分配后 48 小时内须受理或拒绝/)).toBeTruthy();
    expect(screen.getByText(/A 受理 · R 拒绝/)).toBeTruthy();
    expect(screen.getAllByText(/^\d{6}\*{8}\d{3}[\dX]$/).length).toBeGreaterThan(0);
    expect(document.body.textContent).not.toMatch(/\d{17}[\dX]/); // no ID number in clear
  });

  it('in December, cases whose deadline reaches 2027 (no calendar yet) read 时限待定 with why, sort after dated ones, and can be filtered', async () => {
    vi.setSystemTime(DECEMBER);
    const db = getDb();
    await db.workItems.bulkPut([
      decemberItem(1, { dueOn: null, dueAwaits: 2027, deadlineAt: '2027-01-06T15:59:59.999Z' }),
      decemberItem(2, { dueOn: '2026-12-29', deadlineAt: '2026-12-29T15:59:59.999Z' }),
      decemberItem(3, { dueOn: null, dueAwaits: 2027, deadlineAt: '2027-01-05T15:59:59.999Z' }),
      decemberItem(4, { dueOn: '2026-12-31', dueProvisional: true, deadlineAt: '2026-12-31T15:59:59.999Z' }),
    ]);
    const dec: User = { ...user, id: 'dr-dec', username: 'dec', displayName: '年末医师' };
    renderPage(<WorklistPage />, dec);
    await screen.findByText('年末演示1', undefined, { timeout: 10_000 });
    // The table is virtual (rows are divs): read the names in the order they are laid out.
    const names = () => [...(document.body.textContent ?? '').matchAll(/年末演示\d/g)].map((m) => m[0]);
    const row = (name: string) => screen.getByText(name).closest('.ant-table-row') as HTMLElement;
    // Dated deadlines first, then those awaiting the calendar by the earliest day they could fall.
    expect(names()).toEqual(['年末演示2', '年末演示4', '年末演示3', '年末演示1']);
    const awaiting = row('年末演示3');
    expect(awaiting.textContent).toContain('时限待定');
    expect(awaiting.textContent).toContain('缺 2027 年日历 · 最早 01-05');
    expect(awaiting.textContent).not.toMatch(/无办结时限|办结剩/);
    expect(awaiting.querySelector('.worklist-deadline')!.getAttribute('title')).toContain('缺少 2027 年节假日日历');
    expect(row('年末演示4').textContent).toContain(PROVISIONAL_DUE);
    expect(row('年末演示2').textContent).toMatch(/办结剩 \d+ 个工作日/);

    await act(async () => fireEvent.click(screen.getByRole('switch', { name: '时限待定' })));
    await waitFor(() => expect(names()).toEqual(['年末演示3', '年末演示1']));
  });

  it('in June the 时限待定 filter is not offered: nothing can be waiting for a calendar', async () => {
    renderPage();
    await waitFor(() => expect(screen.getAllByText(/受理剩|办结剩|今日须办结/).length).toBeGreaterThan(0), { timeout: 10_000 });
    expect(screen.queryByRole('switch', { name: '时限待定' })).toBeNull();
  });

  it('accepts an offered case from its row', async () => {
    renderPage();
    const db = getDb();
    const before = await db.workItems.where('[assigneeId+state+deadlineAt]').between(['dr-me', 'offered', ''], ['dr-me', 'offered', '\uffff']).count();
    const buttons = await waitFor(buttonsNamed('受理'), { timeout: 10_000 });
    await act(async () => fireEvent.click(buttons[0]!));
    await waitFor(async () => expect(await db.workItems.where('[assigneeId+state+deadlineAt]').between(['dr-me', 'offered', ''], ['dr-me', 'offered', '\uffff']).count()).toBe(before - 1), { timeout: 10_000 });
  });

  it('refusing asks for a reason, then hands the case to someone else', async () => {
    renderPage();
    const db = getDb();
    const refuse = await waitFor(buttonsNamed('拒绝'), { timeout: 10_000 });
    await act(async () => fireEvent.click(refuse[0]!));
    const dialog = await screen.findByRole('dialog', {}, { timeout: 10_000 });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: /确认拒绝/ })));
    expect(await within(dialog).findByText('请填写拒绝受理的理由', {}, { timeout: 10_000 })).toBeTruthy();
    fireEvent.change(within(dialog).getByRole('textbox'), { target: { value: '本周外出会诊' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: /确认拒绝/ })));
    await waitFor(async () => expect(await db.assignments.where('[state+acceptBy]').between(['refused', ''], ['refused', '\uffff']).count()).toBe(1), { timeout: 10_000 });
    const refused = (await db.assignments.filter((a) => a.state === 'refused').toArray())[0]!;
    const replacement = await db.assignments.filter((a) => a.replaces === refused.id).toArray();
    expect(refused.refusalReason).toBe('本周外出会诊');
    expect(replacement.length === 0 ? (await db.cases.get(refused.caseId))!.status : replacement[0]!.reviewerId).not.toBe('dr-me');
  });

  it('the 医保办 sees its 院内复核 queue: office items only, no 受理/拒绝, no acceptance window; reloads after a lapse sweep', async () => {
    const db = getDb();
    await db.workItems.bulkPut([officeItem(1), officeItem(2)]);
    renderPage(<WorklistPage />, officeUser);
    await waitFor(() => expect(screen.getByText('复核演示2')).toBeTruthy(), { timeout: 10_000 });
    expect(screen.getByText('复核演示1')).toBeTruthy();
    expect(screen.getByRole('heading', { name: '院内复核' })).toBeTruthy();
    expect(screen.getByText(/认定医师已给出结论、待医保办院内复核的案件/)).toBeTruthy();
    await waitFor(() => expect(screen.getByText('共 2 件')).toBeTruthy(), { timeout: 10_000 });
    // Nothing about offers: the items start accepted.
    const texts = [...document.querySelectorAll('button')].map((b) => b.textContent?.replace(/\s/g, ''));
    expect(texts).not.toContain('受理');
    expect(texts).not.toContain('拒绝');
    expect(texts).toContain('打开');
    expect(document.body.textContent).not.toMatch(/待受理|受理剩|小时内须受理|A 受理/);
    // A and R do nothing here; the list stays as it was.
    const list = screen.getByLabelText('院内复核列表');
    fireEvent.keyDown(list, { key: 'a' });
    fireEvent.keyDown(list, { key: 'r' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(await db.workItems.get('asg-office-1')).toMatchObject({ state: 'accepted', assigneeId: OFFICE_ASSIGNEE });
    // The app-wide lapse sweep says it moved something: the queue is read again.
    await db.workItems.put(officeItem(3));
    await act(async () => notifyWorkItemsChanged(1));
    await waitFor(() => expect(screen.getByText('复核演示3')).toBeTruthy(), { timeout: 10_000 });
  });

  it('a row whose acceptance the server has not applied says so, and conclusions waiting for the server are listed above the table', async () => {
    const db = getDb();
    const item = (await db.workItems.where('[assigneeId+state+deadlineAt]').between(['dr-me', 'accepted', ''], ['dr-me', 'accepted', '\uffff']).first())!;
    const concluded = (await db.cases.filter((c) => c.id !== item.caseId).first())!;
    const base = { at: JUNE.toISOString(), userId: 'dr-me', state: 'pending' as const, reason: null, value: undefined, attempts: 0, lastError: null, answeredAt: null };
    await db.deskCommands.bulkPut([
      { ...base, id: 'cmd-accept', seq: 9001, kind: 'offer.accept', payload: { assignmentId: item.id }, caseId: item.caseId },
      { ...base, id: 'cmd-conclude', seq: 9002, kind: 'case.conclude', payload: { assignmentId: 'a-x', conclusion: { verdict: 'reject', reason: '未见证据' }, criteriaMet: [] }, caseId: concluded.id },
    ]);
    renderPage();
    const note = await screen.findByTestId('awaiting-conclusions', {}, { timeout: 10_000 });
    expect(note.textContent).toContain('1 件案件的结论已保存在本机，待院内服务器确认');
    expect(note.textContent).toContain(`${concluded.personName} · ${concluded.diseaseName}`);
    // Accepted items first: the one with a pending acceptance is the top row.
    await act(async () => fireEvent.click(screen.getByText('审核中', { selector: '.ant-segmented-item-label' })));
    const row = await waitFor(() => {
      const r = screen.getAllByText(item.personName)[0]!.closest('.ant-table-row') as HTMLElement;
      if (!r.textContent?.includes('受理待确认')) throw new Error('not yet');
      return r;
    }, { timeout: 10_000 });
    expect(row.textContent).not.toContain('审核中');
    // The server applied both: the row and the note say nothing more.
    await db.deskCommands.bulkUpdate([{ key: 'cmd-accept', changes: { state: 'applied' } }, { key: 'cmd-conclude', changes: { state: 'applied' } }]);
    await waitFor(() => expect(screen.queryByTestId('awaiting-conclusions')).toBeNull(), { timeout: 10_000 });
    await waitFor(() => expect((screen.getAllByText(item.personName)[0]!.closest('.ant-table-row') as HTMLElement).textContent).toContain('审核中'), { timeout: 10_000 });
    await db.deskCommands.clear();
  });

  it('设置 → 载入演示数据 is for administrators; it adds the chosen number of cases after the existing ones', async () => {
    const db = getDb();
    const before = await db.cases.count();
    renderPage(<DemoDataPanel />);
    expect(screen.getByText(/只有管理员可以载入或清除演示数据/)).toBeTruthy();
    cleanup();
    renderPage(<DemoDataPanel />, { ...user, id: 'u-admin', role: 'admin' });
    fireEvent.change(screen.getByRole('spinbutton', { name: '案件数' }), { target: { value: '40' } });
    // Scans are drawn on a canvas, which happy-dom lacks: this test loads the cases alone.
    fireEvent.click(screen.getByRole('switch', { name: '包含材料' }));
    const button = await waitFor(buttonsNamed('载入演示数据'), { timeout: 10_000 });
    await waitFor(() => expect(button[0]!.disabled).toBe(false), { timeout: 10_000 });
    await act(async () => fireEvent.click(button[0]!));
    // The load's last step says so: wait for it, so nothing of it runs on after the test (a load
    // still writing when the DOM is torn down once failed a run under a loaded machine).
    await waitFor(() => expect(document.body.textContent).toMatch(/已载入 40 件演示案件|载入失败/), { timeout: 20_000 });
    expect(document.body.textContent).toContain('已载入 40 件演示案件');
    expect(await db.cases.count()).toBe(before + 40);
    expect(await db.cases.get(`demo-c-${before}`)).toBeTruthy();
  });
});
