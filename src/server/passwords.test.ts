import type * as crypto from 'node:crypto';
import { scrypt } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { hashPassword, verifyPassword } from './passwords';

// scrypt is observed, not replaced: the tests count the calls that reach it.
vi.mock('node:crypto', async (original) => {
  const real = await original<typeof crypto>();
  return { ...real, scrypt: vi.fn(real.scrypt) };
});

describe('passwords', () => {
  it('uses the production scrypt cost by default and salts every hash', async () => {
    const a = await hashPassword('同一个密码');
    const b = await hashPassword('同一个密码');
    expect(a).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('同一个密码', a)).toBe(true);
    expect(await verifyPassword('另一个密码', a)).toBe(false);
  });

  it('treats a malformed stored hash as a failed login, not a crash', async () => {
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$1024$8$1$$')).toBe(false);
  });

  it('refuses a hash whose cost this workstation does not use, without computing it', async () => {
    const cheap = await hashPassword('同一个密码', { N: 1024, r: 8, p: 1 });
    expect(await verifyPassword('同一个密码', cheap)).toBe(false); // production accepts only its own cost
    expect(await verifyPassword('同一个密码', cheap, [{ N: 1024, r: 8, p: 1 }])).toBe(true);
    // A crafted hash asking for N = 2^22 (4 GiB, seconds of CPU) is refused before scrypt runs.
    const crafted = cheap.replace(/^scrypt\$1024\$/, 'scrypt$4194304$');
    vi.mocked(scrypt).mockClear();
    expect(await verifyPassword('同一个密码', cheap, [{ N: 1024, r: 8, p: 1 }])).toBe(true);
    expect(vi.mocked(scrypt)).toHaveBeenCalledTimes(1);
    expect(await verifyPassword('同一个密码', crafted, [{ N: 1024, r: 8, p: 1 }])).toBe(false);
    expect(await verifyPassword('同一个密码', crafted)).toBe(false);
    expect(vi.mocked(scrypt)).toHaveBeenCalledTimes(1);
  });
});
