import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import smCrypto from 'sm-crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPlatformConfig, type PlatformConfig } from '../../shared/platform-config';
import { DIALECT_PRESETS } from '../../shared/platform/dialect';
import { createFileSecretStore } from '../../server/platform/secret-store';
import { createPlatformService, type PlatformService } from '../../server/platform/platform-service';
import { ok, startScriptedPlatform, withSignIn, type ScriptedPlatform } from '../../server/platform/testing/scripted-platform';

const host = { mac: '02:00:00:00:00:01', ip: '192.0.2.10' };
let dataDir: string;
let platform: ScriptedPlatform | undefined;
const services: PlatformService[] = [];

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'platform-service-'));
});
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
  await platform?.close();
  platform = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

function service(demoPlatformUrl?: string): PlatformService {
  const s = createPlatformService({
    dataDir,
    secretStore: createFileSecretStore(join(dataDir, 'platform-secrets.json')),
    demoPlatformUrl,
    gateway: { host },
  });
  services.push(s);
  return s;
}

const configured = (baseUrl: string): PlatformConfig => ({ ...defaultPlatformConfig, mode: 'configured', baseUrl, platformName: '省平台测试环境' });

describe('platform settings', () => {
  it('starts in demo mode against the embedded sandbox', async () => {
    platform = await startScriptedPlatform(withSignIn(() => ok({})));
    const s = service(platform.url);
    const view = await s.getConfig();
    expect(view).toMatchObject({ config: { mode: 'demo' }, demoAvailable: true, secrets: { sm2PrivateKey: false, password: false } });
    expect(await s.status()).toMatchObject({ mode: 'demo', label: '演示平台', baseUrl: platform.url, signedIn: false });
    expect(await s.send({ infno: '9001', input: {} })).toMatchObject({ outcome: 'accepted' });
    expect((await s.status()).signedIn).toBe(true);
  });

  it('persists settings atomically in platform.json and reads them back after a restart', async () => {
    platform = await startScriptedPlatform(withSignIn(() => ok({})));
    const first = service('http://127.0.0.1:1');
    await first.setConfig({ config: { ...configured(platform.url), workstationSlot: 6 } });
    const files = await readdir(dataDir);
    expect(files).toContain('platform.json');
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const onDisk = JSON.parse(await readFile(join(dataDir, 'platform.json'), 'utf8')) as PlatformConfig;
    expect(onDisk).toMatchObject({ mode: 'configured', baseUrl: platform.url, workstationSlot: 6 });

    const second = service('http://127.0.0.1:1');
    expect((await second.getConfig()).config).toEqual(onDisk);
    expect(await second.status()).toMatchObject({ mode: 'configured', label: '省平台测试环境', baseUrl: platform.url });
    await second.send({ infno: '9001', input: {} });
    expect(String(platform.calls[0]!.envelope['msgid']).slice(-4, -3)).toBe('6');
  });

  it('switches back to demo', async () => {
    const s = service('http://127.0.0.1:9');
    await s.setConfig({ config: configured('http://10.0.0.1:8080') });
    expect((await s.status()).baseUrl).toBe('http://10.0.0.1:8080');
    await s.setConfig({ config: { ...configured('http://10.0.0.1:8080'), mode: 'demo' } });
    expect(await s.status()).toMatchObject({ mode: 'demo', label: '演示平台', baseUrl: 'http://127.0.0.1:9' });
  });

  it('reports a damaged settings file instead of silently falling back to the demo platform', async () => {
    await writeFile(join(dataDir, 'platform.json'), '{"mode": "configured", ');
    const s = service('http://127.0.0.1:9');
    expect(await s.status()).toMatchObject({ label: '平台设置无效' });
    expect((await s.status()).lastError).toContain('损坏');
    expect(await s.send({ infno: '9001', input: {} })).toMatchObject({ outcome: 'transient', reason: 'config_invalid' });
  });

  it('requires the secrets the dialect needs (signing, basic, TIF, OAuth2)', async () => {
    const s = service();
    const sm2: PlatformConfig = { ...configured('http://10.0.0.1'), dialect: { ...DIALECT_PRESETS.national, security: { kind: 'envelope-sm2', userId: '1234567812345678', format: 'raw-hex', platformPublicKey: '' } } };
    await expect(s.setConfig({ config: sm2 })).rejects.toThrow('SM2 私钥');
    await expect(s.setConfig({ config: { ...configured('http://10.0.0.1'), dialect: { ...DIALECT_PRESETS.national, auth: { kind: 'basic', username: 'his' } } } })).rejects.toThrow('平台密码');
    await expect(s.setConfig({ config: { ...configured('http://10.0.0.1'), dialect: DIALECT_PRESETS['guangdong-tif'] } })).rejects.toThrow('网关令牌');
    await expect(s.setConfig({ config: { ...configured('http://10.0.0.1'), dialect: DIALECT_PRESETS.jilin }, secrets: { password: 'x', sm2PrivateKey: 'a'.repeat(64) } })).rejects.toThrow('客户端密钥');
    expect((await s.getConfig()).config.mode).toBe('demo'); // nothing was saved
  });
});

