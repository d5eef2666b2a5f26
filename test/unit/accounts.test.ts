// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkstationDb } from '../../src/renderer/src/db/db';
import { verifyAudit } from '../../src/renderer/src/db/audit';
import { authenticate, countUsers, createUser, setUserDisabled } from '../../src/renderer/src/features/auth/users-repo';
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
});
