import { App as AntApp, Button, ConfigProvider, Result, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import type { User } from '../../shared/domain/user';
import { getDb, requestPersistentStorage } from './db/db';
import { LockScreen } from './features/auth/LockScreen';
import { LoginPage } from './features/auth/LoginPage';
import { SessionContext, type Session } from './features/auth/session';
import { SetupAdminPage } from './features/auth/SetupAdminPage';
import { EnrolPage } from './features/auth/EnrolPage';
import { ChangePasswordPage } from './features/auth/ChangePasswordPage';
import { openLink, startDesk, stopDesk } from './hospital/desk-session';
import { useIdleLock } from './features/auth/useIdleLock';
import { countUsers } from './features/auth/users-repo';
import { useIdleLockMinutes } from './features/settings/SecurityPanel';
import { errorText } from './lib/ipc';
import { lazyPage } from './lib/lazy-page';

// Everything behind the login is one chunk, fetched while the login form is on screen: the first
// paint carries only what the login page needs.
const AppShell = lazyPage(() => import('./features/shell/AppShell'));

type Phase =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'enrol'; url: string }
  | { kind: 'setup' }
  | { kind: 'login'; offline: string | null }
  | { kind: 'change-password'; user: User }
  | { kind: 'in'; user: User; locked: boolean };

// zeroRuntime: antd's component styles come from its prebuilt stylesheet (start.tsx) instead of
// being generated in the page on first use of each component — that generation was most of the
// time from 登录 to the first worklist rows. The tokens below still apply, as CSS variables.
const theme = {
  zeroRuntime: true,
  token: { colorPrimary: '#1f6feb', borderRadius: 4, fontSize: 14 },
  components: { Layout: { headerBg: '#ffffff', headerHeight: 48, headerPadding: '0 16px' } },
};

/** After the next paint, when the page is idle (at most half a second later). */
function whenIdle(work: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(work, { timeout: 500 });
  else setTimeout(work, 50);
}

function Workstation() {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const idleMinutes = useIdleLockMinutes();

  // Which page comes first: enrolment, the first administrator, or the login (online or not).
  const probe = useCallback(() => {
    openLink().then(
      async (state) => {
        if (state.kind === 'unenrolled') return setPhase({ kind: 'enrol', url: state.url });
        if (state.kind === 'offline') {
          // Nobody has logged in here yet: there is no one to let in without the server.
          if ((await countUsers(getDb())) === 0) return setPhase({ kind: 'failed', message: `无法连接院内服务器：${state.reason}` });
          return setPhase({ kind: 'login', offline: state.reason });
        }
        setPhase(state.accounts === 0 ? { kind: 'setup' } : { kind: 'login', offline: null });
        // Once the login form is up, and while the user types: the workstation's chunks, the pack
        // and calendars (not the user's data).
        whenIdle(() => {
          void AppShell.prefetch().then((m) => m.prefetchAreas());
          void import('./features/policy/policy-store').then((m) => m.preloadPolicy());
        });
      },
      (e) => setPhase({ kind: 'failed', message: errorText(e) }),
    );
  }, []);

  const connect = useCallback(() => {
    setPhase({ kind: 'loading' });
    probe();
  }, [probe]);

  useEffect(() => {
    void requestPersistentStorage().catch(() => false);
    probe();
  }, [probe]);

  const enter = useCallback((user: User) => {
    startDesk(getDb(), user);
    setPhase({ kind: 'in', user, locked: false });
  }, []);
  const login = useCallback((user: User, online = true) => (online && user.mustChangePassword ? setPhase({ kind: 'change-password', user }) : enter(user)), [enter]);
  const { message } = AntApp.useApp();
  const logout = useCallback(() => {
    // The last user's notices are not the next user's.
    message.destroy();
    void stopDesk();
    setPhase({ kind: 'login', offline: null });
  }, [message]);
  const lock = useCallback(() => setPhase((p) => (p.kind === 'in' ? { ...p, locked: true } : p)), []);
  const unlock = useCallback(() => setPhase((p) => (p.kind === 'in' ? { ...p, locked: false } : p)), []);
  useIdleLock(idleMinutes, phase.kind === 'in' && !phase.locked, lock);

  const session = useMemo<Session | null>(() => (phase.kind === 'in' ? { user: phase.user, lock, logout } : null), [phase, lock, logout]);

  switch (phase.kind) {
    case 'loading':
      return <Spin fullscreen tip="正在连接院内服务器…" />;
    case 'failed':
      return <Result status="error" title="工作站无法启动" subTitle={phase.message} extra={<Button onClick={connect}>重试</Button>} />;
    case 'enrol':
      return <EnrolPage url={phase.url} onEnrolled={connect} />;
    case 'setup':
      return <SetupAdminPage onCreated={(user) => login(user)} />;
    case 'login':
      return <LoginPage onLogin={login} offline={phase.offline} />;
    case 'change-password':
      return <ChangePasswordPage user={phase.user} onChanged={enter} onCancel={logout} />;
    case 'in':
      return (
        <SessionContext.Provider value={session}>
          {/* The shell stays mounted under the lock so unsaved work survives an idle lock. */}
          <div aria-hidden={phase.locked} inert={phase.locked} className={phase.locked ? 'locked-content' : undefined}>
            <Suspense fallback={<Spin fullscreen tip="正在打开工作站…" />}>
              <AppShell />
            </Suspense>
          </div>
          {phase.locked && <LockScreen user={phase.user} onUnlock={unlock} onLogout={logout} />}
        </SessionContext.Provider>
      );
  }
}

export function App() {
  return (
    <ConfigProvider locale={zhCN} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>
        <Workstation />
      </AntApp>
    </ConfigProvider>
  );
}