describe('a changed operator', () => {
  const messages = (p: ScriptedPlatform) => p.calls.map((c) => `${String(c.envelope['infno'])}:${String(c.envelope['opter'])}:${String(c.envelope['sign_no'] ?? '')}`);
  const query = { infno: '5301', input: { data: { psn_no: '14000090000000000044' } }, insuplcAdmdvs: '140105' };

  it('signs in again by default, and keeps the platform session when the dialect says so (every message then names the new operator)', async () => {
    platform = await startScriptedPlatform(withSignIn(() => ok({ feedetail: [] })));
    const s = service();
    const base = configured(platform.url);
    await s.setConfig({ config: base });
    expect(await s.send(query)).toMatchObject({ outcome: 'accepted' });
    // Default (national): again on a new operator.
    await s.setConfig({ config: { ...base, operator: { ...base.operator, opter: 'OP002', opter_name: '第二经办人' } } });
    expect(await s.send(query)).toMatchObject({ outcome: 'accepted' });
    expect(messages(platform)).toEqual(['9001:DEMO01:', '5301:DEMO01:SN1', '9001:OP002:', '5301:OP002:SN2']);

    // The dialect keeps the session across an operator change: the next message goes with the same sign_no.
    const keep = { ...base, operator: { ...base.operator, opter: 'OP002', opter_name: '第二经办人' }, dialect: { ...base.dialect, signIn: { ...base.dialect.signIn, againOnOperatorChange: false } } };
    await s.setConfig({ config: keep });
    expect(await s.send(query)).toMatchObject({ outcome: 'accepted' });
    await s.setConfig({ config: { ...keep, operator: { ...keep.operator, opter: 'OP003', opter_name: '第三经办人' } } });
    expect(await s.send(query)).toMatchObject({ outcome: 'accepted' });
    // Any other change (here the platform's name) still signs in afresh.
    await s.setConfig({ config: { ...keep, operator: { ...keep.operator, opter: 'OP003', opter_name: '第三经办人' }, platformName: '省平台正式环境' } });
    expect(await s.send(query)).toMatchObject({ outcome: 'accepted' });
    expect(messages(platform).slice(4)).toEqual(['9001:OP002:', '5301:OP002:SN3', '5301:OP003:SN3', '9001:OP003:', '5301:OP003:SN4']);
  });
});

