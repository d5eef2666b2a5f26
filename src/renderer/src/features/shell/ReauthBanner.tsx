import { Alert, Button, Form, Input, Space } from 'antd';
import { getDb } from '../../db/db';
import { reauthenticate } from '../../hospital/desk-session';
import { useDeskStatus } from '../../hospital/useDeskStatus';
import { useAction } from '../../lib/useAction';

/**
 * The server no longer knows this user's session (unused for hours, e.g. a desk offline for days,
 * or a reset password): work goes on at the desk and is saved here, but nothing reaches the server
 * until the user enters the password again — here, without losing the page they are on.
 */
export function ReauthBanner() {
  const desk = useDeskStatus();
  const [form] = Form.useForm<{ password: string }>();
  const { busy, error, run } = useAction();
  if (!desk?.signedOut) return null;

  const submit = async ({ password }: { password: string }) => {
    if (await run(() => reauthenticate(getDb(), password))) form.resetFields();
  };

  return (
    <Alert
      type="warning"
      showIcon
      data-testid="reauth"
      style={{ margin: '8px 16px 0' }}
      title={`与院内服务器的登录已失效${desk.pending ? `：${desk.pending} 项操作已保存在本机，尚未发送` : ''}。请输入密码重新连接。`}
      description={
        <Form form={form} layout="inline" onFinish={(v) => void submit(v)} requiredMark={false} disabled={busy}>
          <Space wrap>
            <Form.Item name="password" rules={[{ required: true, message: '请输入密码' }]} style={{ marginBottom: 0 }}>
              <Input.Password placeholder="登录密码" aria-label="重新连接的登录密码" autoComplete="current-password" style={{ width: 220 }} />
            </Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>
              重新连接
            </Button>
            {error && <span style={{ color: 'var(--ant-color-error, #ff4d4f)' }}>{error}</span>}
          </Space>
        </Form>
      }
    />
  );
}
