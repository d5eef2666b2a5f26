import { canonicalEnvelope, sm2PublicKeyOf, sm2Sign, sm2Verify, sm3Hex } from '../../shared/platform/dialect-crypto';

/**
 * SM3withSM2 signing of the whole request envelope (the `envelope-sm2` security of a dialect,
 * src/shared/platform/dialect.ts): `cainfo` carries the SM2 signature of SM3(Z_A ‖ canonical
 * envelope) per GM/T 0003/0009, `signtype` says "SM2". The canonical form and the primitives live
 * in src/shared/platform/dialect-crypto.ts, shared with the sandbox.
 */
export interface Sm2Signer {
  readonly publicKey: string;
  sign(envelope: Record<string, unknown>): string;
}

export type SignatureFormat = 'raw-hex' | 'der-base64';

export { canonicalEnvelope, sm2PublicKeyOf };

/** SM3 digest of the canonical envelope, hex — logged beside a signature to compare with the platform. */
export function envelopeDigest(envelope: Record<string, unknown>): string {
  return sm3Hex(canonicalEnvelope(envelope));
}

export function createSm2Signer(privateKeyHex: string, options: { userId: string; format: SignatureFormat }): Sm2Signer {
  const privateKey = privateKeyHex.toLowerCase();
  const publicKey = sm2PublicKeyOf(privateKey);
  return {
    publicKey,
    sign: (envelope) => sm2Sign(canonicalEnvelope(envelope), privateKey, { ...options, publicKey }),
  };
}

/** Checks a `cainfo` against the envelope it came with; what the platform does on its side. */
export function verifyEnvelopeSignature(
  envelope: Record<string, unknown>,
  publicKey: string,
  options: { userId: string; format: SignatureFormat },
): boolean {
  const cainfo = envelope['cainfo'];
  if (typeof cainfo !== 'string' || cainfo === '') return false;
  return sm2Verify(canonicalEnvelope(envelope), cainfo, publicKey, options);
}