describe('secrets', () => {
  it('are accepted by setConfig, never returned by getConfig, kept out of platform.json, and cleared with null', async () => {
    const s = service();
    const keys = smCrypto.sm2.generateKeyPairHex();
    const config: PlatformConfig = { ...configured('http://10.0.0.1:8080'), dialect: { ...DIALECT_PRESETS.national, auth: { kind: 'basic', username: 'his' }, security: { kind: 'envelope-sm2', userId: '1234567812345678', format: 'raw-hex', platformPublicKey: '' } } };

    const saved = await s.setConfig({ config, secrets: { sm2PrivateKey: keys.privateKey, password: 'S3cret-口令' } });
    const got = await s.getConfig();
    expect(got).toMatchObject({ secrets: { sm2PrivateKey: true, password: true }, sm2PublicKey: keys.publicKey, secretProtection: 'plain-file' });
    for (const answer of [saved, got]) {
      const text = JSON.stringify(answer);
      expect(text).not.toContain(keys.privateKey);
      expect(text).not.toContain('S3cret-口令');
    }
    const settingsFile = await readFile(join(dataDir, 'platform.json'), 'utf8');
    expect(settingsFile).not.toContain(keys.privateKey);
    expect(settingsFile).not.toContain('S3cret');

    // Leaving a secret out keeps it; null clears it.
    await s.setConfig({ config });
    expect(await s.getConfig()).toMatchObject({ secrets: { sm2PrivateKey: true, password: true } });
    const cleared = await s.setConfig({ config: { ...config, dialect: { ...config.dialect, auth: { kind: 'none' } } }, secrets: { password: null } });
    expect(cleared).toMatchObject({ secrets: { sm2PrivateKey: true, password: false } });
  });

  it('refuses a malformed private key before anything is stored', async () => {
    const s = service();
    await expect(s.setConfig({ config: defaultPlatformConfig, secrets: { sm2PrivateKey: 'not-a-key' } })).rejects.toThrow(/64 位十六进制/);
    expect((await s.getConfig()).secrets.sm2PrivateKey).toBe(false);
  });
});

describe('file secret store', () => {
  it('encodes through its codec and keeps the file owner-only', async () => {
    const path = join(dataDir, 's.json');
    const store = createFileSecretStore(path, { encode: async (v) => `enc:${Buffer.from(v).toString('base64')}`, decode: async (s) => Buffer.from(s.slice(4), 'base64').toString() });
    await Promise.all([store.set('a', '1'), store.set('b', '2')]);
    expect(await store.get('a')).toBe('1');
    expect(await store.get('b')).toBe('2');
    expect(await readFile(path, 'utf8')).not.toMatch(/"a": "1"/);
    if (process.platform !== 'win32') {
      const { stat } = await import('node:fs/promises');
      expect((await stat(path)).mode & 0o777).toBe(0o600);
    }
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
    expect(store.protection).toBe('os-encrypted');
  });
});

describe('the embedded demo platform in a dialect', () => {
  it('speaks the demo platform\'s dialect with its invented secrets, and says which dialect it runs', async () => {
    const sandboxDir = await mkdtemp(join(tmpdir(), 'demo-dialect-'));
    const { startSandbox } = await import('../../sandbox/server');
    const sandbox = await startSandbox({ dataDir: sandboxDir, seedPersons: 2, dialect: 'jilin' });
    try {
      const c = sandbox.credentials;
      const s = createPlatformService({
        dataDir,
        secretStore: createFileSecretStore(join(dataDir, 'platform-secrets.json')),
        demoPlatformUrl: sandbox.url,
        demoPlatformSpeaks: {
          dialect: sandbox.dialect,
          secrets: { sm2PrivateKey: c.clientPrivateKey, password: c.password, clientSecret: c.clientSecret, sm4Key: c.sm4Key },
        },
        gateway: { host },
      });
      services.push(s);
      expect((await s.getConfig()).demoDialect).toBe('jilin');
      const persons = (await (await fetch(`${sandbox.url}/sandbox/persons`)).json()) as { persons: { psn_no: string; insuplc_admdvs: string }[] };
      const p = persons.persons[0]!;
      expect(await s.send({ infno: '5301', input: { data: { psn_no: p.psn_no } }, insuplcAdmdvs: p.insuplc_admdvs })).toMatchObject({ outcome: 'accepted', output: { feedetail: [] } });
    } finally {
      await Promise.all(services.splice(0).map((x) => x.close()));
      await sandbox.close();
      await rm(sandboxDir, { recursive: true, force: true });
    }
  });
});
