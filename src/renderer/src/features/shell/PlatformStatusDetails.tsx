import { Descriptions, Typography } from 'antd';
import type { ServerPlatformStatus } from '../../../../shared/hospital/filings';
import { formatChina } from '../../../../shared/time';
import { CLOCK_WARN_MS, offsetText } from '../../hospital/platform-client';

export const RUNNER_LABELS: Record<ServerPlatformStatus['runner'], string> = {
  working: '正在发送',
  idle: '空闲（没有待发报文）',
  offline: '平台不可达，稍后自动重试',
  halted: '已停止发送，请查看最近错误',
  stopped: '未运行',
  elsewhere: '由另一台院内服务器进程发送',
};

const when = (iso: string | null) => (iso ? formatChina(iso, 'MM-DD HH:mm:ss') : undefined);

/** Messages the server still has to send: queued, waiting a retry, being checked (5301). */
export const waitingCount = (s: ServerPlatformStatus) => s.counts.queued + s.counts.waiting + s.counts.checking;

/** The server's link in a word: 在线, 未签到, 离线 (after an error), or 尚未通信 (nothing sent since the server started). */
export function linkState(s: ServerPlatformStatus): '在线' | '未签到' | '离线' | '尚未通信' {
  if (s.online) return s.signedIn ? '在线' : '未签到';
  return s.lastError || s.lastSuccessAt ? '离线' : '尚未通信';
}

/** One line on the server's link: 在线 · 已签到, or why not. */
export function linkText(s: ServerPlatformStatus): string {
  const state = linkState(s);
  if (state === '离线') return '离线：院内服务器连不上平台';
  if (state === '尚未通信') return '尚未与平台通信（有报文要发送或查询时才连接）';
  return s.signedIn ? '在线 · 已签到' : '在线 · 未签到';
}

/** Everything the server says of its link to the platform; the header's popover and the 同步 page. */
export function PlatformStatusDetails({ status: s }: { status: ServerPlatformStatus }) {
  const offset = s.clockOffsetMs;
  return (
    <Descriptions column={1} size="small" bordered style={{ maxWidth: 560 }} data-testid="platform-details">
      <Descriptions.Item label="平台">{s.label}</Descriptions.Item>
      <Descriptions.Item label="连接">
        <Typography.Text type={linkState(s) === '离线' ? 'warning' : undefined}>{linkText(s)}</Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label="最近一次成功">{when(s.lastSuccessAt) ?? '尚未成功通信'}</Descriptions.Item>
      {s.lastError && (
        <Descriptions.Item label="最近错误">
          <Typography.Text type="danger">{s.lastError}</Typography.Text>
        </Descriptions.Item>
      )}
      <Descriptions.Item label="时钟">
        {offset === null ? (
          '尚无平台应答，无法比对'
        ) : Math.abs(offset) > CLOCK_WARN_MS ? (
          <Typography.Text type="warning">{offsetText(offset)}，请校准院内服务器时间</Typography.Text>
        ) : (
          '与平台时间一致'
        )}
      </Descriptions.Item>
      <Descriptions.Item label="发送">{RUNNER_LABELS[s.runner]}</Descriptions.Item>
      <Descriptions.Item label="报文">
        排队 {s.counts.queued}，发送中 {s.counts.inFlight}，等待重试 {s.counts.waiting}，核实中 {s.counts.checking}，
        <Typography.Text type={s.counts.needsPerson ? 'danger' : undefined}>需人工处理 {s.counts.needsPerson}</Typography.Text>
      </Descriptions.Item>
      <Descriptions.Item label="下次尝试">{when(s.nextAttemptAt) ?? '—'}</Descriptions.Item>
      {s.heldForOther.length > 0 && (
        <Descriptions.Item label="原平台的报文">
          {s.heldForOther.map((h) => (
            <div key={h.platform}>
              {h.label}：{h.count} 条未发送（不会发往当前平台）
            </div>
          ))}
        </Descriptions.Item>
      )}
    </Descriptions>
  );
}
