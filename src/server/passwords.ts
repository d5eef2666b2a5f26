import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// OWASP's scrypt floor (N=2^17, r=8, p=1) costs ~128 MiB and ~0.3 s here; it is a desktop login.
export const DEFAULTS = { N: 2 ** 17, r: 8, p: 1 } as const;
const KEY_LENGTH = 32;

const scrypt = (password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, KEY_LENGTH, { ...options, maxmem: 256 * options.N! * options.r! }, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  );

/** Hashes a password as `scrypt$N$r$p$salt$key` (base64 parts), so parameters can grow later. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULTS): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

export type ScryptParams = { N: number; r: number; p: number };

/**
 * Checks a password against a stored hash in constant time. The cost is read from the hash, and
 * the hash comes from the renderer: only the parameters this workstation hashes with are
 * accepted, so a crafted hash cannot make main spend seconds and gigabytes per call (four calls
 * with N = 2^20 once froze the host for 39 s).
 */
export async function verifyPassword(password: string, stored: string, allowed: readonly ScryptParams[] = [DEFAULTS]): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !key) return false;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  if (!allowed.some((a) => a.N === params.N && a.r === params.r && a.p === params.p)) return false;
  const expected = Buffer.from(key, 'base64');
  if (expected.length !== KEY_LENGTH) return false;
  const actual = await scrypt(password, Buffer.from(salt, 'base64'), params);
  return timingSafeEqual(actual, expected);
}
