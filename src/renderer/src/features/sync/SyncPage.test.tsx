// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixClock } from '../../../../../test/fixtures/clock';
import { ctxAt, filingMessage, item, plus } from '../../../../../test/fixtures/outbox-items';
import type { User } from '../../../../shared/domain/user';
import type { Api } from '../../../../shared/ipc/api';
import { ok } from '../../../../shared/ipc/result';
import { settleSend, startSend } from '../../../../shared/sync/transitions';
import { getDb } from '../../db/db';
import { stopSync } from '../../sync/sync-engine';
import { SessionContext } from '../auth/session';
import SyncPage from './SyncPage';

// The page and the sync runner read "now" for what is due and when: both run at this fixed instant.
const NOW = new Date('2026-06-15T10:00:00+08:00');
let restoreClock: () => void;

const user = { id: 'u1', username: 'clerk', displayName: '李办理', role: 'office', passwordHash: 'x', createdAt: '', createdBy: null, disabled: false } as User;

beforeEach(async () => {
  restoreClock = fixClock(NOW);
  // The platform answers nothing useful: the page is about what is stored.
  window.api = { platform: { send: async () => ok({ outcome: 'transient' as const, reason: 'x', message: '无法连接平台' }), getConfig: async () => ok({}) } } as unknown as Api;
  await getDb().outbox.clear();
});
afterEach(async () => {
  cleanup();
  await stopSync();
  restoreClock();
});

const mount = () =>
  render(
    <ConfigProvider locale={zhCN}>
      <App>
        <SessionContext.Provider value={{ user, lock: () => undefined, logout: () => undefined }}>
          <SyncPage />
        </SessionContext.Provider>
      </App>
    </ConfigProvider>,
  );

const sent = (i = item()) => startSend(i, ctxAt());

describe('SyncPage', () => {
  it('lists items by state with the platform’s reason, what to do, and the next attempt', async () => {
    const far = plus(3_600_000, NOW);
    const rejected = settleSend(sent(item(filingMessage('P1'))), { outcome: 'rejected', msgid: 'M1', errMsg: '重复备案：该参保人已备案 高血压病（M03900）' }, ctxAt());
    const accepted = settleSend(sent(item(filingMessage('P2'))), { outcome: 'accepted', msgid: 'M2', output: { result: { trt_dcla_detl_sn: 'SN-0002' } } }, ctxAt());
    const retrying = settleSend(sent(item(filingMessage('P3'))), { outcome: 'transient', reason: 'r', message: '无法连接平台' }, { ...ctxAt(far), random: () => 1 });
    await getDb().outbox.bulkAdd([rejected, accepted, retrying]);
    mount();

    const table = await screen.findByRole('table');
    await waitFor(() => expect(within(table).getByText('平台已拒绝')).toBeTruthy(), { timeout: 5000 });
    expect(within(table).getByText(/平台：重复备案/)).toBeTruthy();
    expect(within(table).getByText(/撤销原备案后重新提交/)).toBeTruthy();
    expect(within(table).getByRole('button', { name: '更正后重新备案' })).toBeTruthy();
    expect(within(table).getByText('平台已接受')).toBeTruthy();
    expect(within(table).getByText(/SN-0002/)).toBeTruthy();
    expect(within(table).getByText('等待重试')).toBeTruthy();
    expect(within(table).getByText(/约 \d+ 分钟后/)).toBeTruthy();
    expect(within(screen.getByTestId('sync-attention')).getByText('1')).toBeTruthy();
  });

  it('立即重试 makes a waiting item due now; 标记已处理 clears a rejection from 需处理', async () => {
    const later = plus(3_600_000, NOW);
    const retrying = settleSend(sent(item(filingMessage('P3'))), { outcome: 'transient', reason: 'r', message: '无法连接平台' }, ctxAt(later));
    const rejected = settleSend(sent(item(filingMessage('P4'))), { outcome: 'rejected', msgid: 'M', errMsg: '互斥病种：…' }, ctxAt());
    await getDb().outbox.bulkAdd([retrying, rejected]);
    mount();
    const table = await screen.findByRole('table');
    fireEvent.click(await within(table).findByRole('button', { name: /^reload 立即重试$/ }));
    // The runner may pick it up at once; the manual request stays in the history.
    await waitFor(async () => expect((await getDb().outbox.get(retrying.id))!.attempts.some((a) => a.op === 'manual' && a.detail === 'u1')).toBe(true), { timeout: 5000 });

    fireEvent.click(await screen.findByRole('button', { name: '标记已处理' }));
    await waitFor(async () => {
      const stored = (await getDb().outbox.get(rejected.id))!;
      expect(stored.state.tag === 'rejected' && stored.state.handled?.action).toBe('dismissed');
    }, { timeout: 5000 });
  });
});
