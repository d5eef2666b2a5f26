import { ApiOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Form, Space, Spin, Tag, Typography } from 'antd';
import { useCallback, useEffect, useState } from 'react';
import type { ChannelResponse } from '../../../../shared/ipc/contract';
import type { PlatformConfigView } from '../../../../shared/platform-config';
import { call, errorText } from '../../lib/ipc';
import { PlatformConfigForm } from './PlatformConfigForm';
import { checkForm, describeClockOffset, toFormValues, type PlatformFormValues } from './platform-form';
import { formatChina } from '../../../../shared/time';

type Status = ChannelResponse<'platform.status'>;

// architecture.md §6: a clock far off the platform's makes sync fail in ways nobody can explain.
const CLOCK_WARNING_MS = 60_000;

function StatusPanel({ status, onTest, testing }: { status: Status | undefined; onTest: () => void; testing: boolean }) {
  if (!status) return <Spin />;
  const offset = status.clockOffsetMs;
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
              {status.mode === 'demo' ? <Tag color="orange">演示平台</Tag> : <Tag color="blue">省级医保平台</Tag>}
              {status.label !== '演示平台' && <span>{status.label}</span>}
            </Space>
          ),
        },
        { key: 'url', label: '地址', children: status.baseUrl || '—' },
        {
          key: 'signed',
          label: '签到',
          children: (
            <Space>
              {status.signedIn ? <Tag color="green">已签到</Tag> : <Tag>未签到</Tag>}
              <Button size="small" icon={<ApiOutlined />} loading={testing} onClick={onTest}>
                测试连接（签到 9001）
              </Button>
            </Space>
          ),
        },
        { key: 'ok', label: '最近一次应答', children: status.lastOkAt ? formatChina(status.lastOkAt, 'YYYY-MM-DD HH:mm:ss') : '—' },
        {
          key: 'error',
          label: '最近的错误',
          children: status.lastError ? <Typography.Text type="danger">{status.lastError}</Typography.Text> : '—',
        },
        {
          key: 'clock',
          label: '平台时钟',
          children:
            offset === undefined ? (
              '—'
            ) : (
              <Typography.Text type={Math.abs(offset) > CLOCK_WARNING_MS ? 'warning' : undefined}>
                {describeClockOffset(offset)}
                {Math.abs(offset) > CLOCK_WARNING_MS && '，请校准本机时间'}
              </Typography.Text>
            ),
        },
      ]}
    />
  );
}

/**
 * 设置 › 医保平台: which platform the workstation files to (演示平台 or a configured endpoint),
 * its settings, and a connection test. Only administrators edit; others see the status.
 */
export default function PlatformSettings({ canEdit }: { canEdit: boolean }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<PlatformFormValues>();
  const [view, setView] = useState<PlatformConfigView>();
  const [status, setStatus] = useState<Status>();
  const [loadError, setLoadError] = useState<string>();
  const [busy, setBusy] = useState<'save' | 'demo' | 'test' | undefined>();

  const refreshStatus = useCallback(async () => {
    try {
      setStatus(await call(window.api.platform.status({})));
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
      show(await call(window.api.platform.getConfig({})));
      setLoadError(undefined);
      await refreshStatus();
    } catch (e) {
      setLoadError(errorText(e));
    }
  }, [show, refreshStatus]);

  useEffect(() => {
    let live = true;
    Promise.all([call(window.api.platform.getConfig({})), call(window.api.platform.status({}))]).then(
      ([config, now]) => {
        if (!live) return;
        show(config);
        setStatus(now);
      },
      (e: unknown) => live && setLoadError(errorText(e)),
    );
    return () => {
      live = false;
    };
  }, [show]);

  const save = async (values: PlatformFormValues, kind: 'save' | 'demo') => {
    const checked = checkForm(values, view);
    if (!checked.ok) {
      form.setFields(checked.errors as Parameters<typeof form.setFields>[0]);
      return void message.error('设置有误，请按提示修改后再保存');
    }
    setBusy(kind);
    try {
      show(await call(window.api.platform.setConfig(checked.update)));
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
      const answer = await call(window.api.platform.send({ infno: '9001', input: {} }));
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

  if (loadError && !view) return <Alert type="error" showIcon title="无法读取平台设置" description={loadError} />;

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <StatusPanel status={status} onTest={() => void testConnection()} testing={busy === 'test'} />
      {!canEdit && <Alert type="info" showIcon title="只有管理员可以修改平台设置。" />}
      <PlatformConfigForm form={form} view={view} disabled={!canEdit || busy !== undefined} />
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
