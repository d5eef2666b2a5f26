import { z } from 'zod';
import { platformSendRequest, platformSendResponse, platformStatusResponse } from '../platform/send';
import type { ChannelName } from './channels';

/** The platform call's schemas, from where they live now (desks reach the platform only through the hospital server). */
export { platformSendRequest, platformSendResponse, platformStatusResponse };

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
  'server.status': channel(z.object({}).strict(), serverStatusResponse),
  'server.getConfig': channel(z.object({}).strict(), serverConfigSchema),
  'server.setConfig': channel(serverConfigSchema, serverConfigSchema),
  'server.desk': channel(z.object({}).strict(), serverDeskResponse),
  'server.enrol': channel(serverEnrolRequest, serverDeskResponse),
} satisfies Record<ChannelName, ChannelSpec>;

export type Contract = typeof contract;

type Specs = Contract;
export type ChannelRequest<C extends keyof Specs> = z.input<Specs[C]['request']>;
export type ChannelResponse<C extends keyof Specs> = z.output<Specs[C]['response']>;
