import {
  AuditOutlined,
  CloudSyncOutlined,
  DashboardOutlined,
  FileAddOutlined,
  FileDoneOutlined,
  FolderOpenOutlined,
  SettingOutlined,
} from '@ant-design/icons';
import { Layout, Menu, Spin } from 'antd';
import { Suspense, useEffect, useState, type ComponentType, type ReactNode } from 'react';
import type { Role } from '../../../../shared/domain/user';
import { lazyPage } from '../../lib/lazy-page';
import { useHashRoute } from '../../lib/useHashRoute';
import { useSession } from '../auth/session';
import { useLapseSweeper } from '../cases/useLapseSweeper';
import { useDeadlineRefresh } from '../cases/useDeadlineRefresh';
import { ShellHeader } from './ShellHeader';
import { ReauthBanner } from './ReauthBanner';
import { areaOf, reviewedCase, reviewPlace } from './nav';

// Each area is its own chunk, so the login page carries none of them; the login page fetches
// them all while the user types (prefetchAreas), so neither login nor switching waits.
// #/cases/<caseId> opens one case's review page, under the worklist.
const ReviewPage = lazyPage(() => import('../review/ReviewPage'));

interface Area {
  path: string;
  /** The navigation label; a function when it depends on the role. */
  label: string | ((role: Role) => string);
  icon: ReactNode;
  /** Who sees the area in the navigation; everyone when absent. */
  roles?: readonly Role[];
  page: ComponentType & { prefetch: () => Promise<unknown> };
}

// The workstation's areas (issue 2).
const areas: Area[] = [
  { path: '/workbench', label: '工作台', icon: <DashboardOutlined />, page: lazyPage(() => import('../review/WorkbenchPage')) },
  // A physician's own assignments; for the 医保办 its queue of office stages (000 院内复核).
  { path: '/cases', label: (role) => (role === 'office' ? '院内复核' : '待审案件'), icon: <AuditOutlined />, roles: ['physician', 'office'], page: lazyPage(() => import('../cases/WorklistPage')) },
  { path: '/intake', label: '受理申请', icon: <FileAddOutlined />, roles: ['office', 'admin'], page: lazyPage(() => import('../intake/IntakePage')) },
  { path: '/filings', label: '备案', icon: <FileDoneOutlined />, roles: ['office', 'admin'], page: lazyPage(() => import('../filings/FilingsPage')) },
  { path: '/files', label: '档案', icon: <FolderOpenOutlined />, page: lazyPage(() => import('../case-file/CaseFilePage')) },
  { path: '/sync', label: '同步', icon: <CloudSyncOutlined />, page: lazyPage(() => import('../sync/SyncPage')) },
  { path: '/settings', label: '设置', icon: <SettingOutlined />, page: lazyPage(() => import('../settings/SettingsPage')) },
];

/**
 * Loads the areas' chunks (called on the login page, while the user types): first the page the
 * address will open after login, then — once the page is idle again — all the others.
 */
export function prefetchAreas(path = window.location.hash.slice(1)): Promise<unknown> {
  const first = reviewedCase(path) ? ReviewPage : (areas.find((a) => path.startsWith(a.path)) ?? areas[0]!).page;
  return first
    .prefetch()
    .then(() => new Promise((resolve) => setTimeout(resolve, 300)))
    .then(() => Promise.all([ReviewPage, ...areas.map((a) => a.page)].map((p) => p.prefetch())));
}

/** The main layout: navigation on the left, the status header on top, the current area below. */
export default function AppShell() {
  const [path, navigate] = useHashRoute('/workbench');
  const { lock, user } = useSession();
  useLapseSweeper();
  useDeadlineRefresh();
  const visible = areas.filter((a) => !a.roles || a.roles.includes(user.role));
  const visiblePaths = visible.map((a) => a.path);
  const area = visible.find((a) => a.path === areaOf(path, visiblePaths)) ?? visible[0]!;
  // #/cases/<caseId>: one case's review page, for every role. It belongs where it was opened from
  // (the last page shown before it: 工作台, 档案, 同步, the worklist), else to the case's own section.
  const reviewing = reviewedCase(path);
  const [from, setFrom] = useState<string | null>(null);
  if (!reviewing && from !== path) setFrom(path);
  const place = reviewPlace(from, user.role, visiblePaths);
  const labelOf = (key: string) => {
    const a = visible.find((v) => v.path === key);
    return a ? (typeof a.label === 'function' ? a.label(user.role) : a.label) : '';
  };

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
            selectedKeys={[reviewing ? place.section : area.path]}
            onClick={({ key }) => navigate(key)}
            items={visible.map((a) => ({ key: a.path, label: labelOf(a.path), icon: a.icon }))}
          />
        </Layout.Sider>
        <Layout.Content className="shell-content">
          <ReauthBanner />
          <Suspense fallback={<Spin className="page-loading" />}>
            {reviewing ? (
              <ReviewPage key={reviewing} caseId={decodeURIComponent(reviewing)} backLabel={labelOf(place.section)} onBack={() => navigate(place.back)} />
            ) : (
              <area.page />
            )}
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
