import {
  AuditOutlined,
  CloudSyncOutlined,
  DashboardOutlined,
  FileDoneOutlined,
  FolderOpenOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import { Layout, Menu } from 'antd';
import { useEffect, type ReactNode } from 'react';
import type { Role } from '../../../../shared/domain/user';
import { useHashRoute } from '../../lib/useHashRoute';
import { useSession } from '../auth/session';
import CaseFilePage from '../case-file/CaseFilePage';
import WorklistPage from '../cases/WorklistPage';
import FilingsPage from '../filings/FilingsPage';
import WorkbenchPage from '../review/WorkbenchPage';
import ReviewPage from '../review/ReviewPage';
import { SettingsPage } from '../settings/SettingsPage';
import SyncPage from '../sync/SyncPage';
import { ShellHeader } from './ShellHeader';

interface Area {
  path: string;
  label: string;
  icon: ReactNode;
  /** Who sees the area in the navigation; everyone when absent. */
  roles?: readonly Role[];
  render: () => ReactNode;
}

// The workstation's areas (issue 2). Areas whose feature has not landed say so plainly.
const areas: Area[] = [
  {
    path: '/workbench',
    label: '工作台',
    icon: <DashboardOutlined />,
    render: () => <WorkbenchPage />,
  },
  { path: '/cases', label: '待审案件', icon: <AuditOutlined />, roles: ['physician'], render: () => <WorklistPage /> },
  { path: '/filings', label: '备案', icon: <FileDoneOutlined />, roles: ['office', 'admin'], render: () => <FilingsPage /> },
  {
    path: '/files',
    label: '档案',
    icon: <FolderOpenOutlined />,
    render: () => <CaseFilePage />,
  },
  { path: '/sync', label: '同步', icon: <CloudSyncOutlined />, render: () => <SyncPage /> },
  { path: '/settings', label: '设置', icon: <SettingOutlined />, render: () => <SettingsPage /> },
];

/** The main layout: navigation on the left, the status header on top, the current area below. */
export function AppShell() {
  const [path, navigate] = useHashRoute('/workbench');
  const { lock, user } = useSession();
  const visible = areas.filter((a) => !a.roles || a.roles.includes(user.role));
  const area = visible.find((a) => path.startsWith(a.path)) ?? visible[0]!;
  // #/cases/<caseId>: one case's review page, under the worklist (office users reach it too).
  const reviewing = /^\/cases\/([^/]+)$/.exec(path)?.[1];

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
            selectedKeys={[reviewing ? '/cases' : area.path]}
            onClick={({ key }) => navigate(key)}
            items={visible.map((a) => ({ key: a.path, label: a.label, icon: a.icon }))}
          />
        </Layout.Sider>
        <Layout.Content className="shell-content">
          {reviewing ? <ReviewPage key={reviewing} caseId={decodeURIComponent(reviewing)} onBack={() => navigate('/cases')} /> : area.render()}
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
