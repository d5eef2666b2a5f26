import type { PlatformConfig, PlatformRouting } from '../../shared/platform-config';
import { isSignInExpiredError } from '../../shared/platform/errors';
import { signInOutputSchema } from '../../shared/platform/transactions';
import { sm4KeyFor, tifHeaders, type DialectKeys } from '../../shared/platform/dialect-crypto';
import { randomBytes, randomUUID } from 'node:crypto';
import { createTokenSource, type TokenSource } from './oauth-token';
import { checkMessage, exchange, type ExchangeContext, type ExchangeResult } from './exchange';
import { hostIdentity } from './host-identity';
import { createHttpTransport } from './http-transport';
import { msgidAllocatorFor, type MsgidAllocator } from './msgid-allocator';
import type { PlatformSendRequest, PlatformSendResponse, PlatformStatus } from './send-types';
import { createSignInSession, type FreshSignIn, type HeldSignIn } from './sign-in-session';

/**
 * The one way main talks to the provincial platform: `send` one message and learn its outcome;
 * `status` for the UI. Plain Node, so it runs in Electron main, the browser-mode host and tests.
 *
 * 9001 and 9002 are the session's own: an explicit 9001 signs in afresh with the input main
 * builds (operator, MAC, IP — the caller's input is ignored); a 9002 with an empty input signs
 * out the current session. Every other code signs in first when needed.
 */

/** A sign-in (9001) is small and every message waits for it: it gets at most this long to answer. */
const SIGN_IN_TIMEOUT_MS = 10_000;
export interface PlatformGateway {
  send(request: PlatformSendRequest): Promise<PlatformSendResponse>;
  status(): PlatformStatus;
  /** The platform session this gateway holds, if any (signed in and not past the dialect's lifetime). */
  heldSignIn(): HeldSignIn | undefined;
  /** Lets requests in flight finish, then closes the sockets. */
  close(): Promise<void>;
}

export interface PlatformGatewayOptions {
  config: PlatformConfig;
  /** The embedded sandbox's URL, used in demo mode. */
  demoBaseUrl?: string;
  secrets?: { sm2PrivateKey?: string; password?: string; clientSecret?: string; tifToken?: string; sm4Key?: string };
  /** MAC and IP for 9001; the machine's own by default. */
  host?: { mac: string; ip: string };
  /** Defaults to the process-wide allocator of the institution code and slot. */
  msgids?: MsgidAllocator;
  now?: () => number;
  /** Lines for the log: infno, msgid and outcome only — never the input (personal data). */
  log?: (line: string) => void;
  /** A session of the gateway these settings replace, continued instead of signing in again. */
  carriedSignIn?: HeldSignIn;
}

export const DEMO_LABEL = '演示平台';

/** The path a transaction goes to under the configured routing. */
export function routeFor(routing: PlatformRouting, infno: string): string {
  const override = routing.overrides[infno];
  if (override) return override;
  return routing.kind === 'single' ? routing.path : routing.pathTemplate.replaceAll('{infno}', infno);
}

const joinUrl = (base: string, path: string) => base.replace(/\/+$/, '') + path;

/** The base URL a transaction goes to: the second base for the codes routed there, else the platform's. */
export function baseUrlFor(routing: PlatformRouting, infno: string, primary: string): string {
  const second = routing.secondBase;
  return second && second.url !== '' && second.infnos.includes(infno) ? second.url : primary;
}

const describe = (r: PlatformSendResponse): string =>
  r.outcome === 'rejected' ? r.errMsg : r.outcome === 'accepted' ? '已受理' : r.message;

