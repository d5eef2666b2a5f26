/**
 * This desk's link to the hospital server and who is logged in through it (architecture.md §10):
 * - the link: the server main says this desk uses (the embedded one, enrolled on first use, or a
 *   LAN server this desk was enrolled with by an administrator's code);
 * - login: at the server when it answers; the desk then keeps its own verifier of the password
 *   (scrypt, in main) so that the same person can log in here when the server cannot be reached;
 * - the running DeskSync for the logged-in user, which sends their commands and pulls their share.
 * The server decides who may do what: a role edited in this desk's IndexedDB changes only what
 * this desk shows, never what the server accepts.
 */
import type { User } from '../../../shared/domain/user';
import { shareKeys, type PublicUser } from '../../../shared/hospital/protocol';
import type { WorkstationDb } from '../db/db';
import { call } from '../lib/ipc';
import { authenticate } from '../features/auth/users-repo';
import { notifyWorkItemsChanged } from '../features/cases/lapse-sweep';
import { HospitalClient, HospitalError } from './client';
import { DeskSync, deskUserRow, linkDown, type DeskSyncStatus } from './desk-sync';
import { newCommandId } from './desk-commands';
import type { CommandKind, CommandPayload } from '../../../shared/hospital/commands';

export interface DeskLink {
  client: HospitalClient;
  serverId: string;
  url: string;
  deskName: string;
}

export type LinkState =
  | { kind: 'ready'; link: DeskLink; accounts: number }
  /** A LAN server this desk is not enrolled with yet. */
  | { kind: 'unenrolled'; url: string }
  /** No server answers: people this desk has seen can still log in. */
  | { kind: 'offline'; reason: string; link: DeskLink | null };

let current: { link: DeskLink | null; sync: DeskSync | null; user: User | null } = { link: null, sync: null, user: null };
const statusListeners = new Set<(s: DeskSyncStatus) => void>();

/** Asks main for this desk's server and credential, then the server whether it has any account. */
export async function openLink(): Promise<LinkState> {
  const desk = await call(window.api.server.desk({}));
  if (desk.error && !desk.deskToken) return { kind: 'offline', reason: desk.error, link: current.link };
  if (!desk.enrolled || !desk.deskToken) return { kind: 'unenrolled', url: desk.url };
  const link: DeskLink = { client: new HospitalClient({ baseUrl: desk.url, deskToken: desk.deskToken }), serverId: desk.serverId, url: desk.url, deskName: desk.deskName };
  current = { ...current, link };
  try {
    const status = await link.client.status();
    return { kind: 'ready', link, accounts: status.accounts };
  } catch (e) {
    if (e instanceof HospitalError && !e.unreachable) throw e;
    return { kind: 'offline', reason: e instanceof Error ? e.message : String(e), link };
  }
}

/** This desk's own verifier of a password (scrypt, in main): what lets the person in offline later. */
function deskVerifier(password: string): Promise<string> {
  const hashing = call(window.api.auth.hashPassword({ password })).then((r) => r.hash);
  hashing.catch(() => undefined); // awaited by cacheUser; a login the server refuses never reads it
  return hashing;
}

/** The desk's row for a server account: the server's fields, and this desk's own verifier of the password. */
async function cacheUser(db: WorkstationDb, u: PublicUser, password: string, verifier: Promise<string> = deskVerifier(password)): Promise<User> {
  const hash = await verifier;
  const row = deskUserRow(u, hash);
  await db.transaction('rw', db.users, async () => {
    // A local account of the same name from before this server gives way to the server's.
    const clash = await db.users.where('username').equals(u.username).first();
    if (clash && clash.id !== u.id) await db.users.delete(clash.id);
    await db.users.put(row);
  });
  return row;
}

/**
 * Logs in: at the server when it answers (its refusal is final: wrong password, locked, disabled),
 * else, when it cannot be reached, against this desk's verifier of someone who logged in here before.
 */
export async function login(db: WorkstationDb, username: string, password: string): Promise<{ user: User; online: boolean }> {
  const link = current.link;
  stopReconnect();
  if (link) {
    try {
      // The desk's verifier is made while the server checks the password (each a deliberately slow
      // scrypt): the two run side by side, so a login waits for one, not two.
      const verifier = deskVerifier(password);
      const r = await link.client.login(username, password);
      return { user: await cacheUser(db, r.user, password, verifier), online: true };
    } catch (e) {
      if (!(e instanceof HospitalError) || !e.unreachable) throw e;
    }
  }
  const known = await db.users.where('username').equals(username.trim().toLowerCase()).first();
  if (known && !known.passwordHash) throw new Error('院内服务器暂时无法连接，而此用户尚未在本机登录过，无法离线登录');
  const user = await authenticate(db, username, password);
  if (link) reconnect = { username, password, timer: undefined };
  return { user, online: false };
}

