import { Alert, Button, Form, Input } from 'antd';
import type { User } from '../../../../shared/domain/user';
import { getDb } from '../../db/db';
import { useAction } from '../../lib/useAction';
import { confirmPasswordRules, displayNameRules, newPasswordRules, usernameRules } from '../users/account-rules';
import { AuthCard } from './AuthCard';
import { setupAdministrator } from '../../hospital/desk-session';

interface Fields {
  displayName: string;
  username: string;
  password: string;
  confirm: string;
}

/** First start: there are no accounts yet, so the first person creates the administrator. */
export function SetupAdminPage({ onCreated }: { onCreated: (user: User) => void }) {
  const { busy, error, run } = useAction();

  const submit = (fields: Fields) =>
    run(async () => onCreated(await setupAdministrator(getDb(), { username: fields.username.trim().toLowerCase(), displayName: fields.displayName.trim(), password: fields.password })));

  return (
    <AuthCard title="首次使用：创建管理员账户" subtitle="院内服务器尚无任何账户。请先创建管理员，再由管理员为认定医师和医保办人员创建账户。">
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form<Fields> layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
        <Form.Item name="displayName" label="姓名" rules={displayNameRules}>
          <Input autoFocus autoComplete="name" />
        </Form.Item>
        <Form.Item
          name="username"
          label="用户名"
          rules={usernameRules}
        >
          <Input autoComplete="username" />
        </Form.Item>
        <Form.Item name="password" label="密码" rules={newPasswordRules}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="确认密码"
          dependencies={['password']}
          rules={confirmPasswordRules('password')}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          创建管理员并登录
        </Button>
      </Form>
    </AuthCard>
  );
}
