// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixClock } from '../../../../../test/fixtures/clock';
import type { User } from '../../../../shared/domain/user';
import type { Api } from '../../../../shared/ipc/api';
import { ok } from '../../../../shared/ipc/result';
import { getDb } from '../../db/db';
import { SessionContext } from '../auth/session';
import { ShellHeader } from './ShellHeader';

// The hospital server's link to the platform, as GET /platform/status would answer.
vi.mock('../../hospital/usePlatformStatus', () => ({
  usePlatformStatus: () => ({
    value: {
      platform: 'demo', label: '演示平台', online: true, signedIn: true, lastSuccessAt: null, lastError: null, clockOffsetMs: null, runner: 'idle',
      counts: { queued: 0, inFlight: 0, waiting: 0, checking: 0, needsPerson: 0 }, nextAttemptAt: null, heldForOther: [],
    },
  }),
}));

const user: User = { id: 'office-1', username: 'pang', displayName: '庞晓岚', role: 'office', passwordHash: 'x', createdAt: '2025-01-01T00:00:00.000Z', createdBy: null, disabled: false };
// November: the 医保办 sees the missing-calendar notice for the next year, the longest header there is.
const NOVEMBER = new Date('2026-11-10T09:00:00+08:00');
let restoreClock: () => void;

beforeAll(async () => {
  restoreClock = fixClock(NOVEMBER);
  await getDb().open();
  window.api = {
    server: { status: async () => ok({ mode: 'remote' as const, label: '院内服务器', url: 'http://192.168.1.20:8787', ok: true, database: 'postgres' as const, schemaVersion: 7 }) },
  } as unknown as Api;
});
afterEach(() => cleanup());
afterAll(() => restoreClock());

function mount(compact: boolean) {
  return render(
    <ConfigProvider locale={zhCN}>
      <App>
        <SessionContext.Provider value={{ user, lock: () => undefined, logout: () => undefined }}>
          <ShellHeader compact={compact} />
        </SessionContext.Provider>
      </App>
    </ConfigProvider>,
  );
}

/** What a sighted user reads: the text outside the visually hidden parts. */
const visibleText = (el: Element) => {
  const copy = el.cloneNode(true) as Element;
  for (const hidden of copy.querySelectorAll('.sr-only')) hidden.remove();
  return copy.textContent ?? '';
};

describe('ShellHeader', { timeout: 30_000 }, () => {
  it('at full width shows the LAN server’s address, the sync breakdown, the role and 锁定/退出 in words', async () => {
    mount(false);
    const server = await screen.findByTestId('server-status', undefined, { timeout: 10_000 });
    expect(visibleText(server)).toBe('院内服务器 192.168.1.20:8787');
    expect(visibleText(screen.getByTestId('sync-status'))).toContain('上传中 0');
    expect(visibleText(screen.getByTestId('current-user'))).toContain('医保办');
    expect(visibleText(screen.getByRole('button', { name: '锁定' }))).toContain('锁定');
  });

  it('compact (below 1600 px): the address, the role and the breakdown go to tooltips and the read-out text; 锁定/退出 are named icons; everything a Tab reaches', async () => {
    mount(true);
    const header = document.querySelector('.shell-header')!;
    expect(header.getAttribute('data-compact')).toBe('true');
    const server = await screen.findByTestId('server-status', undefined, { timeout: 10_000 });
    expect(visibleText(server)).toBe('院内服务器');
    // Screen readers still hear the address; the tooltip opens on keyboard focus.
    expect(server.textContent).toBe('院内服务器 192.168.1.20:8787');
    expect(server.getAttribute('tabindex')).toBe('0');
    const sync = screen.getByTestId('sync-status');
    expect(visibleText(sync)).not.toContain('上传中');
    expect(sync.textContent).toContain('上传中 0');
    const me = screen.getByTestId('current-user');
    expect(visibleText(me)).not.toContain('医保办');
    expect(me.getAttribute('tabindex')).toBe('0');
    const lock = screen.getByRole('button', { name: '锁定' });
    const logout = screen.getByRole('button', { name: '退出' });
    expect(visibleText(lock).trim()).toBe('');
    expect(visibleText(logout).trim()).toBe('');
    const notice = await screen.findByTestId('calendar-notice', undefined, { timeout: 10_000 });
    expect(visibleText(notice)).toContain('缺 2027 年日历');
    expect(notice.getAttribute('aria-label')).toBe('缺 2027 年节假日日历');
    await waitFor(() => expect(screen.getByTestId('platform-status').getAttribute('tabindex')).toBe('0'));
  });
});
