import { ApiOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Form, Space, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import { platformKeyLabel, type ServerPlatformStatus } from '../../../../shared/hospital/filings';
import type { PlatformConfigView } from '../../../../shared/platform-config';
import { formatChina } from '../../../../shared/time';
import { CLOCK_WARN_MS, offsetText } from '../../hospital/platform-client';
import { platformClient } from '../../hospital/platform-link';
import { errorText } from '../../lib/ipc';
import { linkState } from '../shell/PlatformStatusDetails';
import { PlatformConfigForm } from './PlatformConfigForm';
import { checkForm, toFormValues, type PlatformFormValues } from './platform-form';

type Status = ServerPlatformStatus;

function StatusPanel({ status, view, onTest, testing, canTest }: { status: Status | undefined; view: PlatformConfigView | undefined; onTest: () => void; testing: boolean; canTest: boolean }) {
  if (!status) return <Spin />;
  const offset = status.clockOffsetMs;
  const demo = status.platform === 'demo';
  return (
    <Descriptions
      bordered
      size="small"
      column={1}
      style={{ maxWidth: 760 }}
      items={[
        {
          key: 'mode',
          label: '当前平台',
          children: (
            <Space>
              {demo ? <Tag color="orange">演示平台</Tag> : <Tag color="blue">省级医保平台</Tag>}
              {status.label !== '演示平台' && <span>{status.label}</span>}
            </Space>
          ),
        },
        { key: 'url', label: '地址', children: demo ? (view?.config.mode === 'demo' ? '院内服务器内置的演示平台' : '—') : platformKeyLabel(status.platform) },
        {
          key: 'signed',
          label: '连接与签到',
          children: (
            <Space wrap>
              {status.online ? <Tag color="green">院内服务器已连上平台</Tag> : linkState(status) === '离线' ? <Tag color="warning">院内服务器连不上平台</Tag> : <Tag>尚未与平台通信</Tag>}
              {status.signedIn ? <Tag color="green">已签到</Tag> : <Tag>未签到</Tag>}
              {canTest && (
                <Button size="small" icon={<ApiOutlined />} loading={testing} onClick={onTest}>
                  测试连接（签到 9001）
                </Button>
              )}
            </Space>
          ),
        },
        { key: 'ok', label: '最近一次应答', children: status.lastSuccessAt ? formatChina(status.lastSuccessAt, 'YYYY-MM-DD HH:mm:ss') : '—' },
        {
          key: 'error',
          label: '最近的错误',
          children: status.lastError ? <Typography.Text type="danger">{status.lastError}</Typography.Text> : '—',
        },
        {
          key: 'clock',
          label: '平台时钟',
          children:
            offset === null ? (
              '—'
            ) : Math.abs(offset) > CLOCK_WARN_MS ? (
              <Typography.Text type="warning">{offsetText(offset)}，请校准院内服务器时间</Typography.Text>
            ) : (
              '与院内服务器时间一致'
            ),
        },
      ]}
    />
  );
}

/**
 * 设置 › 平台: which platform the hospital server files to (演示平台 or a configured endpoint), its
 * settings and a connection test — all kept and used by the server, never by this desk.
 * Administrators edit; the 医保办 sees the settings; everyone else sees the status only.
 */
export default function PlatformSettings({ canEdit, canView = canEdit }: { canEdit: boolean; canView?: boolean }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<PlatformFormValues>();
  const [view, setView] = useState<PlatformConfigView>();
  const [status, setStatus] = useState<Status>();
  const [loadError, setLoadError] = useState<string>();
  const [busy, setBusy] = useState<'save' | 'demo' | 'test' | undefined>();

  const refreshStatus = useCallback(async () => {
    try {
      setStatus(await platformClient().platformStatus());
    } catch (e) {
      setLoadError(errorText(e));
    }
  }, []);

  const show = useCallback(
    (next: PlatformConfigView) => {
      setView(next);
      form.setFieldsValue(toFormValues(next.config));
      // Write-only fields start empty every time.
      form.setFieldValue('secretsInput', {});
    },
    [form],
  );

  const load = useCallback(async () => {
    try {
      if (canView) show(await platformClient().platformConfig());
      setLoadError(undefined);
      await refreshStatus();
    } catch (e) {
      setLoadError(errorText(e));
    }
  }, [show, refreshStatus, canView]);

  useEffect(() => {
    let live = true;
    const ask = async () => {
      const client = platformClient();
      return Promise.all([canView ? client.platformConfig() : undefined, client.platformStatus()]);
    };
    ask().then(
      ([config, now]) => {
        if (!live) return;
        if (config) show(config);
        setStatus(now);
      },
      (e: unknown) => live && setLoadError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [show, canView]);

  const save = async (values: PlatformFormValues, kind: 'save' | 'demo') => {
    const checked = checkForm(values, view);
    if (!checked.ok) {
      form.setFields(checked.errors as Parameters<typeof form.setFields>[0]);
      return void message.error('设置有误，请按提示修改后再保存');
    }
    setBusy(kind);
    try {
      show(await platformClient().setPlatformConfig(checked.update));
      await refreshStatus();
      message.success(kind === 'demo' ? '已切换回演示平台' : '平台设置已保存');
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(undefined);
    }
  };

  const testConnection = async () => {
    if (form.isFieldsTouched()) message.info('测试使用的是已保存的设置；修改尚未保存');
    setBusy('test');
    try {
      const answer = await platformClient().platformQuery({ infno: '9001', input: {} });
      if (answer.outcome === 'accepted') message.success('签到成功，平台连接正常');
      else if (answer.outcome === 'rejected') message.error(`平台拒绝签到：${answer.errMsg}`);
      else message.error(`连接失败：${answer.message}`);
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(undefined);
      await refreshStatus();
    }
  };

  if (loadError && !view && !status) return <Alert type="error" showIcon title="无法从院内服务器读取平台设置" description={loadError} />;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Text type="secondary">平台设置保存在院内服务器上，由院内服务器统一连接省级平台；各工作站不直接连接平台。</Typography.Text>
      {loadError && <Alert type="warning" showIcon title={`无法询问院内服务器：${loadError}`} />}
      <StatusPanel status={status} view={view} canTest={canView} onTest={() => void testConnection()} testing={busy === 'test'} />
      {!canView && <Alert type="info" showIcon title="平台设置由医保办和管理员查看。" />}
      {canView && !canEdit && <Alert type="info" showIcon title="只有管理员可以修改平台设置。" />}
      {canView && <PlatformConfigForm form={form} view={view} disabled={!canEdit || busy !== undefined} />}
      {canEdit && (
        <Space>
          <Button type="primary" loading={busy === 'save'} onClick={() => void save(form.getFieldsValue(true), 'save')}>
            保存设置
          </Button>
          {view?.config.mode === 'configured' && (
            <Button loading={busy === 'demo'} onClick={() => void save({ ...toFormValues(view.config), mode: 'demo' }, 'demo')}>
              切换回演示平台
            </Button>
          )}
          <Button icon={<ReloadOutlined />} onClick={() => void load()}>
            放弃修改
          </Button>
        </Space>
      )}
    </Space>
  );
}
