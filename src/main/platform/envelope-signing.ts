import smCrypto from 'sm-crypto';

/**
 * SM3withSM2 signing of the request envelope (domain.md §5, 国密): `cainfo` carries the SM2
 * signature of SM3(Z_A ‖ canonical envelope) per GM/T 0003/0009, `signtype` says "SM2".
 *
 * The canonical form is what both sides must agree on byte for byte: the envelope as JSON with
 * object keys sorted at every depth, no whitespace, `cainfo` left out (it cannot sign itself) and
 * `signtype` kept in (so the algorithm is bound to the signature).
 */
export interface Sm2Signer {
  readonly publicKey: string;
  sign(envelope: Record<string, unknown>): string;
}

export type SignatureFormat = 'raw-hex' | 'der-base64';

function sortedCopy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedCopy);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortedCopy(v);
    }
    return out;
  }
  return value;
}

/** The exact text that is signed. */
export function canonicalEnvelope(envelope: Record<string, unknown>): string {
  const { cainfo: _omitted, ...rest } = envelope;
  return JSON.stringify(sortedCopy(rest));
}

/** SM3 digest of the canonical envelope, hex — logged beside a signature to compare with the platform. */
export function envelopeDigest(envelope: Record<string, unknown>): string {
  return smCrypto.sm3(canonicalEnvelope(envelope));
}

export function sm2PublicKeyOf(privateKeyHex: string): string {
  return smCrypto.sm2.getPublicKeyFromPrivateKey(privateKeyHex.toLowerCase());
}

export function createSm2Signer(privateKeyHex: string, options: { userId: string; format: SignatureFormat }): Sm2Signer {
  const privateKey = privateKeyHex.toLowerCase();
  const publicKey = sm2PublicKeyOf(privateKey);
  return {
    publicKey,
    sign(envelope) {
      const der = options.format === 'der-base64';
      const signature = smCrypto.sm2.doSignature(canonicalEnvelope(envelope), privateKey, {
        hash: true,
        der,
        publicKey,
        userId: options.userId,
      });
      return der ? Buffer.from(signature, 'hex').toString('base64') : signature;
    },
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
  const der = options.format === 'der-base64';
  const signature = der ? Buffer.from(cainfo, 'base64').toString('hex') : cainfo;
  return smCrypto.sm2.doVerifySignature(canonicalEnvelope(envelope), signature, publicKey, {
    hash: true,
    der,
    userId: options.userId,
  });
}
