import { z } from 'zod';
import type { ChannelName } from './channels';
import { platformConfigUpdateSchema, platformConfigViewSchema } from '../platform-config';

/** One channel: the schema its request must match and the schema its response must match. */
export interface ChannelSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  request: Req;
  response: Res;
}
const channel = <Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res) => ({ request, response });

// scrypt's input is bounded so a malicious caller cannot make main hash megabytes.
const password = z.string().min(1, '密码不能为空').max(256, '密码过长（最多 256 个字符）');
const passwordHash = z.string().regex(/^scrypt\$\d+\$\d+\$\d+\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/, '密码摘要格式无效');

/**
 * One message to the provincial platform. Main wraps `input` in the national envelope (msgid,
 * inf_time, sign_no…), signs in with 9001 when needed, and answers with what became of it.
 */
export const platformSendRequest = z
  .object({
    infno: z.string().regex(/^[0-9A-Z]{4}$/, '交易编号应为 4 位'),
    input: z.record(z.string(), z.unknown()),
    /** insuplc_admdvs: required by the interface whenever input carries psn_no. */
    insuplcAdmdvs: z.string().regex(/^\d{6}$/).optional(),
    /** Response timeout for this call; main's configured default otherwise. */
    timeoutMs: z.number().int().min(100).max(300_000).optional(),
  })
  .strict();

/**
 * What became of one message:
 * - accepted: infcode 0, `output` as the platform sent it;
 * - rejected: the platform answered infcode -1 — permanent, `errMsg` is its reason;
 * - transient: the request certainly did not take effect (connection refused before anything
 *   was sent, no sign-in could be obtained) — safe to retry as it is;
 * - unknown: the request may have been committed (timeout, reset, HTTP 5xx, a dropped or
 *   unreadable response) — the caller must reconcile (5301) before resending.
 */
export const platformSendResponse = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('accepted'),
    msgid: z.string(),
    output: z.unknown(),
    infRefmsgid: z.string().optional(),
    /** platform clock minus ours, from respond_time; shown when large (architecture.md §6). */
    clockOffsetMs: z.number().optional(),
  }),
  z.object({ outcome: z.literal('rejected'), msgid: z.string(), errMsg: z.string(), infRefmsgid: z.string().optional() }),
  z.object({ outcome: z.literal('transient'), msgid: z.string().optional(), reason: z.string(), message: z.string() }),
  z.object({ outcome: z.literal('unknown'), msgid: z.string(), reason: z.string(), message: z.string() }),
]);

/** Which platform the workstation talks to, and whether it answered lately. */
export const platformStatusResponse = z.object({
  /** demo: the embedded sandbox (演示平台); configured: an endpoint set by an administrator. */
  mode: z.enum(['demo', 'configured']),
  label: z.string(),
  baseUrl: z.string(),
  signedIn: z.boolean(),
  lastOkAt: z.string().optional(),
  lastError: z.string().optional(),
  clockOffsetMs: z.number().optional(),
});

/**
 * Which hospital server this desk uses: the one embedded in the app (PGlite in the app's data
 * folder, the default) or one on the hospital LAN at an address the hospital's IT gives.
 */
/** A hospital server's address as a desk is given it; the settings form checks the same. */
export const SERVER_URL = { pattern: /^https?:\/\/[^\s/]+(:\d+)?\/?$/, message: '请填写服务器地址，如 http://192.168.1.20:8787' } as const;

export const serverConfigSchema = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('embedded') }).strict(),
  z
    .object({
      mode: z.literal('remote'),
      url: z.string().trim().regex(SERVER_URL.pattern, { error: SERVER_URL.message }),
    })
    .strict(),
]);

export const serverStatusResponse = z.object({
  mode: z.enum(['embedded', 'remote']),
  /** What the header shows: 本机内置服务器 or the address. */
  label: z.string(),
  url: z.string(),
  ok: z.boolean(),
  database: z.enum(['pglite', 'postgres']).optional(),
  schemaVersion: z.number().int().optional(),
  /** Why it is not reachable, in Chinese. */
  error: z.string().optional(),
});

/**
 * This desk's credential at the server it uses. The embedded server enrols its own desk the first
 * time; a LAN server needs a one-time code from an administrator (`server.enrol`) and answers
 * `enrolled: false` until then.
 */
export const serverDeskResponse = z.object({
  url: z.string(),
  serverId: z.string(),
  enrolled: z.boolean(),
  /** Sent with every request to the server; null until enrolled. */
  deskToken: z.string().nullable(),
  deskName: z.string(),
  /** Why the server cannot be used now, in Chinese. */
  error: z.string().optional(),
});

export const serverEnrolRequest = z
  .object({
    code: z.string().trim().min(6, '请填写管理员给出的登记码').max(64),
    name: z.string().trim().min(1, '请填写本工作站的名称').max(60),
  })
  .strict();

/**
 * Every cross-process call, declared once. Main validates the request before its handler runs and
 * the response before it leaves; the preload and the browser shim build `window.api` from these keys.
 */
export const contract = {
  'app.info': channel(
    z.object({}).strict(),
    z.object({
      version: z.string(),
      /** electron: the desktop app; browser: the browser-mode host used for tests and dev:web. */
      shell: z.enum(['electron', 'browser']),
      platform: z.string(),
    }),
  ),
  'auth.hashPassword': channel(
    z.object({ password }).strict(),
    z.object({ hash: passwordHash }),
  ),
  'auth.verifyPassword': channel(
    z.object({ password, hash: passwordHash }).strict(),
    z.object({ valid: z.boolean() }),
  ),
  'platform.send': channel(platformSendRequest, platformSendResponse),
  'platform.status': channel(z.object({}).strict(), platformStatusResponse),
  'platform.getConfig': channel(z.object({}).strict(), platformConfigViewSchema),
  'platform.setConfig': channel(platformConfigUpdateSchema, platformConfigViewSchema),
  'server.status': channel(z.object({}).strict(), serverStatusResponse),
  'server.getConfig': channel(z.object({}).strict(), serverConfigSchema),
  'server.setConfig': channel(serverConfigSchema, serverConfigSchema),
  'server.desk': channel(z.object({}).strict(), serverDeskResponse),
  'server.enrol': channel(serverEnrolRequest, serverDeskResponse),
} satisfies Record<ChannelName, ChannelSpec>;

export type Contract = typeof contract;
export type ChannelRequest<C extends ChannelName> = z.input<Contract[C]['request']>;
export type ChannelResponse<C extends ChannelName> = z.output<Contract[C]['response']>;
