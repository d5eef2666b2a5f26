import smCrypto from 'sm-crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultPlatformConfig } from '../../shared/platform-config';
import { DIALECT_PRESETS } from '../../shared/platform/dialect';
import { canonicalEnvelope, createSm2Signer, envelopeDigest, verifyEnvelopeSignature } from './envelope-signing';
import { createPlatformGateway, type PlatformGateway } from './gateway';
import { ok, startScriptedPlatform, withSignIn, type ScriptedPlatform } from './testing/scripted-platform';

const keys = smCrypto.sm2.generateKeyPairHex();
const envelope = { infno: '5301', msgid: 'X', signtype: 'SM2', cainfo: '', input: { data: { psn_no: 'P1', b: 1, a: [{ z: 1, y: 2 }] } } };

describe('canonical envelope', () => {
  it('sorts keys at every depth, leaves cainfo out and keeps signtype', () => {
    expect(canonicalEnvelope(envelope)).toBe(
      '{"infno":"5301","input":{"data":{"a":[{"y":2,"z":1}],"b":1,"psn_no":"P1"}},"msgid":"X","signtype":"SM2"}',
    );
    const reordered = { input: envelope.input, cainfo: 'anything', signtype: 'SM2', msgid: 'X', infno: '5301' };
    expect(canonicalEnvelope(reordered)).toBe(canonicalEnvelope(envelope));
    expect(envelopeDigest(envelope)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('SM2 signature', () => {
  for (const format of ['raw-hex', 'der-base64'] as const) {
    it(`signs SM3(Z ‖ envelope) so that sm-crypto verifies it (${format})`, () => {
      const signer = createSm2Signer(keys.privateKey, { userId: '1234567812345678', format });
      expect(signer.publicKey).toBe(keys.publicKey);
      const signed = { ...envelope, cainfo: signer.sign(envelope) };
      if (format === 'raw-hex') expect(signed.cainfo).toMatch(/^[0-9a-f]{128}$/);
      const options = { userId: '1234567812345678', format };
      expect(verifyEnvelopeSignature(signed, keys.publicKey, options)).toBe(true);
      // Independently of our helper: sm-crypto over the canonical text.
      if (format === 'raw-hex') {
        expect(smCrypto.sm2.doVerifySignature(canonicalEnvelope(signed), signed.cainfo, keys.publicKey, { hash: true })).toBe(true);
      }
      const tampered = { ...signed, input: { data: { ...signed.input.data, psn_no: 'P2' } } };
      expect(verifyEnvelopeSignature(tampered, keys.publicKey, options)).toBe(false);
      expect(verifyEnvelopeSignature(signed, smCrypto.sm2.generateKeyPairHex().publicKey, options)).toBe(false);
      expect(verifyEnvelopeSignature(signed, keys.publicKey, { ...options, userId: 'other' })).toBe(false);
    });
  }
});

describe('a signing gateway', () => {
  let platform: ScriptedPlatform | undefined;
  let gateway: PlatformGateway | undefined;
  afterEach(async () => {
    await gateway?.close();
    await platform?.close();
  });

  it('sends signtype SM2 and a cainfo the platform can verify with the public key', async () => {
    platform = await startScriptedPlatform(withSignIn(() => ok({ feedetail: [] })));
    gateway = createPlatformGateway({
      config: { ...defaultPlatformConfig, mode: 'configured', baseUrl: platform.url, dialect: { ...DIALECT_PRESETS.national, security: { kind: 'envelope-sm2', userId: '1234567812345678', format: 'raw-hex', platformPublicKey: '' } } },
      secrets: { sm2PrivateKey: keys.privateKey.toUpperCase() },
      host: { mac: '02:00:00:00:00:01', ip: '192.0.2.10' },
    });
    const answer = await gateway.send({ infno: '5301', input: { data: { psn_no: 'P1' } }, insuplcAdmdvs: '420100' });
    expect(answer.outcome).toBe('accepted');
    expect(platform.calls).toHaveLength(2);
    for (const call of platform.calls) {
      expect(call.envelope['signtype']).toBe('SM2');
      expect(verifyEnvelopeSignature(call.envelope, keys.publicKey, { userId: '1234567812345678', format: 'raw-hex' })).toBe(true);
    }
  });
});
