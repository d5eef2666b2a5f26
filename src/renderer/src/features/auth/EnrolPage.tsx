import { Alert, Button, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { call, errorText } from '../../lib/ipc';
import { AuthCard } from './AuthCard';

interface Fields {
  code: string;
  name: string;
}

/**
 * A LAN server this desk has not been enrolled with: an administrator gives a one-time code
 * (the server prints the first one at its first start). Until then the server tells this machine nothing.
 */
export function EnrolPage({ url, onEnrolled }: { url: string; onEnrolled: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (fields: Fields) => {
    setBusy(true);
    setError(undefined);
    try {
      await call(window.api.server.enrol(fields));
      onEnrolled();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <AuthCard title="登记本工作站" subtitle={`本工作站使用院内服务器 ${url}，需先由管理员登记一次。`}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form<Fields> layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
        <Form.Item name="code" label="登记码" extra="由管理员在 设置 → 院内服务器 生成，24 小时内有效，只能使用一次" rules={[{ required: true, message: '请填写管理员给出的登记码' }]}>
          <Input autoFocus placeholder="XXXX-XXXX-XXXX-XXXX" autoComplete="off" />
        </Form.Item>
        <Form.Item name="name" label="工作站名称" extra="例如：内分泌科 1 号、医保办前台" rules={[{ required: true, message: '请填写本工作站的名称' }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          登记
        </Button>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
        若服务器地址有误，请在本机以管理员身份改回本机内置服务器，或联系医院信息科。
      </Typography.Paragraph>
    </AuthCard>
  );
}
