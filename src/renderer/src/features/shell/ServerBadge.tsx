import { DatabaseOutlined, WarningOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import { usePolled } from '../../lib/usePolled';

const POLL_MS = 15_000;
const DATABASE = { pglite: 'PGlite', postgres: 'PostgreSQL' } as const;
const askStatus = () => window.api.server.status({});
/** Short enough for the header at the window's minimum width; the tooltip has the rest. */
const shortLabel = (s: { mode: 'embedded' | 'remote'; url: string }) => (s.mode === 'embedded' ? '内置服务器' : `院内服务器 ${s.url.replace(/^https?:\/\//, '')}`);

/** Which hospital server this desk uses (本机内置 or a LAN address), and whether it answers. */
export function ServerBadge() {
  const { value: status, failure } = usePolled(askStatus, POLL_MS);

  if (failure || (status && !status.ok)) {
    return (
      <Tooltip title={failure ?? status?.error}>
        <Tag color="error" icon={<WarningOutlined />} data-testid="server-status">
          {status ? `${status.label}不可用` : '院内服务器状态未知'}
        </Tag>
      </Tooltip>
    );
  }
  if (!status) return null;
  const details = [status.label, status.url, status.database ? `数据库：${DATABASE[status.database]}，结构版本 ${status.schemaVersion ?? '—'}` : undefined].filter(Boolean);
  return (
    <Tooltip title={details.map((d) => <div key={d}>{d}</div>)}>
      <Tag color="default" icon={<DatabaseOutlined />} data-testid="server-status">
        {shortLabel(status)}
      </Tag>
    </Tooltip>
  );
}
