import { Alert, Button, Form, Input } from 'antd';
import type { User } from '../../../../shared/domain/user';
import { getDb } from '../../db/db';
import { useAction } from '../../lib/useAction';
import { AuthCard } from './AuthCard';
import { login } from '../../hospital/desk-session';

/**
 * Login by user name and password: at the hospital server, or, while it cannot be reached, here
 * for someone who has logged in at this desk before (`offline` says which it will be).
 */
export function LoginPage({ onLogin, offline }: { onLogin: (user: User, online: boolean) => void; offline?: string | null }) {
  const { busy, error, run } = useAction();

  const submit = ({ username, password }: { username: string; password: string }) =>
    run(async () => {
      const r = await login(getDb(), username, password);
      onLogin(r.user, r.online);
    });

  return (
    <AuthCard title="登录">
      {offline && <Alert type="warning" showIcon message="院内服务器暂时无法连接" description={`${offline}。在本机登录过的用户仍可离线登录；所做的操作保存在本机，连上后自动上传。`} style={{ marginBottom: 16 }} />}
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
        <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请输入用户名' }]}>
          <Input autoFocus autoComplete="username" />
        </Form.Item>
        <Form.Item name="password" label="密码" rules={[{ required: true, message: '请输入密码' }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          登录
        </Button>
      </Form>
    </AuthCard>
  );
}
