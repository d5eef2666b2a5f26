/**
 * Who may talk to the server. A desk is enrolled once by an administrator (a one-time code) and
 * from then on sends its secret with every request, so an unknown machine on the LAN gets
 * nothing. A person logs in at an enrolled desk and gets a session; the server checks the
 * session's user and role on every command and scopes every pull by them. Secrets are stored
 * only as hashes.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { LOGIN_LOCKOUT, type Role } from '../shared/domain/user';
import type { AuditEvent } from '../shared/audit/chain';
import type { PublicUser } from '../shared/hospital/protocol';
import type { Orm } from './database';
import type { Hospital } from './hospital';
import { write } from './hospital';
import { hashPassword, verifyPassword, type ScryptParams } from './passwords';
import { rowsOf } from './store';

export const SESSION_HOURS = 12;
const ENROLMENT_CODE_HOURS = 24;

export const secretHash = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');
const newSecret = () => randomBytes(32).toString('base64url');

export class AuthError extends Error {
  constructor(
    readonly status: 401 | 403 | 409 | 400,
    message: string,
  ) {
    super(message);
  }
}

export interface AccountRow {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  department: string | null;
  password_hash: string;
  must_change_password: boolean;
  disabled: boolean;
  failed_logins: number;
  locked_until: string | Date | null;
  created_at: string | Date;
  created_by: string | null;
}

const iso = (v: string | Date | null): string | null => (v === null ? null : new Date(v).toISOString());

export const publicUser = (a: AccountRow): PublicUser => ({
  id: a.id,
  username: a.username,
  displayName: a.display_name,
  role: a.role,
  department: a.department,
  disabled: a.disabled,
  mustChangePassword: a.must_change_password,
  lockedUntil: iso(a.locked_until),
  createdAt: iso(a.created_at)!,
  createdBy: a.created_by,
});

export interface Desk {
  id: string;
  name: string;
}

export interface Session {
  user: PublicUser;
  desk: Desk;
  tokenHash: string;
}

export async function accountById(orm: Orm, id: string): Promise<AccountRow | undefined> {
  return rowsOf<AccountRow>(await orm.execute(sql`select * from accounts where id = ${id}`))[0];
}

/** Mirrors an account's public part into the records every desk pulls (never the hash). */
export async function publishAccount(h: Hospital, store: { putRecord(table: 'users', row: Record<string, unknown> & { id: string }): Promise<void> }, tx: Orm, id: string) {
  const a = await accountById(tx, id);
  if (a) await store.putRecord('users', publicUser(a));
}

/** A one-time enrolment code for a desk named `deskName` (shown to the administrator once). */
export async function makeEnrolmentCode(h: Hospital, deskName: string, madeBy: string | null): Promise<{ code: string; expiresAt: string }> {
  // Grouped digits and letters a person can read aloud and type: 4×4 from a 32-symbol alphabet.
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const bytes = randomBytes(16);
  const code = Array.from(bytes, (b) => alphabet[b % 32]).join('').replace(/(.{4})(?=.)/g, '$1-');
  const expiresAt = new Date(h.now().getTime() + ENROLMENT_CODE_HOURS * 3_600_000).toISOString();
  await write(h, async (store, tx) => {
    await tx.execute(sql`insert into enrolment_codes (code_hash, desk_name, made_by, expires_at) values (${secretHash(normalizeCode(code))}, ${deskName}, ${madeBy}, ${expiresAt})`);
    await store.audit({ kind: 'desk.code-issued', actorId: madeBy, at: h.now().toISOString(), subject: deskName, detail: { expiresAt } });
  });
  return { code, expiresAt };
}

const normalizeCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** Enrols a desk with a code; the code is spent. The desk keeps the returned token. */
export async function enrolDesk(h: Hospital, code: string, name: string): Promise<{ deskId: string; token: string }> {
  const token = newSecret();
  const deskId = `desk-${randomUUID()}`;
  const now = h.now();
  await write(h, async (store, tx) => {
    const row = rowsOf<{ desk_name: string; made_by: string | null; expires_at: string | Date; used_at: unknown }>(
      await tx.execute(sql`select * from enrolment_codes where code_hash = ${secretHash(normalizeCode(code))} for update`),
    )[0];
    if (!row || row.used_at || new Date(row.expires_at).getTime() < now.getTime()) throw new AuthError(401, '登记码无效或已过期，请向管理员重新索取');
    await tx.execute(sql`update enrolment_codes set used_at = ${now.toISOString()} where code_hash = ${secretHash(normalizeCode(code))}`);
    await insertDesk(tx, deskId, name || row.desk_name, token, row.made_by);
    await store.audit({ kind: 'desk.enrolled', actorId: row.made_by, at: now.toISOString(), subject: deskId, detail: { name } });
  });
  return { deskId, token };
}

