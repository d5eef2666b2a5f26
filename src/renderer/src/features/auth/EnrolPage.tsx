import { Alert, Button, Form, Input, Typography } from 'antd';
import { call } from '../../lib/ipc';
import { useAction } from '../../lib/useAction';
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
  const { busy, error, run } = useAction();

  // The way back when the address was wrong or the server is gone: this desk works alone again
  // (its own embedded server; nothing of the LAN server's comes with it).
  const switchToEmbedded = async () => {
    if (await run(() => call(window.api.server.setConfig({ mode: 'embedded' })))) onEnrolled();
  };

  const submit = async (fields: Fields) => {
    if (await run(() => call(window.api.server.enrol(fields)))) onEnrolled();
  };

  return (
    <AuthCard title="登记本工作站" subtitle={`本工作站使用院内服务器 ${url}，需先由管理员登记一次。`}>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form<Fields> layout="vertical" onFinish={submit} requiredMark={false} disabled={busy}>
        <Form.Item name="code" label="登记码" extra="由管理员在已登记的工作站上 设置 → 院内服务器 → 生成登记码 得到（服务器首次启动时也会打印一个），24 小时内有效，只能使用一次" rules={[{ required: true, message: '请填写管理员给出的登记码' }]}>
          <Input autoFocus placeholder="XXXX-XXXX-XXXX-XXXX" autoComplete="off" />
        </Form.Item>
        <Form.Item name="name" label="工作站名称" extra="例如：内分泌科 1 号、医保办前台" rules={[{ required: true, message: '请填写本工作站的名称' }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={busy}>
          登记
        </Button>
      </Form>
      <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 8 }}>
        地址有误或暂不使用院内服务器时，可改回本机内置服务器（单机使用，不带走院内服务器上的数据）；地址请向医院信息科确认。
      </Typography.Paragraph>
      <Button block disabled={busy} onClick={() => void switchToEmbedded()}>
        改回本机内置服务器
      </Button>
    </AuthCard>
  );
}
