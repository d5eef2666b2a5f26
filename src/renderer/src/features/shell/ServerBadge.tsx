import { DatabaseOutlined, SendOutlined, StopOutlined, WarningOutlined } from '@ant-design/icons';
import { Space, Tag, Tooltip } from 'antd';
import { formatChina } from '../../../../shared/time/china-time';
import { linkDown, type DeskSyncStatus } from '../../hospital/desk-sync';
import { useDeskStatus } from '../../hospital/useDeskStatus';
import { usePolled } from '../../lib/usePolled';

const POLL_MS = 15_000;
const DATABASE = { pglite: 'PGlite', postgres: 'PostgreSQL' } as const;
const askStatus = () => window.api.server.status({});
/** Short enough for the header at the window's minimum width; the tooltip has the rest. */
const address = (url: string) => url.replace(/^https?:\/\//, '');
const shortLabel = (s: { mode: 'embedded' | 'remote'; url: string }) => (s.mode === 'embedded' ? '内置服务器' : `院内服务器 ${address(s.url)}`);
/** Tooltips here open on keyboard focus too (the compact header keeps details in them). */
const TIP_TRIGGER: ('hover' | 'focus')[] = ['hover', 'focus'];

/**
 * This desk's own commands on their way to the server: how many wait (saved here, sent when the
 * server answers) and how many the server refused; a click opens 同步, where each is listed.
 */
function DeskCommandTags({ desk }: { desk: DeskSyncStatus }) {
  const offline = linkDown(desk);
  if (!desk.pending && !desk.refused && !offline && !desk.auditWarning) return null;
  const tip = [
    desk.auditWarning ?? undefined,
    !offline ? undefined : `未连上院内服务器${desk.error ? `：${desk.error}` : ''}；操作已保存在本机，联网后自动发送`,
    desk.lastSyncAt ? `上次与服务器同步：${formatChina(desk.lastSyncAt, 'MM-DD HH:mm:ss')}` : '尚未与服务器同步',
    desk.refused ? `${desk.refused} 项操作未被服务器接受，请到“同步”查看原因` : undefined,
  ].filter(Boolean);
  return (
    <Tooltip title={tip.map((t) => <div key={t}>{t}</div>)} trigger={TIP_TRIGGER}>
      <a href="#/sync" data-testid="desk-commands-status" aria-label="本工作站操作状态">
        <Space size={4}>
          {(desk.pending > 0 || offline) && (
            <Tag icon={<SendOutlined />} color={offline ? 'warning' : 'processing'}>
              {offline ? '未连服务器 · ' : ''}待发送 {desk.pending}
            </Tag>
          )}
          {desk.auditWarning && (
            <Tag icon={<WarningOutlined />} color="error">
              审计链异常
            </Tag>
          )}
          {desk.refused > 0 && (
            <Tag icon={<StopOutlined />} color="error">
              未接受 {desk.refused}
            </Tag>
          )}
        </Space>
      </a>
    </Tooltip>
  );
}

/** Which hospital server this desk uses (本机内置 or a LAN address), whether it answers, and this desk's commands not yet on it. */
export function ServerBadge({ compact = false }: { compact?: boolean }) {
  const desk = useDeskStatus();
  return (
    <Space size={4}>
      <ServerTag compact={compact} />
      {desk && <DeskCommandTags desk={desk} />}
    </Space>
  );
}

function ServerTag({ compact }: { compact: boolean }) {
  const { value: status, failure } = usePolled(askStatus, POLL_MS);

  if (failure || (status && !status.ok)) {
    return (
      <Tooltip title={[status?.label, failure ?? status?.error].filter(Boolean).map((d) => <div key={d}>{d}</div>)} trigger={TIP_TRIGGER}>
        <Tag color="error" icon={<WarningOutlined />} data-testid="server-status" tabIndex={compact ? 0 : undefined}>
          {!status ? '院内服务器状态未知' : compact && status.mode === 'remote' ? '院内服务器不可用' : `${status.label}不可用`}
        </Tag>
      </Tooltip>
    );
  }
  if (!status) return null;
  const details = [status.label, status.url, status.database ? `数据库：${DATABASE[status.database]}，结构版本 ${status.schemaVersion ?? '—'}` : undefined].filter(Boolean);
  // Compact: a LAN server's address is in the tooltip (and read out), the tag says only which kind.
  const remote = status.mode === 'remote';
  return (
    <Tooltip title={details.map((d) => <div key={d}>{d}</div>)} trigger={TIP_TRIGGER}>
      <Tag color="default" icon={<DatabaseOutlined />} data-testid="server-status" tabIndex={compact && remote ? 0 : undefined}>
        {compact && remote ? (
          <>
            院内服务器<span className="sr-only"> {address(status.url)}</span>
          </>
        ) : (
          shortLabel(status)
        )}
      </Tag>
    </Tooltip>
  );
}
