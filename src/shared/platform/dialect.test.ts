import { describe, expect, it } from 'vitest';
import { DIALECT_PRESET_NAMES, DIALECT_PRESETS, dialectPreset, dialectProblems, dialectSchema, matchesPreset, secretsNeeded } from './dialect';

describe('dialect presets', () => {
  it('every preset is a valid dialect that parses to itself', () => {
    for (const name of DIALECT_PRESET_NAMES) {
      expect(dialectSchema.parse(DIALECT_PRESETS[name])).toEqual(DIALECT_PRESETS[name]);
      expect(dialectProblems(DIALECT_PRESETS[name])).toEqual([]);
    }
  });

  it('an empty object is the national dialect', () => {
    expect(dialectSchema.parse({})).toEqual(DIALECT_PRESETS.national);
  });

  it('says what each preset sets', () => {
    expect(DIALECT_PRESETS.jilin).toMatchObject({ auth: { kind: 'oauth2' }, security: { kind: 'sm4-input', keySource: 'client-id' }, answer: { infcode: 'string' } });
    expect(DIALECT_PRESETS['guangdong-tif']).toMatchObject({ auth: { kind: 'tif' }, signIn: { policy: 'none' }, msgid: { acceptShort: true } });
    expect(secretsNeeded(DIALECT_PRESETS.national)).toEqual([]);
    expect(secretsNeeded(DIALECT_PRESETS.jilin)).toEqual(['clientSecret', 'password', 'sm2PrivateKey']);
    expect(secretsNeeded(DIALECT_PRESETS['guangdong-tif'])).toEqual(['tifToken']);
  });

  it('knows a preset with the hospital\'s own ids filled in from one whose parts were changed', () => {
    const jilin = dialectPreset('jilin');
    expect(matchesPreset(jilin)).toBe(true);
    expect(matchesPreset({ ...jilin, auth: { ...jilin.auth, clientId: 'HOSPITAL00000042' } as typeof jilin.auth })).toBe(true);
    expect(matchesPreset({ ...jilin, signIn: { ...jilin.signIn, policy: 'none' } })).toBe(false);
    expect(matchesPreset({ ...jilin, preset: 'national' })).toBe(false);
  });

  it('a copy of a preset can be changed without changing the preset', () => {
    const copy = dialectPreset('national');
    copy.signIn.policy = 'none';
    expect(DIALECT_PRESETS.national.signIn.policy).toBe('required');
  });

  it('refuses a client id that cannot be an SM4 key, and an SM4 key from a client id without OAuth2', () => {
    const jilin = dialectPreset('jilin');
    expect(dialectProblems({ ...jilin, auth: { ...jilin.auth, clientId: 'short' } as typeof jilin.auth })).toEqual([expect.stringMatching(/16 字节/)]);
    expect(dialectProblems({ ...jilin, auth: { kind: 'none' } })).toEqual([expect.stringMatching(/OAuth2/)]);
    expect(dialectSchema.safeParse({ auth: { kind: 'tif', paasid: '' } }).success).toBe(false);
  });
});
