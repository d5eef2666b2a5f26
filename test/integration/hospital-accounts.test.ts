/**
 * People on the hospital server: the first administrator, accounts made and reset by an
 * administrator (the person must change the password at next login), the lockout after wrong
 * passwords, the role checked on every command whatever a desk claims, and the last
 * administrator kept. On PGlite (the rules are the server's own code, the same on both drivers;
 * sync.test.ts runs the shared paths on PostgreSQL too).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOGIN_LOCKOUT } from '../../src/shared/domain/user';
import { SESSION_HOURS } from '../../src/server/auth';
import type { HospitalError } from '../../src/renderer/src/hospital/client';
import { PASSWORD, startHospital, type Desk, type TestHospital } from '../fixtures/hospital';

let hosp: TestHospital;
let admin: Desk;

beforeAll(async () => {
  // A real cost (≈ tens of ms), so the decoy's work on an unknown name is measurable.
  hosp = await startHospital({ kind: 'pglite', dataDir: null }, undefined, { N: 2 ** 14, r: 8, p: 1 });
  admin = await hosp.as('admin');
}, 60_000);
afterAll(async () => {
  await hosp?.close();
});

const refusal = (p: Promise<unknown>) => p.then(() => null, (e: HospitalError) => ({ status: e.status, message: e.message }));

describe('accounts on the hospital server', () => {
  it('creates the first administrator only while there is no account', async () => {
    const d = await hosp.desk();
    expect(await refusal(d.setup('second', '第二个', 'another-pass-1'))).toMatchObject({ status: 409 });
    expect((await d.status()).accounts).toBeGreaterThan(0);
  });

  it('a new account must change its temporary password before doing anything', async () => {
    const r = await admin.send('user.create', { username: 'newdoc', displayName: '新医师', role: 'physician', department: '内分泌科', password: 'temporary-pass-1' });
    expect(r.state).toBe('applied');
    const d = await hosp.desk();
    const login = await d.login('newdoc', 'temporary-pass-1');
    expect(login.user.mustChangePassword).toBe(true);
    expect(await refusal(d.push([{ id: 'cmd-early-push-1', kind: 'offer.accept', at: hosp.clock.now.toISOString(), payload: { assignmentId: 'x' } }]))).toMatchObject({ status: 403, message: '请先修改密码' });
    expect(await refusal(d.changePassword('wrong-current', 'brand-new-pass'))).toMatchObject({ status: 400, message: '当前密码不正确' });
    await d.changePassword('temporary-pass-1', 'brand-new-pass');
    const again = await (await hosp.desk()).login('newdoc', 'brand-new-pass');
    expect(again.user.mustChangePassword).toBe(false);
  });

  it('an administrator resets a password: old sessions end, the person must change it', async () => {
    const doc = await hosp.as('resetme', 'physician');
    const r = await admin.send('user.reset-password', { userId: doc.userId, password: 'reset-temp-pass' });
    expect(r.state).toBe('applied');
    expect(await refusal(doc.client.pull(0))).toMatchObject({ status: 401 });
    const d = await hosp.desk();
    expect((await d.login('resetme', 'reset-temp-pass')).user.mustChangePassword).toBe(true);
    expect(await refusal((await hosp.desk()).login('resetme', PASSWORD))).toMatchObject({ status: 401 });
  });

  it(`a session in use slides on; one unused for ${SESSION_HOURS} hours ends`, async () => {
    const busy = await hosp.as('busydoc', 'physician');
    const idle = await hosp.as('idledoc', 'physician');
    const start = hosp.clock.now;
    const hours = (h: number) => new Date(start.getTime() + h * 3_600_000);
    try {
      // The busy physician's desk pulls through the day; the idle one's does not.
      for (const h of [4, 8, 11, 15, 19]) {
        hosp.clock.now = hours(h);
        await busy.client.pull(0, 1);
      }
      expect(await refusal(idle.client.pull(0, 1))).toMatchObject({ status: 401, message: '登录已失效，请重新登录' });
      hosp.clock.now = hours(19 + SESSION_HOURS + 0.1);
      expect(await refusal(busy.client.pull(0, 1))).toMatchObject({ status: 401 });
    } finally {
      hosp.clock.now = start;
    }
  });

  it('checks the role on the server: a physician cannot create an administrator, whatever the desk holds', async () => {
    const doc = await hosp.as('sneaky', 'physician');
    const r = await doc.send('user.create', { username: 'evil', displayName: '冒充', role: 'admin', password: 'evil-pass-123' });
    expect(r).toMatchObject({ state: 'refused', reason: '您的角色无权执行此操作' });
    expect(await refusal((await hosp.desk()).login('evil', 'evil-pass-123'))).toMatchObject({ status: 401 });
  });

  it(`locks an account after ${LOGIN_LOCKOUT.attempts} wrong passwords; an administrator unlocks it`, async () => {
    const doc = await hosp.as('forgetful', 'physician');
    const d = await hosp.desk();
    for (let i = 0; i < LOGIN_LOCKOUT.attempts; i++) expect(await refusal(d.login('forgetful', 'not-the-password'))).toMatchObject({ status: 401, message: '用户名或密码错误' });
    expect(await refusal(d.login('forgetful', PASSWORD))).toMatchObject({ status: 401, message: expect.stringContaining('已锁定') });
    expect((await admin.send('user.unlock', { userId: doc.userId })).state).toBe('applied');
    expect((await d.login('forgetful', PASSWORD)).user.id).toBe(doc.userId);
  });

  it('an unknown name costs the same work as a wrong password', async () => {
    const d = await hosp.desk();
    await hosp.as('timed', 'physician');
    const time = async (name: string) => {
      const t = performance.now();
      await refusal(d.login(name, 'wrong-password'));
      return performance.now() - t;
    };
    // Warm both paths, then compare medians of several tries each.
    await time('nobody-here');
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 3; i++) {
      known.push(await time('timed'));
      unknown.push(await time(`nobody-${i}`));
    }
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[1]!;
    expect(median(unknown)).toBeGreaterThan(median(known) / 3);
  });

  it('keeps at least one administrator and will not let one disable themselves', async () => {
    expect(await admin.send('user.update', { userId: admin.userId, disabled: true })).toMatchObject({ state: 'refused' });
    expect(await admin.send('user.update', { userId: admin.userId, role: 'office' })).toMatchObject({ state: 'refused' });
  });

  it('publishes accounts to every desk without their password hashes', async () => {
    const doc = await hosp.as('reader', 'physician');
    const users = (await doc.pullAll()).filter((c) => c.table === 'users' && c.op === 'put');
    expect(users.length).toBeGreaterThan(3);
    for (const u of users) expect(JSON.stringify(u)).not.toMatch(/scrypt|password_hash|passwordHash/);
  });
});
