import type { HttpTransport } from './http-transport';

/**
 * The bearer token of an OAuth2 password grant (Jilin): fetched with the client's id and secret as
 * HTTP Basic and the user's name and password in the form, kept until shortly before it expires,
 * renewed with the refresh token when there is one, and fetched afresh when the platform refuses
 * it. Concurrent sends share one token request.
 */
export interface TokenSource {
  /** A token to send, or why there is none (a message for the operator). */
  get(): Promise<{ ok: true; token: string } | { ok: false; message: string }>;
  /** The platform refused `token`: the next get() fetches another. */
  invalidate(token: string): void;
}

export interface TokenSourceOptions {
  transport: HttpTransport;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
  scope: string;
  now: () => number;
}

interface Held {
  token: string;
  expiresAt: number;
  refresh?: string;
}

// Renew this long before the platform's stated expiry, so a message never leaves with a dying token.
const MARGIN_MS = 30_000;

export function createTokenSource(o: TokenSourceOptions): TokenSource {
  let held: Held | undefined;
  let inflight: Promise<{ ok: true; token: string } | { ok: false; message: string }> | undefined;
  const basic = `Basic ${Buffer.from(`${o.clientId}:${o.clientSecret}`).toString('base64')}`;

  async function request(form: Record<string, string>): Promise<{ ok: true; held: Held } | { ok: false; message: string }> {
    const result = await o.transport.post(o.tokenUrl, new URLSearchParams(form).toString(), undefined, {
      contentType: 'application/x-www-form-urlencoded',
      headers: { authorization: basic },
    });
    if (result.kind !== 'response') return { ok: false, message: `获取访问令牌失败：${result.message}` };
    let json: { access_token?: unknown; expires_in?: unknown; refresh_token?: unknown; error?: unknown; error_description?: unknown } = {};
    try {
      json = JSON.parse(result.body) as typeof json;
    } catch {
      return { ok: false, message: `获取访问令牌失败：平台返回 HTTP ${result.status}，内容不是 JSON` };
    }
    if (typeof json.access_token !== 'string' || json.access_token === '') {
      const why = typeof json.error_description === 'string' ? json.error_description : typeof json.error === 'string' ? json.error : `HTTP ${result.status}`;
      return { ok: false, message: `获取访问令牌失败：${why}` };
    }
    const seconds = Number(json.expires_in);
    const lifetime = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 3600_000;
    return {
      ok: true,
      held: {
        token: json.access_token,
        expiresAt: o.now() + Math.max(lifetime - MARGIN_MS, lifetime / 2),
        refresh: typeof json.refresh_token === 'string' && json.refresh_token ? json.refresh_token : undefined,
      },
    };
  }

  async function fetchToken(): Promise<{ ok: true; token: string } | { ok: false; message: string }> {
    const previous = held;
    held = undefined;
    if (previous?.refresh) {
      const refreshed = await request({ grant_type: 'refresh_token', refresh_token: previous.refresh });
      if (refreshed.ok) {
        held = refreshed.held;
        return { ok: true, token: held.token };
      }
    }
    const form: Record<string, string> = { grant_type: 'password', username: o.username, password: o.password };
    if (o.scope) form['scope'] = o.scope;
    const granted = await request(form);
    if (!granted.ok) return granted;
    held = granted.held;
    return { ok: true, token: held.token };
  }

  return {
    get() {
      if (held && held.expiresAt > o.now()) return Promise.resolve({ ok: true, token: held.token });
      inflight ??= fetchToken().finally(() => {
        inflight = undefined;
      });
      return inflight;
    },
    invalidate(token) {
      // Keep the refresh token: an expired access token is what it is for.
      if (held?.token === token) held = { ...held, expiresAt: 0 };
    },
  };
}
