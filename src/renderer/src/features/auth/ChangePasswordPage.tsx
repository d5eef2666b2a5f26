import { Alert, Button, Form, Input } from 'antd';
import type { User } from '../../../../shared/domain/user';
import { getDb } from '../../db/db';
import { changePassword } from '../../hospital/desk-session';
import { useAction } from '../../lib/useAction';
import { confirmPasswordRules, newPasswordRules } from '../users/account-rules';
import { AuthCard } from './AuthCard';

interface Fields {
  current: string;
  next: string;
  confirm: string;
}

/** After an administrator created the account or reset its password: the person chooses their own. */
export function ChangePasswordPage({ user, onChanged, onCancel }: { user: User; onChanged: (user: User) => void; onCancel: () => void }) {
  const { busy, error, run } = useAction();

  const submit = (fields: Fields) => run(async () => onChanged(await changePassword(getDb(), user, fields.current, fields.next)));

  return (
    <AuthCard title="请设置新密码" subtitle={`${user.displayName}，您的密码由管理员设置，请先换成只有您知道的密码。`}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form<Fields> layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
        <Form.Item name="current" label="当前密码" rules={[{ required: true, message: '请输入当前密码' }]}>
          <Input.Password autoFocus autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="next" label="新密码" rules={newPasswordRules}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label="确认新密码"
          dependencies={['next']}
          rules={confirmPasswordRules('next', '请再次输入新密码')}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          保存新密码并进入
        </Button>
        <Button type="link" block onClick={onCancel} style={{ marginTop: 8 }}>
          退出
        </Button>
      </Form>
    </AuthCard>
  );
}
