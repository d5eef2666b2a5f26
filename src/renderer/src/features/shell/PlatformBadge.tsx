import { CloudServerOutlined, WarningOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import { usePolled } from '../../lib/usePolled';
import { formatChina } from '../../../../shared/time';

const POLL_MS = 15_000;
const askStatus = () => window.api.platform.status({});
// Beyond this the platform's and our clocks disagree enough to confuse deadlines and msgids.
const CLOCK_WARN_MS = 60_000;

/** Which platform the workstation files with (演示平台 or the configured one), and how it answered lately. */
export function PlatformBadge({ compact = false }: { compact?: boolean }) {
  const { value: status, failure: unreachable } = usePolled(askStatus, POLL_MS);

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
    <Tooltip title={[...(compact ? [status.label] : []), ...details].map((d) => <div key={d}>{d}</div>)} trigger={['hover', 'focus']}>
      <Tag color={status.mode === 'demo' ? 'processing' : status.lastError ? 'warning' : 'default'} icon={<CloudServerOutlined />} data-testid="platform-status" tabIndex={compact ? 0 : undefined}>
        {/* Compact: a long platform name is cut with an ellipsis; the tooltip has it whole. */}
        {compact ? <span className="shell-platform">{status.label}</span> : status.label}
        {Math.abs(offset) > CLOCK_WARN_MS && <WarningOutlined style={{ marginLeft: 4 }} />}
      </Tag>
    </Tooltip>
  );
}
