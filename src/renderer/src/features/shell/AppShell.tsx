import {
  AuditOutlined,
  CloudSyncOutlined,
  DashboardOutlined,
  FolderOpenOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import { Layout, Menu } from 'antd';
import { useEffect, type ReactNode } from 'react';
import { useHashRoute } from '../../lib/useHashRoute';
import { useSession } from '../auth/session';
import { SettingsPage } from '../settings/SettingsPage';
import { EmptySection } from './EmptySection';
import { ShellHeader } from './ShellHeader';

interface Area {
  path: string;
  label: string;
  icon: ReactNode;
  render: () => ReactNode;
}

// The workstation's areas (issue 2). Areas whose feature has not landed say so plainly.
const areas: Area[] = [
  {
    path: '/workbench',
    label: '工作台',
    icon: <DashboardOutlined />,
    render: () => <EmptySection title="工作台" description="工作台尚未启用：今日待办、临近时限的案件和待处理的同步事项将汇总在这里。" />,
  },
  {
    path: '/cases',
    label: '待审案件',
    icon: <AuditOutlined />,
    render: () => <EmptySection title="待审案件" description="待审案件尚未启用：分配给您的认定案件、受理时限和办结时限将列在这里。" />,
  },
  {
    path: '/files',
    label: '档案',
    icon: <FolderOpenOutlined />,
    render: () => <EmptySection title="档案" description="档案尚未启用：参保人的申请、评审、互认、备案与复审记录将按时间线展示在这里。" />,
  },
  {
    path: '/sync',
    label: '同步',
    icon: <CloudSyncOutlined />,
    render: () => <EmptySection title="同步" description="同步尚未启用：待上传、上传中和需要处理的平台报文将列在这里。" />,
  },
  { path: '/settings', label: '设置', icon: <SettingOutlined />, render: () => <SettingsPage /> },
];

/** The main layout: navigation on the left, the status header on top, the current area below. */
export function AppShell() {
  const [path, navigate] = useHashRoute('/workbench');
  const { lock } = useSession();
  const area = areas.find((a) => path.startsWith(a.path)) ?? areas[0]!;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.ctrlKey && !event.shiftKey && !event.altKey && event.key.toLowerCase() === 'l') {
        event.preventDefault();
        lock();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [lock]);

  return (
    <Layout className="shell">
      <Layout.Header className="shell-top">
        <ShellHeader />
      </Layout.Header>
      <Layout>
        <Layout.Sider width={168} theme="light" className="shell-nav">
          <Menu
            mode="inline"
            selectedKeys={[area.path]}
            onClick={({ key }) => navigate(key)}
            items={areas.map((a) => ({ key: a.path, label: a.label, icon: a.icon }))}
          />
        </Layout.Sider>
        <Layout.Content className="shell-content">{area.render()}</Layout.Content>
      </Layout>
    </Layout>
  );
}
