import { LockOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { SyncBadge } from './SyncBadge';
import { Badge, Button, Space, Tag, Tooltip, Typography } from 'antd';
import { roleLabels } from '../../../../shared/domain/user';
import { useOnline } from '../../lib/useOnline';
import { useSession } from '../auth/session';
import { CalendarNotice } from './CalendarNotice';
import { PlatformBadge } from './PlatformBadge';
import { ServerBadge } from './ServerBadge';

/** Always visible: who is logged in, and whether the workstation is online. */
export function ShellHeader() {
  const { user, lock, logout } = useSession();
  const online = useOnline();
  return (
    <div className="shell-header">
      <Typography.Text strong className="shell-title">
        慢特病认定工作站
      </Typography.Text>
      <Space size="small" className="shell-status">
        <CalendarNotice />
        <ServerBadge />
        <PlatformBadge />
        <SyncBadge />
        <Tooltip title={online ? '网络已连接' : '网络已断开：所有操作照常保存在本机，恢复联网后自动上传'}>
          <Tag color={online ? 'success' : 'warning'} data-testid="online-status">
            <Badge status={online ? 'success' : 'warning'} /> {online ? '在线' : '离线'}
          </Tag>
        </Tooltip>
        <span data-testid="current-user">
          <UserOutlined /> {user.displayName}
          <Typography.Text type="secondary"> · {roleLabels[user.role]}</Typography.Text>
        </span>
        <Tooltip title="锁定工作站（Ctrl+L）">
          <Button size="small" icon={<LockOutlined />} onClick={lock}>
            锁定
          </Button>
        </Tooltip>
        <Button size="small" icon={<LogoutOutlined />} onClick={logout}>
          退出
        </Button>
      </Space>
    </div>
  );
}