async function insertDesk(tx: Orm, id: string, name: string, token: string, by: string | null) {
  await tx.execute(sql`insert into desks (id, name, token_hash, enrolled_by) values (${id}, ${name}, ${secretHash(token)}, ${by})`);
}

/**
 * The embedded server's own desk (the same machine, the same process): enrolled without a code,
 * since whoever can run the app on this PC already holds its data folder.
 */
export async function enrolLocalDesk(h: Hospital, name: string): Promise<{ deskId: string; token: string }> {
  const token = newSecret();
  const deskId = `desk-${randomUUID()}`;
  await write(h, async (store, tx) => {
    await insertDesk(tx, deskId, name, token, null);
    await store.audit({ kind: 'desk.enrolled', actorId: null, at: h.now().toISOString(), subject: deskId, detail: { name, local: true } });
  });
  return { deskId, token };
}

export async function deskByToken(orm: Orm, token: string | undefined): Promise<Desk> {
  if (!token) throw new AuthError(401, '本机尚未登记到院内服务器，请由管理员登记');
  const row = rowsOf<{ id: string; name: string; revoked_at: unknown }>(await orm.execute(sql`select id, name, revoked_at from desks where token_hash = ${secretHash(token)}`))[0];
  if (!row) throw new AuthError(401, '本机尚未登记到院内服务器，请由管理员登记');
  if (row.revoked_at) throw new AuthError(401, '本机的登记已被管理员撤销');
  return { id: row.id, name: row.name };
}

/**
 * The desk and the person logged in at it, from the two tokens a request carries, in one query
 * (every command and pull asks). Refused in the order a person can act on: the desk first.
 */
export async function sessionByToken(h: Hospital, deskTokenValue: string | undefined, token: string | undefined): Promise<Session> {
  if (!deskTokenValue) throw new AuthError(401, '本机尚未登记到院内服务器，请由管理员登记');
  const tokenHash = token ? secretHash(token) : '';
  const key = `${secretHash(deskTokenValue)} ${tokenHash}`;
  const now = h.now().getTime();
  const cached = token ? h.sessionCache.get(key) : undefined;
  if (cached && cached.until > now && cached.expiresAt > now) return cached.session;
  const row = rowsOf<Partial<AccountRow> & { desk_row: string; desk_name: string; desk_revoked: unknown; desk_id: string | null; expires_at: string | Date | null }>(
    await h.db.orm.execute(sql`
      select d.id as desk_row, d.name as desk_name, d.revoked_at as desk_revoked, s.desk_id, s.expires_at, a.*
      from desks d
      left join sessions s on s.token_hash = ${tokenHash}
      left join accounts a on a.id = s.user_id
      where d.token_hash = ${secretHash(deskTokenValue)}`),
  )[0];
  if (!row) throw new AuthError(401, '本机尚未登记到院内服务器，请由管理员登记');
  if (row.desk_revoked) throw new AuthError(401, '本机的登记已被管理员撤销');
  if (!token) throw new AuthError(401, '请先登录');
  const desk: Desk = { id: row.desk_row, name: row.desk_name };
  if (!row.id || row.desk_id !== desk.id || !row.expires_at || new Date(row.expires_at).getTime() < h.now().getTime()) throw new AuthError(401, '登录已失效，请重新登录');
  if (row.disabled) throw new AuthError(401, '该账户已停用');
  // Sliding: a session in use is renewed once less than half of it is left, so a day's work is
  // not cut off at the 12th hour; one left unused (a desk offline for days) still ends.
  const expiresAt = new Date(row.expires_at).getTime();
  if (expiresAt - h.now().getTime() < (SESSION_HOURS * 3_600_000) / 2) {
    await h.db.orm.execute(sql`update sessions set expires_at = ${new Date(h.now().getTime() + SESSION_HOURS * 3_600_000).toISOString()} where token_hash = ${tokenHash}`);
  }
  const session: Session = { user: publicUser(row as AccountRow), desk, tokenHash };
  h.sessionCache.set(key, { session, expiresAt, until: now + SESSION_CACHE_MS });
  return session;
}

/** How long a checked session is taken as valid without asking the database again. */
export const SESSION_CACHE_MS = 2_000;

export interface PasswordPolicy {
  scrypt?: ScryptParams;
}

let decoy: Promise<string> | undefined;

