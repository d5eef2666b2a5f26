import { CloudUploadOutlined, ExclamationCircleOutlined, LoadingOutlined } from '@ant-design/icons';
import { Space, Tag, Tooltip } from 'antd';
import { useSyncStatus } from '../../sync/useSyncStatus';
import { formatChina } from '../../../../shared/time';

/** The outbox at a glance: waiting, in flight, and what needs a person; a click opens 同步. */
export function SyncBadge({ compact = false }: { compact?: boolean }) {
  const status = useSyncStatus();
  const tip = [
    `待上传 ${status.waiting} 条，上传中 ${status.inFlight} 条，需处理 ${status.needsAttention} 条`,
    status.nextAttemptAt ? `下次尝试：${formatChina(status.nextAttemptAt, 'MM-DD HH:mm:ss')}` : undefined,
    status.running ? undefined : '同步未运行',
    status.lastError ? `同步停止原因：${status.lastError}` : undefined,
  ].filter(Boolean);
  return (
    <Tooltip title={tip.map((t) => <div key={t}>{t}</div>)} trigger={['hover', 'focus']}>
      <a href="#/sync" data-testid="sync-status" aria-label="同步状态">
        {compact ? (
          // Compact: what waits (spinning while uploading) and, only when there is some, what needs a person; the rest is in the tooltip.
          <Space size={4}>
            <Tag icon={status.inFlight ? <LoadingOutlined /> : <CloudUploadOutlined />} color={status.inFlight ? 'processing' : status.waiting ? 'blue' : 'default'}>
              待上传 {status.waiting}
              <span className="sr-only">，上传中 {status.inFlight}</span>
            </Tag>
            {status.needsAttention || status.lastError ? (
              <Tag icon={<ExclamationCircleOutlined />} color="error">
                需处理 {status.needsAttention}
              </Tag>
            ) : (
              <span className="sr-only">需处理 {status.needsAttention}</span>
            )}
          </Space>
        ) : (
          <Space size={4}>
            <Tag icon={<CloudUploadOutlined />} color={status.waiting ? 'blue' : 'default'}>
              待上传 {status.waiting}
            </Tag>
            <Tag icon={status.inFlight ? <LoadingOutlined /> : undefined} color={status.inFlight ? 'processing' : 'default'}>
              上传中 {status.inFlight}
            </Tag>
            <Tag icon={<ExclamationCircleOutlined />} color={status.needsAttention || status.lastError ? 'error' : 'default'}>
              需处理 {status.needsAttention}
            </Tag>
          </Space>
        )}
      </a>
    </Tooltip>
  );
}
