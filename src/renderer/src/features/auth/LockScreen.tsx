import { LockOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Space } from 'antd';
import { useState } from 'react';
import { roleLabels, type User } from '../../../../shared/domain/user';
import { errorText } from '../../lib/ipc';
import { AuthCard } from './AuthCard';
import { verifyUserPassword } from './users-repo';

/**
 * Covers the whole window while locked: nothing behind it is readable or reachable. Only the
 * locked user's password unlocks; anyone else must log out (unsaved form input is lost then).
 */
export function LockScreen({ user, onUnlock, onLogout }: { user: User; onUnlock: () => void; onLogout: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

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
    <div className="lock-overlay" role="dialog" aria-modal="true" aria-label="工作站已锁定">
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