/**
 * Someone logged in here while the server could not be reached (offline, or after a reload with
 * the link down): what they do is queued, and the desk logs them in at the server as soon as it
 * answers, then starts syncing — so the queue goes out without a second login. The password is
 * kept in memory only until then, a refusal (changed password, account disabled) or logout.
 */
let reconnect: { username: string; password: string; timer: ReturnType<typeof setTimeout> | undefined } | null = null;

function stopReconnect(): void {
  if (reconnect?.timer !== undefined) clearTimeout(reconnect.timer);
  reconnect = null;
}

function scheduleReconnect(db: WorkstationDb, wait: number): void {
  const r = reconnect;
  if (!r) return;
  r.timer = setTimeout(() => {
    void (async () => {
      const link = current.link;
      if (reconnect !== r || !link) return;
      try {
        const answer = await link.client.login(r.username, r.password);
        if (reconnect !== r) return void (await link.client.logout().catch(() => undefined));
        stopReconnect();
        const user = await cacheUser(db, answer.user, r.password);
        // A reset password must be changed first (at the next login); another user meanwhile is not theirs.
        if (answer.user.mustChangePassword || current.user?.id !== user.id) return;
        current.sync?.start();
      } catch (e) {
        if (reconnect !== r) return;
        if (e instanceof HospitalError && e.unreachable) scheduleReconnect(db, Math.min(wait * 2, 15_000));
        else stopReconnect();
      }
    })();
  }, wait);
}

/** First start: the first administrator, on the server. */
export async function setupAdministrator(db: WorkstationDb, fields: { username: string; displayName: string; password: string }): Promise<User> {
  const link = current.link;
  if (!link) throw new Error('院内服务器暂时无法连接，请稍后再试');
  const r = await link.client.setup(fields.username, fields.displayName, fields.password);
  return cacheUser(db, r.user, fields.password);
}

/** The person sets a new password (required after an administrator's reset). */
export async function changePassword(db: WorkstationDb, user: User, currentPassword: string, next: string): Promise<User> {
  const link = current.link;
  if (!link?.client.sessionToken) throw new Error('修改密码需要连接院内服务器');
  await link.client.changePassword(currentPassword, next);
  const { hash } = await call(window.api.auth.hashPassword({ password: next }));
  const updated = { ...user, passwordHash: hash, mustChangePassword: false };
  await db.users.put(updated);
  return updated;
}

/** Starts keeping the desk in step for this user (their share, their commands). */
export function startDesk(db: WorkstationDb, user: User): DeskSync | null {
  const link = current.link;
  if (current.sync) void current.sync.stop();
  if (!link) {
    current = { ...current, sync: null, user };
    return null;
  }
  const sync = new DeskSync({
    db,
    client: link.client,
    user: { id: user.id, role: user.role },
    serverId: link.serverId,
    shareKeys: shareKeys({ id: user.id, role: user.role }),
    onStatus: (s) => {
      for (const fn of statusListeners) fn(s);
    },
    onChanged: (n) => notifyWorkItemsChanged(n),
  });
  current = { ...current, sync, user };
  if (link.client.sessionToken) sync.start();
  else {
    void sync.reportOffline('院内服务器暂时无法连接；操作已保存在本机，连上后自动发送');
    scheduleReconnect(db, 1_000);
  }
  return sync;
}

/** Logs out: sends what can still be sent, stops syncing, ends the session at the server. */
export async function stopDesk(): Promise<void> {
  const { sync, link } = current;
  stopReconnect();
  current = { ...current, sync: null, user: null };
  if (sync) {
    await sync.sync().catch(() => undefined);
    await sync.stop();
  }
  await link?.client.logout().catch(() => undefined);
}

export const deskLink = (): DeskLink | null => current.link;
export const deskSync = (): DeskSync | null => current.sync;

export function onDeskStatus(fn: (s: DeskSyncStatus) => void): () => void {
  statusListeners.add(fn);
  return () => statusListeners.delete(fn);
}

