import { CloudServerOutlined, WarningOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import { useEffect, useState } from 'react';
import type { ChannelResponse } from '../../../../shared/ipc/contract';
import { formatChina } from '../../../../shared/time';

type Status = ChannelResponse<'platform.status'>;
const POLL_MS = 15_000;
// Beyond this the platform's and our clocks disagree enough to confuse deadlines and msgids.
const CLOCK_WARN_MS = 60_000;

/** Which platform the workstation files with (演示平台 or the configured one), and how it answered lately. */
export function PlatformBadge() {
  const [status, setStatus] = useState<Status>();
  const [unreachable, setUnreachable] = useState<string>();

  useEffect(() => {
    let alive = true;
    const poll = async () => {
      const result = await window.api.platform.status({});
      if (!alive) return;
      if (result.ok) {
        setStatus(result.value);
        setUnreachable(undefined);
      } else setUnreachable(result.error.message);
    };
    void poll();
    const timer = window.setInterval(() => void poll(), POLL_MS);
    return () => {
      alive = false;
      window.clearInterval(timer);
    };
  }, []);

  if (unreachable) {
    return (
      <Tooltip title={unreachable}>
        <Tag color="error" icon={<WarningOutlined />}>
          平台状态未知
        </Tag>
      </Tooltip>
    );
  }
  if (!status) return null;
  const offset = status.clockOffsetMs ?? 0;
  const details = [
    status.baseUrl,
    status.lastOkAt ? `最近一次成功：${formatChina(status.lastOkAt, 'MM-DD HH:mm:ss')}` : '尚未成功通信',
    status.lastError ? `最近错误：${status.lastError}` : undefined,
    Math.abs(offset) > CLOCK_WARN_MS ? `平台时间与本机相差 ${Math.round(offset / 60_000)} 分钟，请校准本机时间` : undefined,
  ].filter(Boolean);
  return (
    <Tooltip title={details.map((d) => <div key={d}>{d}</div>)}>
      <Tag color={status.mode === 'demo' ? 'processing' : status.lastError ? 'warning' : 'default'} icon={<CloudServerOutlined />} data-testid="platform-status">
        {status.label}
        {Math.abs(offset) > CLOCK_WARN_MS && <WarningOutlined style={{ marginLeft: 4 }} />}
      </Tag>
    </Tooltip>
  );
}
