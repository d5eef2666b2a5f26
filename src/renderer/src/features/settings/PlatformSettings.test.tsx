// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Api } from '../../../../shared/ipc/api';
import { ok } from '../../../../shared/ipc/result';
import { defaultPlatformConfig, platformConfigUpdateSchema, type PlatformConfigView } from '../../../../shared/platform-config';
import PlatformSettings from './PlatformSettings';

/**
 * window.api's platform domain as main answers it (settings kept in memory, secrets write-only);
 * the real handlers are tested in src/main/platform.
 */
function fakePlatformApi(demoUrl: string): Api['platform'] {
  let view: PlatformConfigView = {
    config: defaultPlatformConfig,
    secrets: { sm2PrivateKey: false, password: false, clientSecret: false, tifToken: false, sm4Key: false },
    demoAvailable: true,
    secretProtection: 'plain-file',
  };
  const status = () => {
    const demo = view.config.mode === 'demo';
    return { mode: view.config.mode, label: demo ? '演示平台' : view.config.platformName, baseUrl: demo ? demoUrl : view.config.baseUrl, signedIn: false };
  };
  return {
    getConfig: async () => ok(view),
    setConfig: async (request) => {
      const update = platformConfigUpdateSchema.parse(request);
      const secret = (given: string | null | undefined, had: boolean) => (given === undefined ? had : given !== null);
      view = {
        ...view,
        config: update.config,
        secrets: {
          sm2PrivateKey: secret(update.secrets.sm2PrivateKey, view.secrets.sm2PrivateKey),
          password: secret(update.secrets.password, view.secrets.password),
          clientSecret: secret(update.secrets.clientSecret, view.secrets.clientSecret),
          tifToken: secret(update.secrets.tifToken, view.secrets.tifToken),
          sm4Key: secret(update.secrets.sm4Key, view.secrets.sm4Key),
        },
      };
      return ok(view);
    },
    status: async () => ok(status()),
    send: async () => ok({ outcome: 'accepted' as const, msgid: 'H00000000001202503010930150000', output: {} }),
  };
}

beforeEach(() => {
  window.api = { platform: fakePlatformApi('http://127.0.0.1:9') } as Api;
});
afterEach(() => {
  cleanup();
});

const mount = (canEdit: boolean) =>
  render(
    <ConfigProvider locale={zhCN}>
      <App>
        <PlatformSettings canEdit={canEdit} />
      </App>
    </ConfigProvider>,
  );

const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