/**
 * Logs a person in at an enrolled desk. An unknown name costs the same scrypt as a known one
 * (a decoy hash), and LOGIN_LOCKOUT wrong passwords in a row lock the account for a while.
 */
export async function login(h: Hospital, desk: Desk, username: string, password: string, policy: PasswordPolicy = {}): Promise<{ token: string; expiresAt: string; user: PublicUser }> {
  const name = username.trim().toLowerCase();
  const account = rowsOf<AccountRow>(await h.db.orm.execute(sql`select * from accounts where username = ${name}`))[0];
  const now = h.now();
  if (!account) {
    decoy ??= hashPassword(newSecret(), policy.scrypt);
    await verifyPassword(password, await decoy, policy.scrypt ? [policy.scrypt] : undefined);
    throw new AuthError(401, '用户名或密码错误');
  }
  if (account.locked_until && new Date(account.locked_until).getTime() > now.getTime()) {
    throw new AuthError(401, `密码错误次数过多，账户已锁定至 ${new Date(account.locked_until).toISOString()}；可请管理员解锁`);
  }
  const valid = await verifyPassword(password, account.password_hash, policy.scrypt ? [policy.scrypt] : undefined);
  if (!valid) {
    await write(h, async (store, tx) => {
      const failed = account.failed_logins + 1;
      const lock = failed >= LOGIN_LOCKOUT.attempts ? new Date(now.getTime() + LOGIN_LOCKOUT.minutes * 60_000).toISOString() : null;
      await tx.execute(sql`update accounts set failed_logins = ${lock ? 0 : failed}, locked_until = ${lock} where id = ${account.id}`);
      if (lock) {
        await store.audit({ kind: 'user.locked', actorId: null, at: now.toISOString(), subject: account.id, detail: { attempts: failed, until: lock } });
        await publishAccount(h, store, tx, account.id);
      }
    });
    throw new AuthError(401, '用户名或密码错误');
  }
  if (account.disabled) throw new AuthError(401, '该账户已停用');
  const token = newSecret();
  const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3_600_000).toISOString();
  await write(h, async (store, tx) => {
    await tx.execute(sql`update accounts set failed_logins = 0, locked_until = null where id = ${account.id}`);
    await tx.execute(sql`insert into sessions (token_hash, user_id, desk_id, expires_at) values (${secretHash(token)}, ${account.id}, ${desk.id}, ${expiresAt})`);
    await tx.execute(sql`update desks set last_seen = ${now.toISOString()} where id = ${desk.id}`);
    await store.audit({ kind: 'user.login', actorId: account.id, at: now.toISOString(), subject: account.id, detail: { desk: desk.id } });
  });
  return { token, expiresAt, user: publicUser({ ...account, failed_logins: 0, locked_until: null }) };
}

export async function logout(h: Hospital, session: Session): Promise<void> {
  h.sessionCache.clear();
  await h.db.orm.execute(sql`delete from sessions where token_hash = ${session.tokenHash}`);
}

export async function countAccounts(orm: Orm): Promise<number> {
  return Number(rowsOf<{ n: number | string }>(await orm.execute(sql`select count(*) as n from accounts`))[0]?.n ?? 0);
}

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  department?: string | undefined;
  password: string;
}

type AuditingStore = Parameters<typeof publishAccount>[1] & { audit(e: AuditEvent): Promise<void> };

/**
 * Inside a write: creates an account (the first administrator when `by` is null). The password is
 * hashed by the caller before the transaction opens, so scrypt never holds the write lock.
 */
export async function insertAccount(h: Hospital, store: AuditingStore, tx: Orm, input: Omit<NewAccount, 'password'> & { passwordHash: string }, by: string | null, mustChange: boolean): Promise<PublicUser> {
  const taken = rowsOf(await tx.execute(sql`select 1 as one from accounts where username = ${input.username}`))[0];
  if (taken) throw new AuthError(409, `用户名「${input.username}」已被使用`);
  const id = randomUUID();
  await tx.execute(sql`
    insert into accounts (id, username, display_name, role, department, password_hash, must_change_password, created_by, created_at)
    values (${id}, ${input.username}, ${input.displayName}, ${input.role}, ${input.department ?? null}, ${input.passwordHash}, ${mustChange}, ${by}, ${h.now().toISOString()})`);
  await store.audit({ kind: 'user.created', actorId: by ?? id, at: h.now().toISOString(), subject: id, detail: { username: input.username, role: input.role } });
  await publishAccount(h, store, tx, id);
  return publicUser((await accountById(tx, id))!);
}
