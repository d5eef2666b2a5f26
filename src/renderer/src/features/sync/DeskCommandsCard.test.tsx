// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../../../shared/domain/user';
import type { ConflictRow } from '../../../../shared/hospital/protocol';
import { getDb } from '../../db/db';
import type { DeskCommand } from '../../hospital/desk-commands';
import { SessionContext } from '../auth/session';
import { ConflictsCard, DeskCommandsCard, payloadSummary } from './DeskCommandsCard';

const user = { id: 'u-doc', username: 'doc', displayName: '柯文澜', role: 'physician', passwordHash: 'x', createdAt: '', createdBy: null, disabled: false } as User;
const AT = '2026-06-15T02:00:00.000Z';

const command = (over: Partial<DeskCommand>): DeskCommand => ({
  id: 'cmd-1', seq: 1, kind: 'case.conclude', at: AT, payload: { assignmentId: 'a1', conclusion: { verdict: 'reject', reason: '未见并发症证据' }, criteriaMet: [] },
  userId: user.id, caseId: 'c1', state: 'pending', reason: null, value: undefined, attempts: 0, lastError: null, answeredAt: null, ...over,
});

const mount = (node: React.ReactNode) =>
  render(
    <ConfigProvider locale={zhCN}>
      <App>
        <SessionContext.Provider value={{ user, lock: () => undefined, logout: () => undefined }}>{node}</SessionContext.Provider>
      </App>
    </ConfigProvider>,
  );

beforeEach(async () => {
  const db = getDb();
  await Promise.all([db.deskCommands.clear(), db.conflicts.clear(), db.cases.clear()]);
  await db.cases.put({ id: 'c1', personName: '龚秀英', diseaseName: '糖尿病' } as never);
});
afterEach(cleanup);

describe('payloadSummary', () => {
  it('reads back what a person entered', () => {
    expect(payloadSummary('case.conclude', { conclusion: { verdict: 'approve' } })).toBe('结论 符合');
    expect(payloadSummary('case.conclude', { conclusion: { verdict: 'reject', reason: '理由' } })).toBe('结论 不符合：理由');
    expect(payloadSummary('case.conclude', { conclusion: { verdict: 'materials-missing', missingItems: ['m1', 'm2'] } })).toBe('结论 需补充材料：需补 2 项材料');
    expect(payloadSummary('offer.refuse', { reason: '出差' })).toBe('拒绝理由：出差');
    expect(payloadSummary('user.unlock', { userId: 'x' })).toBe('');
  });
});

describe('DeskCommandsCard', () => {
  it('lists what waits and what the server refused, with the reason and what was entered; 知道了 keeps the row', async () => {
    await getDb().deskCommands.bulkPut([
      command({ id: 'cmd-wait', seq: 2, kind: 'offer.accept', payload: { assignmentId: 'a2' }, caseId: null, attempts: 2, lastError: '无法连接院内服务器' }),
      command({ id: 'cmd-refused', seq: 1, state: 'refused', reason: '该分配已超时收回，案件已改由其他医师审核', answeredAt: AT }),
      command({ id: 'cmd-gone', seq: 5, kind: 'offer.accept', payload: { assignmentId: 'a9' }, caseId: 'c-gone', state: 'refused', reason: '该分配不存在或已被收回', caseLabel: '胡立平 · 高血压' }),
      command({ id: 'cmd-other', seq: 3, userId: 'someone-else', state: 'refused', reason: '别人的' }),
      command({ id: 'cmd-done', seq: 4, state: 'applied', answeredAt: AT }),
    ]);
    mount(<DeskCommandsCard online={false} />);
    const card = await screen.findByTestId('desk-commands');
    await waitFor(() => expect(within(card).getByText('该分配已超时收回，案件已改由其他医师审核')).toBeTruthy());
    expect(within(card).getByText('结论 不符合：未见并发症证据')).toBeTruthy();
    expect(await within(card).findByText('龚秀英 · 糖尿病')).toBeTruthy(); // the case's name comes a moment after the rows
    expect(within(card).getByText('胡立平 · 高血压')).toBeTruthy(); // the case left the desk; the label kept at the refusal names it
    expect(within(card).getByText('胡立平 · 高血压').closest('a')).toBeNull();
    // A case still on the desk opens from here.
    expect(within(card).getAllByText('龚秀英 · 糖尿病')[0]!.closest('a')?.getAttribute('href')).toBe('#/cases/c1');
    expect(within(card).getByText('所填结论已保留，并已转医保办处理。')).toBeTruthy();
    expect(within(card).getByText('上次发送未成功：无法连接院内服务器')).toBeTruthy();
    expect(within(card).getByText('1 项待发送到院内服务器')).toBeTruthy();
    expect(within(card).getByText(/未连上院内服务器/)).toBeTruthy();
    expect(within(card).queryByText('别人的')).toBeNull(); // another user's commands are theirs
    expect(within(card).queryByText('服务器已接受')).toBeNull(); // applied ones only under 全部

    fireEvent.click(within(card).getAllByRole('button', { name: '知道了' })[1]!);
    await waitFor(async () => expect((await getDb().deskCommands.get('cmd-refused'))?.state).toBe('acknowledged'));
    await waitFor(() => expect(within(card).queryByText('该分配已超时收回，案件已改由其他医师审核')).toBeNull());
    fireEvent.click(within(card).getByText('未接受'));
    await waitFor(() => expect(within(card).getByText('未接受 · 已知悉')).toBeTruthy());
    expect(within(card).getByText('该分配已超时收回，案件已改由其他医师审核')).toBeTruthy();
  });
});

describe('ConflictsCard', () => {
  it('shows the 医保办 each refused decision with who made it, what they entered and why; resolved ones only under 全部', async () => {
    const conflict = (id: string, resolved: ConflictRow['resolved']): ConflictRow => ({
      id, kind: 'case.conclude', caseId: 'c1', userId: user.id, userName: '柯文澜', deskId: 'desk-b', madeAt: AT, refusedAt: AT,
      reason: '该分配已超时收回，案件已改由其他医师审核', payload: { conclusion: { verdict: 'approve' } }, resolved,
    });
    await getDb().conflicts.bulkPut([conflict('k1', null), conflict('k2', { by: 'office', at: AT, note: '以现审核医师结论为准' })]);
    mount(<ConflictsCard />);
    const card = await screen.findByTestId('conflicts');
    await waitFor(() => expect(within(card).getAllByText('柯文澜')).toHaveLength(1));
    expect(within(card).getByText('结论 符合')).toBeTruthy();
    expect(within(card).getByText('1 项')).toBeTruthy();
    expect(within(card).getByRole('button', { name: '处理…' })).toBeTruthy();
    fireEvent.click(within(card).getByText('全部'));
    await waitFor(() => expect(within(card).getByText(/已处理：以现审核医师结论为准/)).toBeTruthy());
  });
});
