import { describe, expect, it } from 'vitest';
import { defaultPlatformConfig, platformConfigSchema, platformConfigUpdateSchema } from './platform-config';

const messages = (input: unknown) => {
  const parsed = platformConfigSchema.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('platform settings schema', () => {
  it('accepts the first-start defaults', () => {
    expect(platformConfigSchema.parse(defaultPlatformConfig)).toEqual(defaultPlatformConfig);
  });

  it('fills fields added later, so an older platform.json still loads', () => {
    const { platformName: _a, dev_no: _b, auth: _c, ...older } = defaultPlatformConfig;
    expect(platformConfigSchema.parse(older)).toEqual(defaultPlatformConfig);
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
