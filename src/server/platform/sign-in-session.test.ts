import { describe, expect, it } from 'vitest';
import { createSignInSession, type FreshSignIn } from './sign-in-session';

const response = { outcome: 'accepted' as const, msgid: 'm', output: {} };

describe('sign-in session lifetime', () => {
  it('signs in again once the session is older than the dialect\'s lifetime, not before', async () => {
    let t = 0;
    let count = 0;
    const session = createSignInSession(async (): Promise<FreshSignIn> => ({ ok: true, signNo: `S${++count}`, response }), { maxAgeMs: 60_000, now: () => t });
    expect(await session.ensure()).toMatchObject({ signNo: 'S1' });
    t = 59_999;
    expect(await session.ensure()).toMatchObject({ signNo: 'S1' });
    t = 60_000;
    expect(await session.ensure()).toMatchObject({ signNo: 'S2' });
    expect(count).toBe(2);
  });

  it('keeps a session until refused when the lifetime is 0', async () => {
    let t = 0;
    let count = 0;
    const session = createSignInSession(async (): Promise<FreshSignIn> => ({ ok: true, signNo: `S${++count}`, response }), { maxAgeMs: 0, now: () => t });
    await session.ensure();
    t = 10 * 24 * 3600_000;
    expect(await session.ensure()).toMatchObject({ signNo: 'S1' });
  });
});
