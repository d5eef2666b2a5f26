import { ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Descriptions, Form, Input, Radio, Space, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { SERVER_URL, type ChannelResponse } from '../../../../shared/ipc/contract';
import { enrolmentCode, hasServerSession } from '../../hospital/desk-session';
import { formatChina } from '../../../../shared/time/china-time';
import { call, errorText } from '../../lib/ipc';
import { useAction } from '../../lib/useAction';

type Status = ChannelResponse<'server.status'>;
type Config = ChannelResponse<'server.getConfig'>;
interface Values {
  mode: Config['mode'];
  url?: string;
}

/**
 * 设置 → 院内服务器: which hospital server this desk uses — the one built into the app (PGlite in
 * the app's data folder; a single desk or a township centre needs nothing else) or the hospital's
 * server on the LAN, at the address IT gives (`npm run server` on that machine). Administrators
 * change it; everyone sees it and can test it.
 */
export function ServerSettings({ canEdit }: { canEdit: boolean }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [status, setStatus] = useState<Status>();
  const [config, setConfig] = useState<Config>();
  const [busy, setBusy] = useState(false);
  const mode = Form.useWatch('mode', form);

  const load = useCallback(
    () =>
      Promise.all([call(window.api.server.status({})), call(window.api.server.getConfig({}))]).then(
        ([s, c]) => {
          setStatus(s);
          setConfig(c);
        },
        (e: unknown) => void message.error(errorText(e)),
      ),
    [message],
  );
  const refresh = () => {
    setBusy(true);
    void load().finally(() => setBusy(false));
  };

  useEffect(() => {
    void load();
  }, [load]);

  const save = async (values: Values) => {
    const next: Config = values.mode === 'remote' ? { mode: 'remote', url: (values.url ?? '').trim() } : { mode: 'embedded' };
    const result = await window.api.server.setConfig(next);
    if (!result.ok) return message.error(result.error.message);
    message.success(next.mode === 'remote' ? `已改用院内服务器 ${next.url}` : '已改用本机内置服务器');
    refresh();
  };

  if (!config) return <Spin />;
  return (
    <Space orientation="vertical" style={{ width: '100%', maxWidth: 760 }} size="middle">
      <Descriptions
        bordered
        size="small"
        column={1}
        items={[
          { key: 'server', label: '当前服务器', children: status ? <Space>{status.mode === 'embedded' ? <Tag color="blue">本机内置</Tag> : <Tag color="purple">院内服务器</Tag>}<span>{status.url || '—'}</span></Space> : <Spin size="small" /> },
          {
            key: 'state',
            label: '状态',
            children: status?.ok ? (
              <Typography.Text type="success" data-testid="server-health">
                正常 · 数据库 {status.database === 'postgres' ? 'PostgreSQL' : 'PGlite'} · 结构版本 {status.schemaVersion}
              </Typography.Text>
            ) : (
              <Typography.Text type="danger" data-testid="server-health">
                {status?.error ?? '—'}
              </Typography.Text>
            ),
          },
        ]}
      />
      <Button icon={<ReloadOutlined />} loading={busy} onClick={refresh}>
        检测连接
      </Button>
      {canEdit ? (
        <Form<Values> form={form} layout="vertical" initialValues={{ mode: config.mode, url: config.mode === 'remote' ? config.url : '' }} onFinish={(v) => void save(v)} requiredMark={false}>
          <Form.Item name="mode" label="本工作站使用">
            <Radio.Group
              options={[
                { value: 'embedded', label: '本机内置服务器（单机或乡镇卫生院）' },
                { value: 'remote', label: '院内服务器（医院局域网）' },
              ]}
            />
          </Form.Item>
          {mode === 'remote' && (
            <Form.Item name="url" label="服务器地址" rules={[{ required: true, message: '请填写服务器地址' }, SERVER_URL]}>
              <Input placeholder="http://192.168.1.20:8787" style={{ maxWidth: 360 }} />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit">
            保存
          </Button>
        </Form>
      ) : (
        <Alert type="info" showIcon title="只有管理员可以更改本工作站使用的服务器。" />
      )}
      {canEdit && <EnrolmentCodeCard />}
    </Space>
  );
}

/**
 * Another PC joins this hospital's server: the administrator names it here and reads the code
 * out to whoever sets that PC up (设置 → 院内服务器 there, then 登记本工作站). One use, 24 hours.
 */
function EnrolmentCodeCard() {
  const [form] = Form.useForm<{ name: string }>();
  const [issued, setIssued] = useState<{ name: string; code: string; expiresAt: string }>();
  const { busy, error, run } = useAction();
  const online = hasServerSession();

  const issue = async ({ name }: { name: string }) => {
    const ok = await run(async () => setIssued({ name: name.trim(), ...(await enrolmentCode(name.trim())) }));
    if (ok) form.resetFields();
  };

  return (
    <Card size="small" title="登记新工作站" data-testid="enrolment-code">
      <Typography.Paragraph type="secondary">
        新电脑在 设置 → 院内服务器 填写本院服务器地址后，会要求输入登记码。在此为它生成一个：24 小时内有效，只能使用一次。未登记的电脑从服务器得不到任何数据。
      </Typography.Paragraph>
      {!online && <Alert type="warning" showIcon title="本工作站当前未连接院内服务器，暂不能生成登记码。" style={{ marginBottom: 12 }} />}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="inline" onFinish={(v) => void issue(v)} requiredMark={false} disabled={!online || busy}>
        <Form.Item name="name" label="工作站名称" rules={[{ required: true, whitespace: true, message: '请填写新工作站的名称' }]}>
          <Input maxLength={60} placeholder="例如：内分泌科 1 号" style={{ width: 240 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          生成登记码
        </Button>
      </Form>
      {issued && (
        <Alert
          style={{ marginTop: 12 }}
          type="success"
          showIcon
          title={<>「{issued.name}」的登记码</>}
          description={
            <Space orientation="vertical" size={2}>
              <Typography.Text copyable={{ text: issued.code, tooltips: ['复制', '已复制'] }} strong style={{ fontFamily: 'monospace', fontSize: 20, letterSpacing: 1 }} data-testid="enrolment-code-value">
                {issued.code}
              </Typography.Text>
              <Typography.Text type="secondary">{formatChina(issued.expiresAt, 'YYYY-MM-DD HH:mm')} 前有效，仅可使用一次。请当面或电话告知，勿通过公开群发送。</Typography.Text>
            </Space>
          }
        />
      )}
    </Card>
  );
}
