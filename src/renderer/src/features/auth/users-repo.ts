import { newUserSchema, type NewUser, type User } from '../../../../shared/domain/user';
import { appendAudit } from '../../db/audit';
import type { WorkstationDb } from '../../db/db';
import { call } from '../../lib/ipc';

export class AccountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AccountError';
  }
}

export const countUsers = (db: WorkstationDb): Promise<number> => db.users.count();

export const listUsers = (db: WorkstationDb): Promise<User[]> => db.users.orderBy('username').toArray();

/**
 * Creates an account. The password is hashed in main (scrypt); the row and its audit entry
 * commit together, durably, before this resolves. `createdBy` is null only for the first
 * administrator, which may be created only while there are no accounts at all.
 */
export async function createUser(db: WorkstationDb, input: NewUser, createdBy: User | null): Promise<User> {
  const parsed = newUserSchema.safeParse(input);
  if (!parsed.success) throw new AccountError(parsed.error.issues.map((i) => i.message).join('；'));
  if (createdBy && createdBy.role !== 'admin') throw new AccountError('只有管理员可以创建账户');
  const { password, ...fields } = parsed.data;
  const { hash } = await call(window.api.auth.hashPassword({ password }));

  const user: User = {
    id: crypto.randomUUID(),
    ...fields,
    department: fields.department || undefined,
    passwordHash: hash,
    createdAt: new Date().toISOString(),
    createdBy: createdBy?.id ?? null,
    disabled: false,
  };
  await db.transaction('rw', db.users, db.audit, async () => {
    if (!createdBy && (await db.users.count()) > 0) throw new AccountError('已存在账户，请由管理员创建新账户');
    if (await db.users.where('username').equals(user.username).count()) {
      throw new AccountError(`用户名「${user.username}」已被使用`);
    }
    await db.users.add(user);
    await appendAudit(db, {
      kind: 'user.created',
      actorId: createdBy?.id ?? user.id,
      subject: user.id,
      detail: { username: user.username, role: user.role },
    });
  });
  return user;
}

/** Checks a login; the same message for an unknown name and a wrong password. */
export async function authenticate(db: WorkstationDb, username: string, password: string): Promise<User> {
  const user = await db.users.where('username').equals(username.trim().toLowerCase()).first();
  if (!user || !(await verifyUserPassword(user, password))) throw new AccountError('用户名或密码错误');
  if (user.disabled) throw new AccountError('该账户已停用，请联系管理员');
  return user;
}

export async function verifyUserPassword(user: User, password: string): Promise<boolean> {
  if (!password) return false;
  const { valid } = await call(window.api.auth.verifyPassword({ password, hash: user.passwordHash }));
  return valid;
}

/** Enables or disables an account; an administrator cannot disable themselves. */
export async function setUserDisabled(db: WorkstationDb, actor: User, userId: string, disabled: boolean): Promise<void> {
  if (actor.role !== 'admin') throw new AccountError('只有管理员可以停用账户');
  if (actor.id === userId) throw new AccountError('不能停用当前登录的账户');
  await db.transaction('rw', db.users, db.audit, async () => {
    await db.users.update(userId, { disabled });
    await appendAudit(db, { kind: disabled ? 'user.disabled' : 'user.enabled', actorId: actor.id, subject: userId, detail: {} });
  });
}
