// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../../../../shared/domain/user';
import type { FilingRow, ServerPlatformStatus } from '../../../../shared/hospital/filings';
import { getDb, putSetting } from '../../db/db';
import { LAST_REACHED_KEY, STALE_DAYS_KEY, staleness } from '../../hospital/desk-staleness';
import { SessionContext } from '../auth/session';
import { DeskSyncPanel } from '../settings/DeskSyncPanel';
import { PlatformBadgeView } from '../shell/PlatformBadge';
import { DeskLinkCard, DeskLinkView } from './DeskLinkCard';
import { needsPersonFilings, PlatformCard, ServerPlatformSection } from './PlatformCard';

// The server's status as GET /platform/status would answer (the hook is replaced: no server here).
let polled: { value?: ServerPlatformStatus; failure?: string } = {};
vi.mock('../../hospital/usePlatformStatus', () => ({ usePlatformStatus: () => polled }));

const NOW = new Date('2026-06-15T10:00:00+08:00');

const status = (over: Partial<ServerPlatformStatus> = {}): ServerPlatformStatus => ({
  platform: 'demo',
  label: '演示平台',
  online: true,
  signedIn: true,
  lastSuccessAt: '2026-06-15T01:59:00.000Z',
  lastError: null,
  clockOffsetMs: 800,
  runner: 'working',
  counts: { queued: 4, inFlight: 2, waiting: 3, checking: 1, needsPerson: 2 },
  nextAttemptAt: '2026-06-15T02:05:00.000Z',
  heldForOther: [],
  ...over,
});

const filing = (id: string, over: Partial<FilingRow>): FilingRow => ({
  id,
  kind: 'filing',
  infno: '2503',
  batchId: 'b1',
  certificationId: `cert-${id}`,
  caseId: null,
  psnNo: `P${id}`,
  psnName: '龚秀英',
  summary: '高血压病（M03900）2026-06-01 起',
  platform: 'demo',
  phase: 'queued',
  reason: null,
  serial: null,
  sends: 1,
  nextAttemptAt: null,
  queuedAt: '2026-06-14T02:00:00.000Z',
  queuedBy: 'office-1',
  settledAt: null,
  updatedAt: '2026-06-14T02:00:00.000Z',
  ...over,
});

const userOf = (role: User['role']): User => ({ id: `${role}-1`, username: role, displayName: '庞晓岚', role, passwordHash: 'x', createdAt: '', createdBy: null, disabled: false });

const mount = (node: ReactNode, role: User['role'] = 'office') =>
  render(
    <ConfigProvider locale={zhCN}>
      <App>
        <SessionContext.Provider value={{ user: userOf(role), lock: () => undefined, logout: () => undefined }}>{node}</SessionContext.Provider>
      </App>
    </ConfigProvider>,
  );

/** What a sighted user reads: the text outside the visually hidden parts. */
const visibleText = (el: Element) => {
  const copy = el.cloneNode(true) as Element;
  for (const hidden of copy.querySelectorAll('.sr-only')) hidden.remove();
  return copy.textContent ?? '';
};

beforeEach(async () => {
  polled = {};
  const db = getDb();
  await Promise.all([db.filings.clear(), db.settings.clear(), db.deskCommands.clear()]);
});
afterEach(cleanup);

describe('PlatformBadge (header)', () => {
  it('online and signed in: the platform, and the server’s messages waiting, in flight and needing a person', () => {
    mount(<PlatformBadgeView status={status()} />);
    expect(visibleText(screen.getByTestId('platform-status'))).toBe('演示平台 · 在线');
    const counts = screen.getByTestId('sync-status');
    expect(counts.getAttribute('href')).toBe('#/sync');
    // 待上传: queued + waiting + checking.
    expect(visibleText(counts)).toContain('待上传 8');
    expect(visibleText(counts)).toContain('上传中 2');
    expect(visibleText(counts)).toContain('需处理 2');
  });

  it('offline: says so even when compact; the counts keep their read-out text', () => {
    mount(<PlatformBadgeView status={status({ online: false, signedIn: false, lastError: '连接被拒绝', counts: { queued: 0, inFlight: 0, waiting: 5, checking: 0, needsPerson: 0 } })} compact />);
    const tag = screen.getByTestId('platform-status');
    expect(visibleText(tag)).toBe('演示平台 · 离线');
    expect(tag.getAttribute('tabindex')).toBe('0');
    const counts = screen.getByTestId('sync-status');
    expect(visibleText(counts)).toBe('待上传 5');
    expect(counts.textContent).toContain('上传中 0');
    expect(counts.textContent).toContain('需处理 0');
  });

  it('a fresh server that has not talked to the platform yet: 尚未通信, no alarm', () => {
    mount(<PlatformBadgeView status={status({ online: false, signedIn: false, lastSuccessAt: null, clockOffsetMs: null, counts: { queued: 0, inFlight: 0, waiting: 0, checking: 0, needsPerson: 0 } })} compact />);
    const tag = screen.getByTestId('platform-status');
    expect(visibleText(tag)).toBe('演示平台');
    expect(tag.textContent).toContain('尚未通信');
    expect(tag.className).not.toContain('warning');
  });

  it('compact and online: 在线 only for screen readers', () => {
    mount(<PlatformBadgeView status={status()} compact />);
    const tag = screen.getByTestId('platform-status');
    expect(visibleText(tag)).toBe('演示平台');
    expect(tag.textContent).toContain('在线');
  });

  it('no server to ask: 平台状态未知, without counts', () => {
    mount(<PlatformBadgeView failure="无法连接院内服务器" />);
    expect(screen.getByTestId('platform-status').textContent).toContain('平台状态未知');
    expect(screen.queryByTestId('sync-status')).toBeNull();
  });
});

