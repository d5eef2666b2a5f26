import { describe, expect, it } from 'vitest';
import { defaultPlatformConfig, migratePlatformConfig, platformConfigSchema, platformConfigUpdateSchema, requiredSecrets } from './platform-config';
import { DIALECT_PRESETS } from './platform/dialect';

const messages = (input: unknown) => {
  const parsed = platformConfigSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('platform settings schema', () => {
  it('accepts the first-start defaults', () => {
    expect(platformConfigSchema.parse(defaultPlatformConfig)).toEqual(defaultPlatformConfig);
  });

  it('fills fields added later, so an older platform.json still loads', () => {
    const { platformName: _a, dev_no: _b, dialect: _c, ...older } = defaultPlatformConfig;
    expect(platformConfigSchema.parse(older)).toEqual(defaultPlatformConfig);
  });

  it('turns the signing and authentication of a file from before dialects into the dialect', () => {
    const { dialect: _d, ...rest } = defaultPlatformConfig;
    const old = { ...rest, signing: { kind: 'SM2', userId: '1234567812345678', format: 'der-base64' }, auth: { kind: 'basic', username: 'his' } };
    const migrated = platformConfigSchema.parse(migratePlatformConfig(old));
    expect(migrated.dialect).toMatchObject({
      preset: 'national',
      auth: { kind: 'basic', username: 'his' },
      security: { kind: 'envelope-sm2', userId: '1234567812345678', format: 'der-base64' },
      signIn: { policy: 'required' },
    });
    expect(requiredSecrets(migrated)).toEqual([]); // demo mode: the demo platform's own credentials
    expect(requiredSecrets({ ...migrated, mode: 'configured', baseUrl: 'http://10.0.0.1' })).toEqual(['password', 'sm2PrivateKey']);
    expect(platformConfigSchema.parse(migratePlatformConfig({ ...rest, signing: { kind: 'off' } })).dialect).toEqual(defaultPlatformConfig.dialect);
  });

  it('refuses a Jilin dialect whose client id cannot be the SM4 key', () => {
    const jilin = { ...DIALECT_PRESETS.jilin, auth: { ...DIALECT_PRESETS.jilin.auth, clientId: 'abc' } };
    expect(messages({ ...defaultPlatformConfig, dialect: jilin })).toEqual(['dialect: 以客户端编号作为 SM4 密钥时，客户端编号须为 16 字节']);
  });

  it('explains in Chinese what is wrong', () => {
    const bad = {
      ...defaultPlatformConfig,
      mode: 'configured',
      baseUrl: '',
      institution: { fixmedins_code: 'H123', fixmedins_name: '', mdtrtarea_admvs: '42' },
      workstationSlot: 12,
      routing: { kind: 'perTransaction', pathTemplate: '/fsi/api/', overrides: {} },
    };
    expect(messages(bad)).toEqual(
      expect.arrayContaining([
        'baseUrl: 使用正式平台时必须填写平台地址',
        'institution.fixmedins_code: 定点医药机构编号应为 12 位字母或数字',
        'institution.fixmedins_name: 请填写定点医药机构名称',
        'institution.mdtrtarea_admvs: 就医地医保区划应为 6 位数字',
        'workstationSlot: 工作站序号为 0–9',
        'routing.pathTemplate: 按交易分路径时，路径模板须包含 {infno}',
      ]),
    );
    expect(messages({ ...defaultPlatformConfig, baseUrl: 'ftp://x' })[0]).toContain('http://');
  });

  it('takes secrets only inwards: absent keeps, null clears, a string sets', () => {
    expect(platformConfigUpdateSchema.parse({ config: defaultPlatformConfig }).secrets).toEqual({});
    expect(platformConfigUpdateSchema.parse({ config: defaultPlatformConfig, secrets: { password: null } }).secrets).toEqual({ password: null });
    expect(platformConfigUpdateSchema.safeParse({ config: defaultPlatformConfig, secrets: { sm2PrivateKey: 'abc' } }).success).toBe(false);
    expect(platformConfigUpdateSchema.safeParse({ config: defaultPlatformConfig, secrets: { other: 'x' } }).success).toBe(false);
  });
});
