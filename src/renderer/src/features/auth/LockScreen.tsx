import { LockOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Space } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { roleLabels, type User } from '../../../../shared/domain/user';
import { errorText } from '../../lib/ipc';
import { AuthCard } from './AuthCard';
import { verifyUserPassword } from './users-repo';

/**
 * While locked, nothing behind the lock screen hears the keyboard or takes focus: every other
 * child of <body> (the app, and antd's dialogs and popups, which live in portals outside it) is
 * made inert, keys aimed outside the lock screen are stopped before anything sees them, and keys
 * typed into it stop there, so the worklist's A/R, the review page's Esc and a dialog's Enter
 * behind it never fire (they listen on window).
 */
function useKeyboardIsolation(overlay: React.RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const own = overlay.current;
    if (!own) return;
    const made: Element[] = [];
    const isolate = (el: Element) => {
      if (el.contains(own) || el.hasAttribute('inert')) return;
      el.setAttribute('inert', '');
      made.push(el);
    };
    [...document.body.children].forEach(isolate);
    const observer = new MutationObserver(() => [...document.body.children].forEach(isolate));
    observer.observe(document.body, { childList: true });
    const outside = (e: KeyboardEvent) => {
      if (e.target instanceof Node && own.contains(e.target)) return;
      e.stopImmediatePropagation();
      e.preventDefault();
    };
    const inside = (e: KeyboardEvent) => e.stopPropagation();
    window.addEventListener('keydown', outside, true);
    own.addEventListener('keydown', inside);
    return () => {
      observer.disconnect();
      window.removeEventListener('keydown', outside, true);
      own.removeEventListener('keydown', inside);
      made.forEach((el) => el.removeAttribute('inert'));
    };
  }, [overlay]);
}

/**
 * Covers the whole window while locked: nothing behind it is readable or reachable. Only the
 * locked user's password unlocks; anyone else must log out (unsaved form input is lost then).
 */
export function LockScreen({ user, onUnlock, onLogout }: { user: User; onUnlock: () => void; onLogout: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const overlay = useRef<HTMLDivElement>(null);
  useKeyboardIsolation(overlay);

  const submit = async ({ password }: { password: string }) => {
    setBusy(true);
    setError(undefined);
    try {
      if (await verifyUserPassword(user, password)) onUnlock();
      else setError('密码错误');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div ref={overlay} className="lock-overlay" role="dialog" aria-modal="true" aria-label="工作站已锁定">
      <AuthCard
        title="工作站已锁定"
        subtitle={
          <>
            <LockOutlined /> {user.displayName}（{roleLabels[user.role]}）长时间未操作或手动锁定，请输入密码解锁。
          </>
        }
      >
        {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
        <Form layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
          <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password autoFocus autoComplete="current-password" />
          </Form.Item>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Button type="primary" htmlType="submit" block loading={busy}>
              解锁
            </Button>
            <Button block onClick={onLogout}>
              退出登录，切换用户
            </Button>
          </Space>
        </Form>
      </AuthCard>
    </div>
  );
}
