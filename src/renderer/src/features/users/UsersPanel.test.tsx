// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixClock } from '../../../../../test/fixtures/clock';
import type { User } from '../../../../shared/domain/user';
import { getDb } from '../../db/db';
import { SessionContext } from '../auth/session';
import { UsersPanel } from './UsersPanel';

const NOW = new Date('2026-06-16T09:05:00+08:00');
const account = (id: string, role: User['role'], over: Partial<User> = {}): User => ({ id, username: id, displayName: `${id}演示`, role, passwordHash: 'x', createdAt: '2025-01-01T00:00:00.000Z', createdBy: null, disabled: false, ...over });
const boss = account('boss', 'admin');
let restoreClock: () => void;

beforeAll(async () => {
  restoreClock = fixClock(NOW);
  await getDb().open();
  await getDb().users.bulkPut([boss, account('li', 'physician', { failedLogins: 0, lockedUntil: '2026-06-16T01:15:00.000Z' }), account('wu', 'office')]);
});
afterEach(cleanup);
afterAll(() => restoreClock());

const mount = (user: User) =>
  render(
    <ConfigProvider locale={zhCN}>
      <App>
        <SessionContext.Provider value={{ user, lock: () => undefined, logout: () => undefined }}>
          <UsersPanel />
        </SessionContext.Provider>
      </App>
    </ConfigProvider>,
  );

describe('UsersPanel', () => {
  it('shows a locked-out account with when the lock ends, and lets an administrator lift it', async () => {
    mount(boss);
    const tag = await screen.findByTestId('login-locked', undefined, { timeout: 10_000 });
    expect(tag.textContent).toBe('密码错误次数过多，锁定至 09:15');
    const row = tag.closest('tr') as HTMLElement;
    expect(within(screen.getByText('wu').closest('tr') as HTMLElement).queryByText('解除锁定')).toBeNull();
    await act(async () => fireEvent.click(within(row).getByText('解除锁定')));
    await waitFor(() => expect(screen.queryByTestId('login-locked')).toBeNull());
    expect(await getDb().users.get('li')).toMatchObject({ lockedUntil: null, failedLogins: 0 });
  });
});