describe('PlatformCard (同步, 全院)', () => {
  it('shows the link in full, the messages needing a person with their reasons, and what is held for another platform', async () => {
    const onCancelHeld = vi.fn(async () => undefined);
    const needs = [
      filing('1', { phase: 'rejected', reason: '重复备案：该参保人已备案 高血压病（M03900）', settledAt: '2026-06-15T01:00:00.000Z' }),
      filing('2', { phase: 'set-aside', psnName: '胡立平', reason: '连续 8 次发送失败，已搁置待人工处理：HTTP 502', settledAt: '2026-06-15T00:00:00.000Z' }),
    ];
    mount(
      <PlatformCard
        status={status({ clockOffsetMs: -180_000, heldForOther: [{ platform: 'real:http://10.1.2.3:8080', label: 'http://10.1.2.3:8080', count: 4 }] })}
        needs={needs}
        onCancelHeld={onCancelHeld}
      />,
    );
    const card = screen.getByTestId('platform-card');
    const details = within(card).getByTestId('platform-details');
    expect(within(details).getByText('在线 · 已签到')).toBeTruthy();
    expect(within(details).getByText(/排队 4，发送中 2，等待重试 3，核实中 1/)).toBeTruthy();
    expect(within(details).getByText('需人工处理 2')).toBeTruthy();
    expect(within(details).getByText('平台时间比院内服务器慢 3 分钟，请校准院内服务器时间')).toBeTruthy();
    expect(within(details).getByText('正在发送')).toBeTruthy();

    const list = within(card).getByTestId('needs-person');
    expect(within(list).getByText('重复备案：该参保人已备案 高血压病（M03900）')).toBeTruthy();
    expect(within(list).getByText('平台已拒绝')).toBeTruthy();
    expect(within(list).getByText('已搁置，需处理')).toBeTruthy();
    expect(within(list).getByText('胡立平（P2）')).toBeTruthy();

    const held = within(card).getByTestId('held-for-other');
    expect(within(held).getByText('http://10.1.2.3:8080：4 条')).toBeTruthy();
    fireEvent.click(within(held).getByRole('button', { name: '取消这些报文…' }));
    const dialog = await screen.findByRole('dialog');
    const ok = within(dialog).getByRole('button', { name: /确认取消/ });
    expect((ok as HTMLButtonElement).disabled).toBe(true); // a note is required
    fireEvent.change(within(dialog).getByLabelText('处理说明'), { target: { value: '原测试平台已停用' } });
    fireEvent.click(ok);
    await waitFor(() => expect(onCancelHeld).toHaveBeenCalledWith('real:http://10.1.2.3:8080', '原测试平台已停用'));
  });

  it('without a server: says why in Chinese; without the cancel right: no cancel button', () => {
    mount(<PlatformCard failure="无法连接院内服务器" needs={[]} />);
    expect(screen.getByText('无法取得平台状态：无法连接院内服务器')).toBeTruthy();
    expect(screen.getByText('没有需人工处理的报文')).toBeTruthy();
    cleanup();
    mount(<PlatformCard status={status({ heldForOther: [{ platform: 'demo', label: '演示平台', count: 1 }] })} needs={null} />);
    expect(screen.queryByTestId('needs-person')).toBeNull(); // a physician's desk holds no filings
    expect(screen.queryByRole('button', { name: '取消这些报文…' })).toBeNull();
  });

  it('reads the messages needing a person from the pulled filings; an administrator’s cancel is queued as a command', async () => {
    await getDb().filings.bulkPut([
      filing('1', { phase: 'rejected', reason: '互斥病种', settledAt: '2026-06-15T01:00:00.000Z' }),
      filing('2', { phase: 'accepted', serial: 'SN-1' }),
      filing('3', { phase: 'set-aside', reason: '无法生成报文：缺少参保地', settledAt: '2026-06-15T02:00:00.000Z' }),
      filing('4', { phase: 'closed', reason: '已处理' }),
    ]);
    expect((await needsPersonFilings()).map((r) => r.id)).toEqual(['3', '1']);

    polled = { value: status({ heldForOther: [{ platform: 'real:http://old', label: 'http://old', count: 2 }] }) };
    mount(<ServerPlatformSection />, 'admin');
    const list = await screen.findByTestId('needs-person');
    await waitFor(() => expect(within(list).getByText('无法生成报文：缺少参保地')).toBeTruthy());
    expect(within(list).getByText('互斥病种')).toBeTruthy();
    expect(within(list).queryByText('已处理')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: '取消这些报文…' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('处理说明'), { target: { value: '旧平台停用' } });
    fireEvent.click(within(dialog).getByRole('button', { name: /确认取消/ }));
    await waitFor(async () => expect(await getDb().deskCommands.toArray()).toMatchObject([{ kind: 'platform.cancel-held', payload: { platform: 'real:http://old', note: '旧平台停用' }, userId: 'admin-1', state: 'pending' }]));
  });

  it('the 医保办 sees the list but cannot cancel held messages', async () => {
    polled = { value: status({ heldForOther: [{ platform: 'real:http://old', label: 'http://old', count: 2 }] }) };
    mount(<ServerPlatformSection />, 'office');
    expect(await screen.findByTestId('needs-person')).toBeTruthy();
    expect(screen.getByTestId('held-for-other')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '取消这些报文…' })).toBeNull();
  });
});

