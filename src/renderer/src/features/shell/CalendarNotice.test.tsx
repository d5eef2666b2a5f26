// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { fixClock } from '../../../../../test/fixtures/clock';
import type { User } from '../../../../shared/domain/user';
import { getDb } from '../../db/db';
import { SessionContext } from '../auth/session';
import { CalendarTab } from '../policy/CalendarTab';
import { usePolicy } from '../policy/policy-store';
import { CalendarNotice, CalendarNoticeBanner } from './CalendarNotice';

const at = (role: User['role']): User => ({ id: `${role}-1`, username: role, displayName: `${role}演示`, role, passwordHash: 'x', createdAt: '2025-01-01T00:00:00.000Z', createdBy: null, disabled: false });
const DECEMBER = new Date('2026-12-07T09:00:00+08:00');
let restoreClock: () => void;

beforeAll(async () => {
  restoreClock = fixClock(DECEMBER);
  await getDb().open();
});
afterEach(() => {
  cleanup();
  window.location.hash = '';
  vi.setSystemTime(DECEMBER);
});
afterAll(() => restoreClock());

function mount(node: ReactNode, user: User) {
  return render(
    <ConfigProvider locale={zhCN}>
      <App>
        <SessionContext.Provider value={{ user, lock: () => undefined, logout: () => undefined }}>{node}</SessionContext.Provider>
      </App>
    </ConfigProvider>,
  );
}

function PolicyCalendar() {
  const state = usePolicy();
  return state ? <CalendarTab state={state} /> : null;
}

describe('the missing-calendar notice', { timeout: 30_000 }, () => {
  it('in December shows administrators and the 医保办 which year is missing, and opens the import', async () => {
    for (const role of ['admin', 'office'] as const) {
      mount(<CalendarNotice />, at(role));
      const notice = await screen.findByTestId('calendar-notice', undefined, { timeout: 10_000 });
      expect(notice.textContent?.replace(/\s/g, '')).toBe('缺2027年节假日日历');
      fireEvent.click(notice);
      expect(window.location.hash).toBe('#/settings/policy/calendar');
      cleanup();
    }
  });

  it('physicians never see it', async () => {
    mount(
      <>
        <CalendarNotice />
        <CalendarNoticeBanner />
        <span>已载入</span>
      </>,
      at('physician'),
    );
    await screen.findByText('已载入');
    await new Promise((r) => setTimeout(r, 300));
    expect(screen.queryByTestId('calendar-notice')).toBeNull();
    expect(screen.queryByTestId('calendar-banner')).toBeNull();
  });

  it('appears from 1 November (China time), not on 31 October', async () => {
    vi.setSystemTime(new Date('2026-10-31T23:30:00+08:00')); // 15:30 UTC: already November nowhere
    mount(
      <>
        <CalendarNotice />
        <span>已载入</span>
      </>,
      at('admin'),
    );
    await screen.findByText('已载入');
    await new Promise((r) => setTimeout(r, 300));
    expect(screen.queryByTestId('calendar-notice')).toBeNull();
    cleanup();
    vi.setSystemTime(new Date('2026-11-01T00:30:00+08:00')); // still 31 October in UTC
    mount(<CalendarNotice />, at('admin'));
    expect(await screen.findByTestId('calendar-notice', undefined, { timeout: 10_000 })).toBeTruthy();
  });

  it('on 工作台 says why in full, with the State Council, and the way to import', async () => {
    mount(<CalendarNoticeBanner />, at('office'));
    const banner = await screen.findByTestId('calendar-banner', undefined, { timeout: 10_000 });
    expect(banner.textContent).toContain('缺少 2027 年节假日日历');
    expect(banner.textContent).toContain('国务院办公厅每年秋季公布次年节假日安排');
    fireEvent.click(within(banner).getByRole('button', { name: '导入日历' }));
    expect(window.location.hash).toBe('#/settings/policy/calendar');
  });

  it('the 医保办 imports 2027 from 节假日日历: listed as 暂定 while provisional, and the notice is gone', async () => {
    mount(
      <>
        <CalendarNotice />
        <PolicyCalendar />
      </>,
      at('office'),
    );
    await screen.findByTestId('calendar-notice', undefined, { timeout: 10_000 });
    expect(screen.getByTestId('calendar-missing').textContent).toContain('尚无 2027 年节假日日历');
    const file = new File(
      [JSON.stringify({ format: 'opsp-holiday-calendar/1', year: 2027, status: 'provisional', source: { kind: 'other', reference: '据征求意见稿录入' }, holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] })],
      '2027.json',
      { type: 'application/json' },
    );
    const input = document.querySelector('input[type=file]') as HTMLInputElement;
    await act(async () => fireEvent.change(input, { target: { files: [file] } }));
    await waitFor(() => expect(screen.queryByTestId('calendar-notice')).toBeNull(), { timeout: 10_000 });
    expect(screen.queryByTestId('calendar-missing')).toBeNull();
    const row = screen.getByText('据征求意见稿录入').closest('tr') as HTMLElement;
    expect(within(row).getByTestId('calendar-provisional').textContent).toBe('暂定');
    expect(row.textContent).toContain('已导入');
    expect((await getDb().audit.where('kind').equals('calendar.imported').toArray()).at(-1)).toMatchObject({ actorId: 'office-1', subject: '2027' });
  });
});
