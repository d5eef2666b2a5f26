// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cal, institution, randomPack } from '../../../../../test/fixtures/review-packs';
import type { User } from '../../../../shared/domain/user';
import { getDb } from '../../db/db';
import { SessionContext } from '../auth/session';
import { loadDemoData } from './demo-loader';
import { INSTITUTION_KEY } from './useReviewContext';
import { DemoDataPanel } from './DemoDataPanel';
import WorklistPage from './WorklistPage';

const user: User = { id: 'dr-me', username: 'wang', displayName: '王演示', role: 'physician', passwordHash: 'x', department: '内分泌科', createdAt: '2025-01-01T00:00:00.000Z', createdBy: null, disabled: false };

beforeAll(async () => {
  const db = getDb();
  await db.open();
  await db.settings.bulkPut([
    { key: 'policy.activePackId', value: randomPack.id },
    { key: INSTITUTION_KEY, value: institution },
  ]);
  await loadDemoData(db, { pack: randomPack, calendar: cal, institution }, { count: 300, seed: 3, focus: user, now: new Date(), withMaterials: false });
});
afterEach(cleanup);

/** Buttons by their text (antd spaces two-character labels: 受 理); role queries are slow on a big table. */
const buttonsNamed = (text: string) => () => {
  const found = [...document.querySelectorAll('button')].filter((b) => b.textContent?.replace(/\s/g, '') === text);
  if (found.length === 0) throw new Error(`no ${text} button yet`);
  return found;
};

function renderPage(page = <WorklistPage />) {
  return render(
    <ConfigProvider locale={zhCN}>
      <App>
        <SessionContext.Provider value={{ user, lock: () => undefined, logout: () => undefined }}>
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
    expect(screen.getByText(/分配后 48 小时内须受理或拒绝/)).toBeTruthy();
    expect(screen.getAllByText(/^\d{6}\*{8}\d{3}[\dX]$/).length).toBeGreaterThan(0);
    expect(document.body.textContent).not.toMatch(/\d{17}[\dX]/); // no ID number in clear
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

  it('设置 → 载入演示数据 adds the chosen number of cases after the existing ones', async () => {
    const db = getDb();
    const before = await db.cases.count();
    renderPage(<DemoDataPanel />);
    fireEvent.change(screen.getByRole('spinbutton', { name: '案件数' }), { target: { value: '40' } });
    const button = await waitFor(buttonsNamed('载入演示数据'), { timeout: 10_000 });
    await waitFor(() => expect(button[0]!.disabled).toBe(false), { timeout: 10_000 });
    await act(async () => fireEvent.click(button[0]!));
    await waitFor(async () => expect(await db.cases.count()).toBe(before + 40), { timeout: 10_000 });
    expect(await db.cases.get(`demo-c-${before}`)).toBeTruthy();
  });
});
