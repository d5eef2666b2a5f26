import { LockOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Badge, Button, Space, Tag, Tooltip, Typography } from 'antd';
import { roleLabels } from '../../../../shared/domain/user';
import { useOnline } from '../../lib/useOnline';
import { useSession } from '../auth/session';
import { CalendarNotice } from './CalendarNotice';
import { PlatformBadge } from './PlatformBadge';
import { ServerBadge } from './ServerBadge';
import { useCompactHeader } from './useCompactHeader';

/** Tooltips in the header open on keyboard focus too: what the compact header hides is read by Tab. */
export const HEADER_TIP_TRIGGER: ('hover' | 'focus')[] = ['hover', 'focus'];

/**
 * Always visible: who is logged in, and whether the workstation is online. Compact below 1600 px
 * (useCompactHeader): the same items, shorter — the details in tooltips that open on hover and on
 * keyboard focus, 锁定 and 退出 as icons with their names — so nothing wraps or overflows at the
 * window's minimum width (1100 px).
 */
export function ShellHeader({ compact: forced }: { compact?: boolean } = {}) {
  const { user, lock, logout } = useSession();
  const online = useOnline();
  const media = useCompactHeader();
  const compact = forced ?? media;
  const who = `${user.displayName} · ${roleLabels[user.role]}`;
  return (
    <div className={compact ? 'shell-header shell-header-compact' : 'shell-header'} data-compact={compact ? 'true' : undefined}>
      <Typography.Text strong className="shell-title" title="慢特病认定工作站">
        慢特病认定工作站
      </Typography.Text>
      <Space size={compact ? 6 : 'small'} className="shell-status">
        <CalendarNotice compact={compact} />
        <ServerBadge compact={compact} />
        <PlatformBadge compact={compact} />
        <Tooltip title={online ? '网络已连接' : '网络已断开：所有操作照常保存在本机，恢复联网后自动上传'}>
          <Tag color={online ? 'success' : 'warning'} data-testid="online-status">
            <Badge status={online ? 'success' : 'warning'} /> {online ? '在线' : '离线'}
          </Tag>
        </Tooltip>
        {compact ? (
          <Tooltip title={who} trigger={HEADER_TIP_TRIGGER}>
            <span data-testid="current-user" className="shell-user" tabIndex={0}>
              <UserOutlined /> {user.displayName}
              <span className="sr-only"> · {roleLabels[user.role]}</span>
            </span>
          </Tooltip>
        ) : (
          <span data-testid="current-user" className="shell-user">
            <UserOutlined /> {user.displayName}
            <Typography.Text type="secondary"> · {roleLabels[user.role]}</Typography.Text>
          </span>
        )}
        <Tooltip title="锁定工作站（Ctrl+L）" trigger={HEADER_TIP_TRIGGER}>
          <Button size="small" icon={<LockOutlined />} onClick={lock} aria-label="锁定">
            {compact ? null : '锁定'}
          </Button>
        </Tooltip>
        <Tooltip title={compact ? '退出登录' : undefined} trigger={HEADER_TIP_TRIGGER}>
          <Button size="small" icon={<LogoutOutlined />} onClick={logout} aria-label="退出">
            {compact ? null : '退出'}
          </Button>
        </Tooltip>
      </Space>
    </div>
  );
}
