/**
 * What a hospital and the sandbox agree on to speak an authenticated, encrypted dialect: OAuth2
 * client and user, the TIF paasid and token, the hospital's SM2 key pair (the sandbox holds its
 * public key, as a real platform holds the registered certificate), the platform's own SM2 key
 * pair for signing answers, and an SM4 key for dialects that do not derive it from the client id.
 *
 * All of it is invented on the first start of a data directory and kept in
 * `<data>/dialect-credentials.json`, so a trainer can hand the same values to every workstation
 * (`GET /sandbox/credentials`). Nothing here is a real platform's credential.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import smCrypto from 'sm-crypto';
import { z } from 'zod';

export const sandboxCredentialsSchema = z.object({
  /** 16 characters, so that it can serve as an SM4 key (Jilin). */
  clientId: z.string().length(16),
  clientSecret: z.string().min(1),
  username: z.string().min(1),
  password: z.string().min(1),
  paasid: z.string().min(1),
  tifToken: z.string().min(1),
  clientPrivateKey: z.string().regex(/^[0-9a-f]{64}$/),
  clientPublicKey: z.string().regex(/^04[0-9a-f]{128}$/),
  platformPrivateKey: z.string().regex(/^[0-9a-f]{64}$/),
  platformPublicKey: z.string().regex(/^04[0-9a-f]{128}$/),
  sm4Key: z.string().regex(/^[0-9a-f]{32}$/),
});
export type SandboxCredentials = z.output<typeof sandboxCredentialsSchema>;

const FILE = 'dialect-credentials.json';

function keyPair(): { privateKey: string; publicKey: string } {
  // sm-crypto's generator occasionally gives a private key of 63 hex digits; pad it.
  const pair = smCrypto.sm2.generateKeyPairHex();
  const privateKey = pair.privateKey.padStart(64, '0');
  return { privateKey, publicKey: smCrypto.sm2.getPublicKeyFromPrivateKey(privateKey) };
}

export function generateCredentials(): SandboxCredentials {
  const client = keyPair();
  const platform = keyPair();
  return {
    clientId: `SBX${randomBytes(7).toString('hex').toUpperCase().slice(0, 13)}`,
    clientSecret: randomBytes(16).toString('hex'),
    username: 'his',
    password: randomBytes(8).toString('hex'),
    paasid: 'sandbox_hospital',
    tifToken: randomBytes(16).toString('hex'),
    clientPrivateKey: client.privateKey,
    clientPublicKey: client.publicKey,
    platformPrivateKey: platform.privateKey,
    platformPublicKey: platform.publicKey,
    sm4Key: randomBytes(16).toString('hex'),
  };
}

/** The data directory's credentials, made on first use. */
export function loadOrCreateCredentials(dataDir: string): SandboxCredentials {
  const file = path.join(dataDir, FILE);
  try {
    const parsed = sandboxCredentialsSchema.safeParse(JSON.parse(fs.readFileSync(file, 'utf8')));
    if (parsed.success) return parsed.data;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && !(e instanceof SyntaxError)) throw e;
  }
  const created = generateCredentials();
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  return created;
}