export function createPlatformGateway(options: PlatformGatewayOptions): PlatformGateway {
  const { config } = options;
  const now = options.now ?? Date.now;
  const demo = config.mode === 'demo';
  const baseUrl = demo ? options.demoBaseUrl : config.baseUrl || undefined;
  const label = demo ? DEMO_LABEL : config.platformName || config.institution.fixmedins_name;
  const host = options.host ?? hostIdentity();
  const log = options.log ?? (() => undefined);

  const dialect = config.dialect;
  const secrets = options.secrets ?? {};
  const transport = createHttpTransport({
    connectTimeoutMs: config.timeouts.connectMs,
    responseTimeoutMs: config.timeouts.responseMs,
  });

  // The gateway headers of the dialect: fixed (Basic), a bearer token (OAuth2), or signed per request (TIF).
  const auth = dialect.auth;
  let tokens: TokenSource | undefined;
  if (auth.kind === 'oauth2') {
    tokens = createTokenSource({
      transport,
      tokenUrl: joinUrl(baseUrl ?? '', auth.tokenPath),
      clientId: auth.clientId,
      clientSecret: secrets.clientSecret ?? '',
      username: auth.username,
      password: secrets.password ?? '',
      scope: auth.scope,
      now,
    });
  }
  const authHeaders: ExchangeContext['authHeaders'] = async () => {
    if (auth.kind === 'basic') {
      return { ok: true, headers: { authorization: `Basic ${Buffer.from(`${auth.username}:${secrets.password ?? ''}`).toString('base64')}` } };
    }
    if (auth.kind === 'tif') {
      if (!secrets.tifToken) return { ok: false, message: '未设置网关令牌（TIF token），报文未发送' };
      return { ok: true, headers: tifHeaders({ paasid: auth.paasid, token: secrets.tifToken, nowMs: now(), nonce: randomUUID() }) };
    }
    if (tokens) {
      const got = await tokens.get();
      return got.ok ? { ok: true, headers: { authorization: `Bearer ${got.token}` }, token: got.token } : got;
    }
    return { ok: true, headers: {} };
  };

  let sm4Key: string | undefined;
  try {
    sm4Key = sm4KeyFor(dialect, secrets.sm4Key);
  } catch {
    sm4Key = undefined; // the settings schema refuses such a client id; sending then reports the missing key
  }
  const keys: DialectKeys = { clientPrivateKey: secrets.sm2PrivateKey, sm4Key, random: (n) => randomBytes(n) };
  const signInRequired = dialect.signIn.policy === 'required';
  const { institution, operator } = config;
  const ctx: ExchangeContext = {
    transport,
    // The demo platform answers every code itself; a configured platform may serve some from a second base.
    urlFor: (infno) => joinUrl(demo ? (baseUrl ?? '') : baseUrlFor(config.routing, infno, baseUrl ?? ''), routeFor(config.routing, infno)),
    sender: {
      fixmedinsCode: institution.fixmedins_code,
      fixmedinsName: institution.fixmedins_name,
      mdtrtareaAdmvs: institution.mdtrtarea_admvs,
      recerSysCode: config.recer_sys_code,
      infver: config.infver,
      opterType: operator.opter_type,
      opter: operator.opter,
      opterName: operator.opter_name,
      devNo: config.dev_no,
    },
    msgids: options.msgids ?? msgidAllocatorFor(institution.fixmedins_code, config.workstationSlot, dialect.msgid.style),
    dialect,
    keys,
    authHeaders,
    tokenRefused: (token) => tokens?.invalidate(token),
    recognitionInfno: config.recognitionInfno,
    now,
  };

  let lastOkAt: string | undefined;
  let lastError: string | undefined;
  let clockOffsetMs: number | undefined;
  let inflight = 0;
  let drained: (() => void) | undefined;

  async function tracked(request: Parameters<typeof exchange>[1]): Promise<ExchangeResult> {
    inflight += 1;
    try {
      const result = await exchange(ctx, request);
      const { response } = result;
      if (result.answered) {
        lastOkAt = new Date(now()).toISOString();
        lastError = undefined;
      } else if (response.outcome === 'transient' || response.outcome === 'unknown') {
        lastError = response.message;
      }
      if (result.clockOffsetMs !== undefined) clockOffsetMs = result.clockOffsetMs;
      log(`[platform] ${request.infno} ${'msgid' in response ? (response.msgid ?? '-') : '-'} ${response.outcome}`);
      return result;
    } finally {
      inflight -= 1;
      if (inflight === 0) drained?.();
    }
  }

  // A session older than the dialect's lifetime is renewed before use. The operator is part of the
  // settings, and new settings build a new gateway: a changed operator signs in afresh unless the
  // dialect says not to (then the service carries the session over, `carriedSignIn`).
  const session = createSignInSession(async (): Promise<FreshSignIn> => {
    const input = { signIn: { opter_no: operator.opter, mac: host.mac, ip: host.ip } };
    // Every message waits for the sign-in: a hung one must not hold them all for a whole answer timeout.
    const { response } = await tracked({ infno: '9001', input, timeoutMs: Math.min(config.timeouts.responseMs, SIGN_IN_TIMEOUT_MS) });
    const output = response.outcome === 'accepted' ? signInOutputSchema.safeParse(response.output) : undefined;
    if (output?.success) return { ok: true, signNo: output.data.signinoutb.sign_no, response };
    const failed: PlatformSendResponse = output
      ? { outcome: 'transient', msgid: response.msgid, reason: 'signin_failed', message: '签到应答中没有签到编号（sign_no）' }
      : response;
    lastError = `签到失败：${describe(failed)}`;
    return { ok: false, response: failed };
  }, { maxAgeMs: dialect.signIn.lifetimeSeconds * 1000, now }, options.carriedSignIn);

  /** The original message was never sent, so it is safe to retry: transient. */
  const signInFailed = (attempt: { response: PlatformSendResponse }): PlatformSendResponse => ({
    outcome: 'transient',
    reason: 'signin_failed',
    message: `签到失败，报文未发送：${describe(attempt.response)}`,
  });

  async function send(request: PlatformSendRequest): Promise<PlatformSendResponse> {
    const ownedBySession = request.infno === '9001' || request.infno === '9002';
    if (!ownedBySession) checkMessage(ctx, { infno: request.infno, input: request.input, insuplcAdmdvs: request.insuplcAdmdvs });
    if (!baseUrl) {
      const message = demo ? '演示平台未启动，无法发送' : '尚未配置平台地址，无法发送';
      return { outcome: 'transient', reason: 'no_endpoint', message };
    }
    if (request.infno === '9001') {
      return (await session.signInNow()).response;
    }

    let input = request.input;
    if (request.infno === '9002' && !('signOut' in input)) {
      // Only main knows the sign_no, so it writes the sign-out itself.
      const signNo = session.current();
      if (!signNo) return { outcome: 'transient', reason: 'not_signed_in', message: '当前未签到，无需签退' };
      input = { signOut: { sign_no: signNo, opter_no: operator.opter } };
    }
    const message = { infno: request.infno, input, insuplcAdmdvs: request.insuplcAdmdvs, timeoutMs: request.timeoutMs };
    if (!signInRequired && request.infno !== '9002') {
      // The platform keeps no sessions: every message goes without a sign_no.
      return (await tracked(message)).response;
    }
    let attempt = await session.ensure();
    if (!attempt.ok) return signInFailed(attempt);
    let result = await tracked({ ...message, signNo: attempt.signNo });

    if (result.response.outcome === 'rejected' && isSignInExpiredError(result.raw)) {
      // The platform refused the message for want of a session, so sending it again is safe.
      attempt = await session.renew(attempt.signNo);
      if (!attempt.ok) return signInFailed(attempt);
      result = await tracked({ ...message, signNo: attempt.signNo });
      if (result.response.outcome === 'rejected' && isSignInExpiredError(result.raw)) {
        const text = `重新签到后平台仍要求签到：${result.response.errMsg}`;
        return { outcome: 'transient', msgid: result.response.msgid, reason: 'signin_expired', message: text };
      }
    }
    if (request.infno === '9002' && result.response.outcome === 'accepted') session.clear();
    return result.response;
  }

  return {
    send,
    status: () => ({
      mode: config.mode,
      label,
      baseUrl: baseUrl ?? '',
      signedIn: session.current() !== undefined,
      lastOkAt,
      lastError,
      clockOffsetMs,
    }),
    heldSignIn: () => session.held(),
    async close() {
      if (inflight > 0) await new Promise<void>((resolve) => (drained = resolve));
      transport.close();
    },
  };
}
