import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { WorkstationDb } from './db';

const names: string[] = [];
const freshName = () => {
  const name = `schema-test-${names.length}-${Math.random().toString(36).slice(2)}`;
  names.push(name);
  return name;
};
afterEach(async () => {
  for (const name of names.splice(0)) await Dexie.delete(name);
});

describe('database schema', () => {
  it('opens empty at the current version with every table', async () => {
    const db = new WorkstationDb(freshName());
    await db.open();
    expect(db.verno).toBeGreaterThanOrEqual(2);
    expect(db.tables.map((t) => t.name)).toEqual(expect.arrayContaining(['users', 'settings', 'audit']));
    db.close();
  });

  it('migrates version-1 accounts: names lower-cased and made unique, missing fields filled', async () => {
    const name = freshName();
    // A database exactly as version 1 wrote it.
    const v1 = new Dexie(name);
    v1.version(1).stores({ users: 'id, username', settings: 'key' });
    await v1.table('users').bulkAdd([
      { id: 'a', username: ' Zhang.Wei ', displayName: '张伟', role: 'admin', passwordHash: 'h', createdAt: '2026-01-01T00:00:00Z' },
      { id: 'b', username: 'li.na', displayName: '李娜', role: 'physician', passwordHash: 'h', createdAt: '2026-01-02T00:00:00Z', disabled: true },
    ]);
    await v1.table('settings').put({ key: 'idleLockMinutes', value: 15 });
    v1.close();

    const db = new WorkstationDb(name);
    await db.open();
    const zhang = await db.users.where('username').equals('zhang.wei').first();
    expect(zhang).toMatchObject({ id: 'a', disabled: false, createdBy: null });
    expect(await db.users.get('b')).toMatchObject({ username: 'li.na', disabled: true });
    expect(await db.settings.get('idleLockMinutes')).toEqual({ key: 'idleLockMinutes', value: 15 });
    // v2 made user names unique
    await expect(db.users.add({ ...zhang!, id: 'c' })).rejects.toThrow();
    db.close();
  });

  it('asks for strict durability on every transaction', async () => {
    const db = new WorkstationDb(freshName());
    expect((db as unknown as { _options: { chromeTransactionDurability?: string } })._options.chromeTransactionDurability).toBe('strict');
    db.close();
  });
});
