import { App as AntApp, ConfigProvider, Result, Spin } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import type { User } from '../../shared/domain/user';
import { getDb, requestPersistentStorage } from './db/db';
import { LockScreen } from './features/auth/LockScreen';
import { LoginPage } from './features/auth/LoginPage';
import { SessionContext, type Session } from './features/auth/session';
import { SetupAdminPage } from './features/auth/SetupAdminPage';
import { useIdleLock } from './features/auth/useIdleLock';
import { countUsers } from './features/auth/users-repo';
import { useIdleLockMinutes } from './features/settings/SecurityPanel';
import { errorText } from './lib/ipc';
import { lazyPage } from './lib/lazy-page';
import { getSyncOwner } from './sync/sync-engine';

// Everything behind the login is one chunk, fetched while the login form is on screen: the first
// paint carries only what the login page needs.
const AppShell = lazyPage(() => import('./features/shell/AppShell'));

type Phase = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'setup' } | { kind: 'login' } | { kind: 'in'; user: User; locked: boolean };

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

  useEffect(() => {
    void requestPersistentStorage().catch(() => false);
    countUsers(getDb()).then(
      (n) => {
        setPhase({ kind: n === 0 ? 'setup' : 'login' });
        // Once the login form is up, and while the user types: the workstation's chunks, the pack
        // and calendars (not the user's data), and sync — queued messages go out whenever there
        // is a link, even before anyone logs in.
        whenIdle(() => {
          getSyncOwner();
          void AppShell.prefetch().then((m) => m.prefetchAreas());
          void import('./features/policy/policy-store').then((m) => m.preloadPolicy());
        });
      },
      (e) => setPhase({ kind: 'failed', message: errorText(e) }),
    );
  }, []);

  const login = useCallback((user: User) => setPhase({ kind: 'in', user, locked: false }), []);
  const { message } = AntApp.useApp();
  const logout = useCallback(() => {
    // The last user's notices are not the next user's.
    message.destroy();
    setPhase({ kind: 'login' });
  }, [message]);
  const lock = useCallback(() => setPhase((p) => (p.kind === 'in' ? { ...p, locked: true } : p)), []);
  const unlock = useCallback(() => setPhase((p) => (p.kind === 'in' ? { ...p, locked: false } : p)), []);
  useIdleLock(idleMinutes, phase.kind === 'in' && !phase.locked, lock);

  const session = useMemo<Session | null>(() => (phase.kind === 'in' ? { user: phase.user, lock, logout } : null), [phase, lock, logout]);

  switch (phase.kind) {
    case 'loading':
      return <Spin fullscreen tip="正在打开本地数据库…" />;
    case 'failed':
      return <Result status="error" title="无法打开本地数据库" subTitle={phase.message} />;
    case 'setup':
      return <SetupAdminPage onCreated={login} />;
    case 'login':
      return <LoginPage onLogin={login} />;
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