/** Whether the desk's last try to reach its server failed (what the user does now waits on the desk). */
export const deskOffline = (): boolean => {
  const s = current.sync?.status;
  return Boolean(current.link && (!s || linkDown(s)));
};

/** Whether this desk works through a server session now (the app, logged in online): actions answered at once need it. */
export const hasServerSession = (): boolean => Boolean(current.link?.client.sessionToken);

/**
 * Whether this desk belongs to a hospital server (the embedded one included) — the app always
 * does once it has been linked, online or not. Then the server decides: actions are commands
 * (queued while offline) or need the server's answer; nothing is decided on the desk alone. Only a
 * desk without any server (component tests) runs the rules on its own copy.
 */
export const worksThroughServer = (): boolean => current.link !== null;

/**
 * An action that needs the server's answer before it means anything (managing accounts, loading
 * demo data): sent at once, not queued; refused with the server's reason, or with why there is no
 * link. The desk pulls what changed before this resolves.
 */
export async function runOnline<K extends CommandKind>(kind: K, payload: CommandPayload<K>): Promise<unknown> {
  const link = current.link;
  if (!link?.client.sessionToken) throw new Error('此操作需要连接院内服务器，请联网后重新登录再试');
  const { results } = await link.client.push([{ id: newCommandId(), kind, at: new Date().toISOString(), payload }]);
  const r = results[0];
  if (!r) throw new Error('院内服务器没有应答此操作');
  if (r.state === 'refused') throw new Error(r.reason);
  await current.sync?.sync().catch(() => undefined);
  return r.value;
}

/** An administrator's request that is not a command (demo data, 正式启用), answered at once. */
export async function adminRequest(path: '/admin/demo' | '/admin/go-live', body: unknown): Promise<Record<string, unknown>> {
  const link = current.link;
  if (!link?.client.sessionToken) throw new Error('此操作需要连接院内服务器，请联网后重新登录再试');
  const value = await link.client.admin(path, body);
  await current.sync?.sync().catch(() => undefined);
  return value;
}

/** Several online actions in one request (e.g. the scans of demo cases); refused ones throw with the first reason. */
export async function runOnlineBatch(commands: readonly { kind: CommandKind; payload: unknown }[]): Promise<void> {
  const link = current.link;
  if (!link?.client.sessionToken) throw new Error('此操作需要连接院内服务器，请联网后重新登录再试');
  for (let i = 0; i < commands.length; i += 100) {
    const { results } = await link.client.push(commands.slice(i, i + 100).map((c) => ({ id: newCommandId(), kind: c.kind, at: new Date().toISOString(), payload: c.payload })));
    const refused = results.find((r) => r.state === 'refused');
    if (refused && refused.state === 'refused') throw new Error(refused.reason);
  }
  await current.sync?.sync().catch(() => undefined);
}

/** A one-time code for enrolling another desk with this desk's server (administrators). */
export async function enrolmentCode(deskName: string): Promise<{ code: string; expiresAt: string }> {
  const link = current.link;
  if (!link?.client.sessionToken) throw new Error('生成登记码需要连接院内服务器，请联网后重新登录再试');
  return link.client.enrolmentCode(deskName);
}

/** Uploads a file's bytes to the server (by hash; a second upload of the same bytes is harmless). */
export async function uploadBytes(sha256: string, blob: Blob, mime: string): Promise<void> {
  const link = current.link;
  if (!link?.client.sessionToken) throw new Error('此操作需要连接院内服务器');
  await link.client.putBlob(sha256, new Uint8Array(await blob.arrayBuffer()), mime);
}

/**
 * The server ended this user's session (unused for hours — a desk offline for days — or a reset
 * password): they sign in again without leaving their page; their queued commands go out at once.
 * A password an administrator reset must be changed first, through a new login.
 */
export async function reauthenticate(db: WorkstationDb, password: string): Promise<void> {
  const { link, user, sync } = current;
  if (!link || !user) throw new Error('请先登录');
  const answer = await link.client.login(user.username, password);
  if (answer.user.id !== user.id) throw new Error('账户与当前登录的用户不一致，请退出后重新登录');
  await cacheUser(db, answer.user, password);
  if (answer.user.mustChangePassword) throw new Error('管理员已重置您的密码：请退出后用新的临时密码登录并设置新密码');
  sync?.start();
  await sync?.sync();
}
