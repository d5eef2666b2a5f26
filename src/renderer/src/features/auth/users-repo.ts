import { LOGIN_LOCKOUT, newUserSchema, type NewUser, type User } from '../../../../shared/domain/user';
import { appendAudit } from '../../db/audit';
import type { WorkstationDb } from '../../db/db';
import { call } from '../../lib/ipc';
import { formatChina } from '../../../../shared/time';
import { worksThroughServer, runOnline } from '../../hospital/desk-session';

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
  if (worksThroughServer()) {
    // Accounts live on the hospital server; the new person changes the password at first login.
    const { userId } = (await runOnline('user.create', { ...parsed.data, department: parsed.data.department || undefined })) as { userId: string };
    const made = await db.users.get(userId);
    if (!made) throw new AccountError('账户已在院内服务器创建，但本机尚未收到，请稍后刷新');
    return made;
  }
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

/**
 * A hash of a random password, made once per session with the workstation's own cost: an unknown
 * name is checked against it, so it takes as long to refuse as a known name with a wrong password
 * (otherwise the answer's speed tells which names exist).
 */
let decoy: Promise<string> | undefined;
const decoyHash = () =>
  (decoy ??= call(window.api.auth.hashPassword({ password: crypto.randomUUID() })).then(
    (r) => r.hash,
    (e: unknown) => {
      decoy = undefined;
      throw e;
    },
  ));

/**
 * Checks a login; the same message, and the same time, for an unknown name and a wrong password.
 * LOGIN_LOCKOUT.attempts wrong passwords in a row lock the account for LOGIN_LOCKOUT.minutes.
 */
export async function authenticate(db: WorkstationDb, username: string, password: string, now = new Date()): Promise<User> {
  const user = await db.users.where('username').equals(username.trim().toLowerCase()).first();
  if (!user) {
    await call(window.api.auth.verifyPassword({ password: password || '-', hash: await decoyHash() })).catch(() => undefined);
    throw new AccountError('用户名或密码错误');
  }
  if (isLockedOut(user, now)) {
    throw new AccountError(`连续输错密码 ${LOGIN_LOCKOUT.attempts} 次，账户已锁定至 ${formatChina(user.lockedUntil!, 'HH:mm')}，请稍后再试，或请管理员在 设置 → 用户管理 解除锁定`);
  }
  if (!(await verifyUserPassword(user, password))) {
    const failed = (user.failedLogins ?? 0) + 1;
    const locks = failed >= LOGIN_LOCKOUT.attempts;
    const until = new Date(now.getTime() + LOGIN_LOCKOUT.minutes * 60_000).toISOString();
    await db.transaction('rw', db.users, db.audit, async () => {
      await db.users.update(user.id, locks ? { failedLogins: 0, lockedUntil: until } : { failedLogins: failed });
      if (locks) await appendAudit(db, { kind: 'user.login-locked', actorId: null, at: now.toISOString(), subject: user.id, detail: { attempts: LOGIN_LOCKOUT.attempts, until } });
    });
    throw new AccountError(locks ? `连续输错密码 ${LOGIN_LOCKOUT.attempts} 次，账户已锁定 ${LOGIN_LOCKOUT.minutes} 分钟（至 ${formatChina(until, 'HH:mm')}）` : '用户名或密码错误');
  }
  if (user.disabled) throw new AccountError('该账户已停用，请联系管理员');
  if (user.failedLogins || user.lockedUntil) await db.users.update(user.id, { failedLogins: 0, lockedUntil: null });
  return user;
}

export async function verifyUserPassword(user: User, password: string): Promise<boolean> {
  if (!password) return false;
  const { valid } = await call(window.api.auth.verifyPassword({ password, hash: user.passwordHash }));
  return valid;
}

/** Whether too many wrong passwords lock the account at `now` (see LOGIN_LOCKOUT). */
export const isLockedOut = (user: Pick<User, 'lockedUntil'>, now: Date): boolean => Boolean(user.lockedUntil && user.lockedUntil > now.toISOString());

/** An administrator lifts a lockout before it ends (the user called; their identity was checked). */
export async function unlockAccount(db: WorkstationDb, actor: User, userId: string, now = new Date()): Promise<void> {
  if (actor.role !== 'admin') throw new AccountError('只有管理员可以解除锁定');
  if (worksThroughServer()) {
    await runOnline('user.unlock', { userId });
    return;
  }
  await db.transaction('rw', db.users, db.audit, async () => {
    await db.users.update(userId, { failedLogins: 0, lockedUntil: null });
    await appendAudit(db, { kind: 'user.login-unlocked', actorId: actor.id, at: now.toISOString(), subject: userId, detail: {} });
  });
}

/**
 * An administrator sets a temporary password for someone who forgot theirs; the server ends that
 * user's sessions and makes them choose their own at the next login. Only through the server: a
 * desk's copy of an account is never the one that counts.
 */
export async function resetPassword(actor: User, userId: string, password: string): Promise<void> {
  if (actor.role !== 'admin') throw new AccountError('只有管理员可以重置密码');
  if (actor.id === userId) throw new AccountError('请在右上角“修改密码”中修改自己的密码');
  if (!worksThroughServer()) throw new AccountError('重置密码需要连接院内服务器，请联网后重新登录再试');
  await runOnline('user.reset-password', { userId, password });
}

/** Enables or disables an account; an administrator cannot disable themselves. */
export async function setUserDisabled(db: WorkstationDb, actor: User, userId: string, disabled: boolean): Promise<void> {
  if (actor.role !== 'admin') throw new AccountError('只有管理员可以停用账户');
  if (actor.id === userId) throw new AccountError('不能停用当前登录的账户');
  if (worksThroughServer()) {
    await runOnline('user.update', { userId, disabled });
    return;
  }
  await db.transaction('rw', db.users, db.audit, async () => {
    await db.users.update(userId, { disabled });
    await appendAudit(db, { kind: disabled ? 'user.disabled' : 'user.enabled', actorId: actor.id, subject: userId, detail: {} });
  });
}