describe('PlatformSettings', () => {
  it('shows the demo platform and its first-start settings', async () => {
    mount(true);
    expect(await screen.findByText('演示平台（内置，数据为虚构）')).toBeTruthy();
    await waitFor(() => expect(input('定点医药机构编号').value).toBe('H00000000001'));
    expect(screen.getAllByText('演示平台').length).toBeGreaterThan(0);
    expect(screen.getByText('http://127.0.0.1:9')).toBeTruthy();
  });

  it('explains a bad field in Chinese and saves nothing', async () => {
    mount(true);
    await waitFor(() => expect(input('定点医药机构编号').value).toBe('H00000000001'));
    fireEvent.change(input('定点医药机构编号'), { target: { value: 'H12' } });
    fireEvent.click(screen.getByRole('button', { name: /保存设置/ }));
    expect(await screen.findByText('定点医药机构编号应为 12 位字母或数字')).toBeTruthy();
    const stored = await window.api.platform.getConfig({});
    expect(stored.ok && stored.value.config.institution.fixmedins_code).toBe('H00000000001');
  });

  it('saves a configured endpoint, then switches back to demo', async () => {
    mount(true);
    await waitFor(() => expect(input('定点医药机构编号').value).toBe('H00000000001'));
    fireEvent.click(screen.getByLabelText('省级医保平台（已配置地址）'));
    fireEvent.change(await screen.findByLabelText('平台地址'), { target: { value: 'http://10.1.2.3:8080' } });
    fireEvent.change(input('平台名称'), { target: { value: '省平台测试环境' } });
    fireEvent.click(screen.getByRole('button', { name: /保存设置/ }));
    await waitFor(async () => {
      const status = await window.api.platform.status({});
      expect(status.ok && status.value).toMatchObject({ mode: 'configured', label: '省平台测试环境', baseUrl: 'http://10.1.2.3:8080' });
    });
    expect(await screen.findByText('省平台测试环境')).toBeTruthy();

    fireEvent.click(await screen.findByRole('button', { name: /切换回演示平台/ }));
    await waitFor(async () => {
      const status = await window.api.platform.status({});
      expect(status.ok && status.value).toMatchObject({ mode: 'demo', baseUrl: 'http://127.0.0.1:9' });
    });
    const stored = await window.api.platform.getConfig({});
    expect(stored.ok && stored.value.config.baseUrl).toBe('http://10.1.2.3:8080'); // kept for next time
  });

  it('chooses the Jilin dialect, asks for the secrets it needs, and saves it with the hospital\'s client id', async () => {
    // The form re-renders a good deal on a loaded machine: allow it time.
    const slow = { timeout: 5_000 };
    mount(true);
    await waitFor(() => expect(input('定点医药机构编号').value).toBe('H00000000001'));
    // A real platform: the demo platform would use its own invented credentials instead.
    fireEvent.click(screen.getByLabelText('省级医保平台（已配置地址）'));
    fireEvent.change(await screen.findByLabelText('平台地址'), { target: { value: 'http://10.22.0.1:8080' } });
    fireEvent.mouseDown(screen.getByRole('combobox', { name: '方言' }));
    fireEvent.click(await screen.findByText('吉林（jilin：OAuth2 + SM4/SM2）', {}, slow));
    await waitFor(() => expect(input('客户端编号').value).toBe('CLIENTID00000001'), slow);
    expect((screen.getByLabelText('OAuth2 令牌') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('SM4 加密入参 + SM2 签入参') as HTMLInputElement).checked).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: /保存设置/ }));
    expect(await screen.findByText('所选平台方言需要客户端密钥（client_secret）', {}, slow)).toBeTruthy();
    let stored = await window.api.platform.getConfig({});
    expect(stored.ok && stored.value.config.dialect.preset).toBe('national'); // nothing saved

    fireEvent.change(input('客户端编号'), { target: { value: 'HOSP220100000042' } });
    fireEvent.change(input('客户端密钥'), { target: { value: 'client-secret' } });
    fireEvent.change(input('密码'), { target: { value: 'pw' } });
    fireEvent.change(input('SM2 私钥'), { target: { value: 'a'.repeat(64) } });
    fireEvent.click(screen.getByRole('button', { name: /保存设置/ }));
    await waitFor(async () => {
      stored = await window.api.platform.getConfig({});
      expect(stored.ok && stored.value.config.dialect).toMatchObject({ preset: 'jilin', auth: { kind: 'oauth2', clientId: 'HOSP220100000042' }, security: { kind: 'sm4-input' } });
    }, slow);
    expect(stored.ok && stored.value.secrets).toMatchObject({ clientSecret: true, password: true, sm2PrivateKey: true, tifToken: false });
    // The form is disabled while the save settles; then it shows the saved settings again.
    await waitFor(() => expect((screen.getByLabelText('平台不要求签到') as HTMLInputElement).disabled).toBe(false), slow);
    await waitFor(() => expect(input('客户端编号').value).toBe('HOSP220100000042'), slow);
    expect(screen.queryByText('已按本省调整')).toBeNull(); // only the hospital's own ids differ from the preset

    fireEvent.click(screen.getByLabelText('平台不要求签到'));
    await waitFor(() => expect((screen.getByLabelText('平台不要求签到') as HTMLInputElement).checked).toBe(true), slow);
    expect(await screen.findByText('已按本省调整', {}, slow)).toBeTruthy();
  });

  it('is read-only for non-administrators', async () => {
    mount(false);
    expect(await screen.findByText('只有管理员可以修改平台设置。')).toBeTruthy();
    await waitFor(() => expect(input('定点医药机构编号').value).toBe('H00000000001'));
    expect(input('定点医药机构编号').disabled).toBe(true);
    expect(screen.queryByRole('button', { name: /保存设置/ })).toBeNull();
  });
});