describe('the stale-desk warning (同步, 本工作站)', () => {
  it('counts China calendar days: more than N days without the server is stale', () => {
    expect(staleness('2026-06-12T09:00:00+08:00', NOW, 3)).toEqual({ lastAt: '2026-06-12T09:00:00+08:00', days: 3, stale: false });
    expect(staleness('2026-06-11T23:59:00+08:00', NOW, 3)).toMatchObject({ days: 4, stale: true });
    expect(staleness(null, NOW, 3)).toEqual({ lastAt: null, days: null, stale: true });
  });

  it('plain within N days, a warning after', () => {
    mount(<DeskLinkView lastAt="2026-06-13T09:30:00+08:00" allowedDays={3} now={NOW} offline={false} />);
    const fresh = screen.getByTestId('desk-link');
    expect(fresh.getAttribute('data-stale')).toBeNull();
    expect(fresh.textContent).toContain('本工作站上次与院内服务器同步：2026-06-13 09:30（2 天前）');
    cleanup();
    mount(<DeskLinkView lastAt="2026-06-10T09:30:00+08:00" allowedDays={3} now={NOW} offline />);
    const stale = screen.getByTestId('desk-link');
    expect(stale.getAttribute('data-stale')).toBe('true');
    expect(stale.textContent).toContain('（5 天前）；现在未连上');
    expect(within(stale).getByText('本工作站已超过 3 天未连上院内服务器')).toBeTruthy();
  });

  it('takes N and the last success from the desk’s settings; 设置 → 同步 changes N', async () => {
    await putSetting(getDb(), LAST_REACHED_KEY, '2026-06-10T09:30:00+08:00');
    mount(<DeskLinkCard offline={false} now={NOW} />);
    expect(await screen.findByText('本工作站已超过 3 天未连上院内服务器')).toBeTruthy();
    expect(screen.getByTestId('desk-link').getAttribute('data-stale')).toBe('true');
    cleanup();

    mount(<DeskSyncPanel />);
    const days = await screen.findByLabelText('未同步提醒天数');
    await waitFor(() => expect((days as HTMLInputElement).value).toBe('3'));
    fireEvent.change(days, { target: { value: '7' } });
    fireEvent.click(screen.getByRole('button', { name: /保\s*存/ }));
    await waitFor(async () => expect((await getDb().settings.get(STALE_DAYS_KEY))?.value).toBe(7));
    cleanup();

    mount(<DeskLinkCard offline={false} now={NOW} />);
    await waitFor(() => expect(screen.getByTestId('desk-link').textContent).toContain('（5 天前）'));
    await waitFor(() => expect(screen.getByTestId('desk-link').getAttribute('data-stale')).toBeNull());
  });
});
