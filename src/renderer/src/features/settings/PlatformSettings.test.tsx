// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { platformKey, type ServerPlatformStatus } from '../../../../shared/hospital/filings';
import { defaultPlatformConfig, platformConfigUpdateSchema, type PlatformConfigUpdate, type PlatformConfigView } from '../../../../shared/platform-config';
import PlatformSettings from './PlatformSettings';

/**
 * The hospital server's platform requests as it answers them (settings kept in memory, secrets
 * write-only); the client's own parsing is tested in hospital/platform-client.test.ts.
 */
function fakeServer() {
  let view: PlatformConfigView = {
    config: defaultPlatformConfig,
    secrets: { sm2PrivateKey: false, password: false, clientSecret: false, tifToken: false, sm4Key: false },
    demoAvailable: true,
    secretProtection: 'plain-file',
  };
  const queries: unknown[] = [];
  const platformStatus = async (): Promise<ServerPlatformStatus> => {
    const demo = view.config.mode === 'demo';
    return {
      platform: platformKey(view.config),
      label: demo ? '演示平台' : view.config.platformName,
      online: true,
      signedIn: false,
      lastSuccessAt: null,
      lastError: null,
      clockOffsetMs: null,
      runner: 'idle',
      counts: { queued: 0, inFlight: 0, waiting: 0, checking: 0, needsPerson: 0 },
      nextAttemptAt: null,
      heldForOther: [],
    };
  };
  return {
    queries,
    get view() {
      return view;
    },
    client: {
      platformStatus,
      platformConfig: async () => view,
      setPlatformConfig: async (request: PlatformConfigUpdate) => {
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
        return view;
      },
      platformQuery: async (q: unknown) => {
        queries.push(q);
        return { outcome: 'accepted' as const, msgid: 'H00000000001202503010930150000', output: {} };
      },
    },
  };
}

let server = fakeServer();
vi.mock('../../hospital/platform-link', () => ({ platformClient: () => server.client }));

beforeEach(() => {
  server = fakeServer();
});
afterEach(() => {
  cleanup();
});

const mount = (canEdit: boolean, canView = canEdit) =>
  render(
    <ConfigProvider locale={zhCN}>
      <App>
        <PlatformSettings canEdit={canEdit} canView={canView} />
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
    expect(screen.getByText('院内服务器内置的演示平台')).toBeTruthy();
  });

  it('explains a bad field in Chinese and saves nothing', async () => {
    mount(true);
    await waitFor(() => expect(input('定点医药机构编号').value).toBe('H00000000001'));
    fireEvent.change(input('定点医药机构编号'), { target: { value: 'H12' } });
    fireEvent.click(screen.getByRole('button', { name: /保存设置/ }));
    expect(await screen.findByText('定点医药机构编号应为 12 位字母或数字')).toBeTruthy();
    expect(server.view.config.institution.fixmedins_code).toBe('H00000000001');
  });

  it('saves a configured endpoint, then switches back to demo', async () => {
    mount(true);
    await waitFor(() => expect(input('定点医药机构编号').value).toBe('H00000000001'));
    fireEvent.click(screen.getByLabelText('省级医保平台（已配置地址）'));
    fireEvent.change(await screen.findByLabelText('平台地址'), { target: { value: 'http://10.1.2.3:8080' } });
    fireEvent.change(input('平台名称'), { target: { value: '省平台测试环境' } });
    fireEvent.click(screen.getByRole('button', { name: /保存设置/ }));
    await waitFor(async () => expect(await server.client.platformStatus()).toMatchObject({ platform: 'real:http://10.1.2.3:8080', label: '省平台测试环境' }));
    expect(await screen.findByText('省平台测试环境')).toBeTruthy();
    expect(screen.getByText('http://10.1.2.3:8080')).toBeTruthy();

    fireEvent.click(await screen.findByRole('button', { name: /切换回演示平台/ }));
    await waitFor(async () => expect(await server.client.platformStatus()).toMatchObject({ platform: 'demo' }));
    expect(server.view.config.baseUrl).toBe('http://10.1.2.3:8080'); // kept for next time
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
    expect(server.view.config.dialect.preset).toBe('national'); // nothing saved

    fireEvent.change(input('客户端编号'), { target: { value: 'HOSP220100000042' } });
    fireEvent.change(input('客户端密钥'), { target: { value: 'client-secret' } });
    fireEvent.change(input('密码'), { target: { value: 'pw' } });
    fireEvent.change(input('SM2 私钥'), { target: { value: 'a'.repeat(64) } });
    fireEvent.click(screen.getByRole('button', { name: /保存设置/ }));
    await waitFor(() => {
      expect(server.view.config.dialect).toMatchObject({ preset: 'jilin', auth: { kind: 'oauth2', clientId: 'HOSP220100000042' }, security: { kind: 'sm4-input' } });
    }, slow);
    expect(server.view.secrets).toMatchObject({ clientSecret: true, password: true, sm2PrivateKey: true, tifToken: false });
    // The form is disabled while the save settles; then it shows the saved settings again.
    await waitFor(() => expect((screen.getByLabelText('平台不要求签到') as HTMLInputElement).disabled).toBe(false), slow);
    await waitFor(() => expect(input('客户端编号').value).toBe('HOSP220100000042'), slow);
    expect(screen.queryByText('已按本省调整')).toBeNull(); // only the hospital's own ids differ from the preset

    fireEvent.click(screen.getByLabelText('平台不要求签到'));
    await waitFor(() => expect((screen.getByLabelText('平台不要求签到') as HTMLInputElement).checked).toBe(true), slow);
    expect(await screen.findByText('已按本省调整', {}, slow)).toBeTruthy();
  });

  it('tests the connection with a 9001 sign-in made by the server', async () => {
    mount(true);
    fireEvent.click(await screen.findByRole('button', { name: /测试连接/ }));
    expect(await screen.findByText('签到成功，平台连接正常')).toBeTruthy();
    expect(server.queries).toEqual([{ infno: '9001', input: {} }]);
  });

  it('shows a physician the status only, without settings or the test', async () => {
    mount(false, false);
    expect(await screen.findByText('平台设置由医保办和管理员查看。')).toBeTruthy();
    expect(screen.queryByLabelText('定点医药机构编号')).toBeNull();
    expect(screen.queryByRole('button', { name: /测试连接/ })).toBeNull();
  });

  it('is read-only for the 医保办', async () => {
    mount(false, true);
    expect(await screen.findByText('只有管理员可以修改平台设置。')).toBeTruthy();
    await waitFor(() => expect(input('定点医药机构编号').value).toBe('H00000000001'));
    expect(input('定点医药机构编号').disabled).toBe(true);
    expect(screen.queryByRole('button', { name: /保存设置/ })).toBeNull();
  });
});
