import { Descriptions, Tabs, Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { ChannelResponse } from '../../../../shared/ipc/contract';
import { call } from '../../lib/ipc';
import { useSession } from '../auth/session';
import { DemoDataPanel } from '../cases/DemoDataPanel';
import { PolicyPage } from '../policy/PolicyPage';
import { InstitutionPanel } from '../registry/InstitutionPanel';
import { RegistryPanel } from '../registry/RegistryPanel';
import PlatformSettings from './PlatformSettings';
import { UsersPanel } from '../users/UsersPanel';
import { SecurityPanel } from './SecurityPanel';
import { StoragePanel } from './StoragePanel';
import { useHashRoute } from '../../lib/useHashRoute';
import { ServerSettings } from './ServerSettings';
import { DeskSyncPanel } from './DeskSyncPanel';

function AboutPanel() {
  const [info, setInfo] = useState<ChannelResponse<'app.info'>>();
  useEffect(() => {
    void call(window.api.app.info({})).then(setInfo, () => undefined);
  }, []);
  return (
    <Descriptions column={1} bordered size="small" style={{ maxWidth: 640 }}>
      <Descriptions.Item label="版本">{info?.version ?? '—'}</Descriptions.Item>
      <Descriptions.Item label="运行方式">{info ? (info.shell === 'electron' ? '桌面应用' : '浏览器模式（开发与测试）') : '—'}</Descriptions.Item>
      <Descriptions.Item label="操作系统">{info?.platform ?? '—'}</Descriptions.Item>
    </Descriptions>
  );
}

/** 设置: accounts, security, storage and (as features land) platform and policy packs. */
export default function SettingsPage() {
  const { user } = useSession();
  // #/settings/<tab>[/…]: a tab can be linked to (the calendar notice opens 政策 → 节假日日历).
  const [path, navigate] = useHashRoute('/settings');
  const tab = path.split('/')[2] || 'users';
  return (
    <div className="page">
      <Typography.Title level={4}>设置</Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(key) => navigate(`/settings/${key}`)}
        items={[
          { key: 'users', label: '用户管理', children: <UsersPanel /> },
          { key: 'registry', label: '认定医师', children: <RegistryPanel /> },
          { key: 'institution', label: '本院信息', children: <InstitutionPanel /> },
          { key: 'server', label: '院内服务器', children: <ServerSettings canEdit={user.role === 'admin'} /> },
          { key: 'platform', label: '平台', children: <PlatformSettings canEdit={user.role === 'admin'} canView={user.role !== 'physician'} /> },
          { key: 'sync', label: '同步', children: <DeskSyncPanel /> },
          { key: 'policy', label: '政策', children: <PolicyPage /> },
          { key: 'security', label: '安全', children: <SecurityPanel /> },
          { key: 'storage', label: '数据与存储', children: <StoragePanel /> },
          { key: 'demo', label: '演示数据', children: <DemoDataPanel /> },
          { key: 'about', label: '关于', children: <AboutPanel /> },
        ]}
      />
    </div>
  );
}
