// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkstationDb } from '../../src/renderer/src/db/db';
import { verifyAudit } from '../../src/renderer/src/db/audit';
import { authenticate, countUsers, createUser, setUserDisabled, unlockAccount } from '../../src/renderer/src/features/auth/users-repo';
import { inProcessApi } from '../fixtures/api';

let db: WorkstationDb;
beforeEach(() => {
  window.api = inProcessApi();
  db = new WorkstationDb(`accounts-${Math.random().toString(36).slice(2)}`);
});
afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

const admin = { username: 'Admin', displayName: '王管理', role: 'admin' as const, password: 'admin-pass-1' };

describe('accounts', () => {
  it('creates the first administrator only while there are no accounts', async () => {
    expect(await countUsers(db)).toBe(0);
    const first = await createUser(db, admin, null);
    expect(first).toMatchObject({ username: 'admin', role: 'admin', createdBy: null, disabled: false });
    expect(first.passwordHash).toMatch(/^scrypt\$/);
    expect(JSON.stringify(await db.users.toArray())).not.toContain('admin-pass-1');
    await expect(createUser(db, { ...admin, username: 'second' }, null)).rejects.toThrow('已存在账户');
  });

  it('lets an administrator create a physician who can then log in', async () => {
    const boss = await createUser(db, admin, null);
    const doc = await createUser(db, { username: 'zhao.yi', displayName: '赵医生', role: 'physician', password: 'physician-1', department: '心血管内科' }, boss);
    expect(doc).toMatchObject({ role: 'physician', department: '心血管内科', createdBy: boss.id });
    expect((await authenticate(db, ' ZHAO.YI ', 'physician-1')).id).toBe(doc.id);
    await expect(authenticate(db, 'zhao.yi', 'wrong-pass')).rejects.toThrow('用户名或密码错误');
    await expect(authenticate(db, 'nobody', 'physician-1')).rejects.toThrow('用户名或密码错误');
  });

  it('refuses duplicates, short passwords and non-administrators', async () => {
    const boss = await createUser(db, admin, null);
    await expect(createUser(db, { ...admin, username: 'ADMIN' }, boss)).rejects.toThrow('已被使用');
    await expect(createUser(db, { ...admin, username: 'x2', password: 'short' }, boss)).rejects.toThrow('密码至少 8 位');
    const clerk = await createUser(db, { username: 'clerk', displayName: '医保办小李', role: 'office', password: 'office-pass' }, boss);
    await expect(createUser(db, { ...admin, username: 'sneaky' }, clerk)).rejects.toThrow('只有管理员');
  });

  it('blocks a disabled account and records every change in an intact audit chain', async () => {
    const boss = await createUser(db, admin, null);
    const doc = await createUser(db, { username: 'qian', displayName: '钱医生', role: 'physician', password: 'physician-2', department: '内分泌科' }, boss);
    await setUserDisabled(db, boss, doc.id, true);
    await expect(authenticate(db, 'qian', 'physician-2')).rejects.toThrow('已停用');
    await expect(setUserDisabled(db, boss, boss.id, true)).rejects.toThrow('不能停用');
    expect((await db.audit.toArray()).map((e) => e.kind)).toEqual(['user.created', 'user.created', 'user.disabled']);
    expect(await verifyAudit(db)).toEqual({ ok: true, count: 3 });
  });

  it('five wrong passwords in a row lock the account for 15 minutes, in the audit chain; a good one before that resets the count', async () => {
    const boss = await createUser(db, admin, null);
    await createUser(db, { username: 'sun', displayName: '孙医生', role: 'physician', password: 'physician-3', department: '内分泌科' }, boss);
    const t0 = new Date('2026-06-16T09:00:00+08:00');
    for (let i = 0; i < 4; i += 1) await expect(authenticate(db, 'sun', 'wrong-pass', t0)).rejects.toThrow('用户名或密码错误');
    expect((await authenticate(db, 'sun', 'physician-3', t0)).username).toBe('sun'); // the count starts again
    for (let i = 0; i < 4; i += 1) await expect(authenticate(db, 'sun', 'wrong-pass', t0)).rejects.toThrow('用户名或密码错误');
    await expect(authenticate(db, 'sun', 'wrong-pass', t0)).rejects.toThrow('连续输错密码 5 次，账户已锁定 15 分钟（至 09:15）');
    // While locked even the right password is refused, with when it ends.
    await expect(authenticate(db, 'sun', 'physician-3', new Date('2026-06-16T09:14:00+08:00'))).rejects.toThrow('账户已锁定至 09:15');
    expect((await authenticate(db, 'sun', 'physician-3', new Date('2026-06-16T09:15:01+08:00'))).username).toBe('sun');
    expect(await db.users.where('username').equals('sun').first()).toMatchObject({ failedLogins: 0, lockedUntil: null });
    expect((await db.audit.where('kind').equals('user.login-locked').toArray()).length).toBe(1);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('an administrator lifts a lockout at once (audited); nobody else can', async () => {
    const boss = await createUser(db, admin, null);
    const doc = await createUser(db, { username: 'li', displayName: '李医生', role: 'physician', password: 'physician-4', department: '内分泌科' }, boss);
    const t0 = new Date('2026-06-16T09:00:00+08:00');
    for (let i = 0; i < 5; i += 1) await authenticate(db, 'li', 'wrong-pass', t0).catch(() => undefined);
    await expect(authenticate(db, 'li', 'physician-4', t0)).rejects.toThrow('账户已锁定');
    await expect(unlockAccount(db, doc, doc.id, t0)).rejects.toThrow('只有管理员');
    await unlockAccount(db, boss, doc.id, t0);
    expect((await authenticate(db, 'li', 'physician-4', t0)).id).toBe(doc.id);
    expect(await db.audit.where('kind').equals('user.login-unlocked').first()).toMatchObject({ actorId: boss.id, subject: doc.id });
  });

  it('checks an unknown name against a password hash as well, so its answer takes as long', async () => {
    await createUser(db, admin, null);
    const api = window.api;
    let checks = 0;
    window.api = { ...api, auth: { ...api.auth, verifyPassword: (req: Parameters<typeof api.auth.verifyPassword>[0]) => ((checks += 1), api.auth.verifyPassword(req)) } };
    await expect(authenticate(db, 'nobody', 'whatever-1')).rejects.toThrow('用户名或密码错误');
    await expect(authenticate(db, 'admin', 'whatever-1')).rejects.toThrow('用户名或密码错误');
    expect(checks).toBe(2);
  });
});
