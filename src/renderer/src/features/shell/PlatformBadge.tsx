import { CloudServerOutlined, CloudUploadOutlined, ExclamationCircleOutlined, LoadingOutlined, WarningOutlined } from '@ant-design/icons';
import { Popover, Space, Tag, Tooltip, Typography } from 'antd';
import type { ServerPlatformStatus } from '../../../../shared/hospital/filings';
import { CLOCK_WARN_MS } from '../../hospital/platform-client';
import { usePlatformStatus } from '../../hospital/usePlatformStatus';
import { PlatformStatusDetails, linkState, waitingCount } from './PlatformStatusDetails';

/** Tooltips and popovers here open on keyboard focus too (the compact header keeps details in them). */
const TRIGGER: ('hover' | 'focus')[] = ['hover', 'focus'];

/**
 * The hospital server's link to the provincial platform (the desk never talks to it): which
 * platform, online and signed in or not, and the server's messages — waiting, in flight, needing a
 * person. Compact in the header; the popover has the rest; a click on the counts opens 同步.
 */
export function PlatformBadge({ compact = false }: { compact?: boolean }) {
  const { value, failure } = usePlatformStatus();
  return <PlatformBadgeView status={value} failure={failure} compact={compact} />;
}

export function PlatformBadgeView({ status, failure, compact = false }: { status?: ServerPlatformStatus; failure?: string; compact?: boolean }) {
  if (!status) {
    if (!failure) return null;
    return (
      <Tooltip title={failure} trigger={TRIGGER}>
        <Tag color="default" icon={<WarningOutlined />} data-testid="platform-status" tabIndex={compact ? 0 : undefined}>
          平台状态未知
        </Tag>
      </Tooltip>
    );
  }
  const clockOff = status.clockOffsetMs !== null && Math.abs(status.clockOffsetMs) > CLOCK_WARN_MS;
  const state = linkState(status);
  // Not yet in touch (a fresh server with nothing sent) is no alarm; offline after an error is.
  const color = state === '离线' ? 'warning' : state === '尚未通信' ? 'default' : status.signedIn ? 'success' : 'processing';
  const quiet = state === '在线' || state === '尚未通信';
  const details = (
    <Space orientation="vertical" size={4}>
      {failure && <Typography.Text type="warning">以下为上次取得的状态；现在无法询问院内服务器：{failure}</Typography.Text>}
      <PlatformStatusDetails status={status} />
      <a href="#/sync">到“同步”查看详情</a>
    </Space>
  );
  const waiting = waitingCount(status);
  const { inFlight, needsPerson } = status.counts;
  return (
    <Space size={4}>
      <Popover content={details} title="院内服务器与平台的连接" trigger={TRIGGER} placement="bottomRight">
        <Tag color={color} icon={state === '离线' ? <WarningOutlined /> : <CloudServerOutlined />} data-testid="platform-status" tabIndex={compact ? 0 : undefined}>
          {/* Compact: a long platform name is cut with an ellipsis; the popover has it whole. */}
          {compact ? <span className="shell-platform">{status.label}</span> : status.label}
          {/* Compact: 在线 and 尚未通信 only for screen readers; offline or not signed in is shown. */}
          <span className={compact && quiet ? 'sr-only' : undefined}>{` · ${state}`}</span>
          {clockOff && <WarningOutlined style={{ marginLeft: 4 }} aria-label="时钟偏差" />}
        </Tag>
      </Popover>
      <a href="#/sync" data-testid="sync-status" aria-label="平台报文状态">
        {compact ? (
          // Compact: what waits (spinning while sending) and, only when there is some, what needs a person.
          <Space size={4}>
            <Tag icon={inFlight ? <LoadingOutlined /> : <CloudUploadOutlined />} color={inFlight ? 'processing' : waiting ? 'blue' : 'default'}>
              待上传 {waiting}
              <span className="sr-only">，上传中 {inFlight}</span>
            </Tag>
            {needsPerson ? (
              <Tag icon={<ExclamationCircleOutlined />} color="error">
                需处理 {needsPerson}
              </Tag>
            ) : (
              <span className="sr-only">需处理 0</span>
            )}
          </Space>
        ) : (
          <Space size={4}>
            <Tag icon={<CloudUploadOutlined />} color={waiting ? 'blue' : 'default'}>
              待上传 {waiting}
            </Tag>
            <Tag icon={inFlight ? <LoadingOutlined /> : undefined} color={inFlight ? 'processing' : 'default'}>
              上传中 {inFlight}
            </Tag>
            <Tag icon={<ExclamationCircleOutlined />} color={needsPerson ? 'error' : 'default'}>
              需处理 {needsPerson}
            </Tag>
          </Space>
        )}
      </a>
    </Space>
  );
}
