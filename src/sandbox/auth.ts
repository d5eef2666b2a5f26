/**
 * The gateway in front of the sandbox's national interface, as the dialect's platform has one:
 * - basic: HTTP Basic with the sandbox's user and password;
 * - oauth2: `POST /oauth/token` or the dialect's token path (password grant with the client's id and secret as HTTP Basic,
 *   or a refresh_token grant) hands out bearer tokens; every call needs a valid one;
 * - tif: the x-tif-* headers, signature and timestamp checked (shared/platform/dialect-crypto.ts),
 *   and a nonce used twice within the time window refused as a replay.
 * A refusal is HTTP 401 with an envelope whose err_msg says what is wrong; nothing is dispatched.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Dialect } from '../shared/platform/dialect';
import { checkTifHeaders } from '../shared/platform/dialect-crypto';
import type { SandboxCredentials } from './credentials';

export interface SandboxAuth {
  /** null when the request may pass, else the refusal. */
  check(req: FastifyRequest): string | null;
}

interface Token {
  expiresAt: number;
  kind: 'access' | 'refresh';
}

const basicOf = (header: string | undefined): { user: string; password: string } | null => {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? null : { user: text.slice(0, colon), password: text.slice(colon + 1) };
};

/** Form (application/x-www-form-urlencoded) or JSON body of a token request. */
function formOf(req: FastifyRequest): Record<string, string> {
  const raw = req.body;
  if (!Buffer.isBuffer(raw)) return {};
  const text = raw.toString('utf8');
  if (/json/i.test(req.headers['content-type'] ?? '')) {
    try {
      const json = JSON.parse(text) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, String(v)]));
    } catch {
      return {};
    }
  }
  return Object.fromEntries(new URLSearchParams(text));
}

export function createSandboxAuth(
  app: FastifyInstance,
  dialect: Dialect,
  credentials: SandboxCredentials,
  options: { now: () => Date; tokenTtlSeconds: number },
): SandboxAuth {
  const auth = dialect.auth;
  const tokens = new Map<string, Token>();
  // TIF nonces seen within twice the allowed skew, oldest first.
  const nonces = new Map<string, number>();

  if (auth.kind === 'oauth2') {
    const handler = async (req: FastifyRequest, reply: FastifyReply) => {
      const client = basicOf(req.headers.authorization);
      const form = formOf(req);
      const clientId = client?.user ?? form['client_id'];
      const clientSecret = client?.password ?? form['client_secret'];
      if (clientId !== credentials.clientId || clientSecret !== credentials.clientSecret) {
        return reply.code(401).send({ error: 'invalid_client', error_description: '客户端认证失败：client_id 或 client_secret 错误' });
      }
      const now = options.now().getTime();
      if (form['grant_type'] === 'password') {
        if (form['username'] !== credentials.username || form['password'] !== credentials.password) {
          return reply.code(400).send({ error: 'invalid_grant', error_description: '用户名或密码错误' });
        }
      } else if (form['grant_type'] === 'refresh_token') {
        const refresh = tokens.get(form['refresh_token'] ?? '');
        if (!refresh || refresh.kind !== 'refresh' || refresh.expiresAt <= now) {
          return reply.code(400).send({ error: 'invalid_grant', error_description: '刷新令牌无效或已过期，请重新登录' });
        }
        tokens.delete(form['refresh_token']!);
      } else {
        return reply.code(400).send({ error: 'unsupported_grant_type', error_description: `不支持的 grant_type：${form['grant_type'] ?? '（无）'}` });
      }
      const access = randomBytes(24).toString('hex');
      const refresh = randomBytes(24).toString('hex');
      tokens.set(access, { kind: 'access', expiresAt: now + options.tokenTtlSeconds * 1000 });
      tokens.set(refresh, { kind: 'refresh', expiresAt: now + options.tokenTtlSeconds * 4000 });
      return reply.send({ access_token: access, token_type: 'bearer', expires_in: options.tokenTtlSeconds, refresh_token: refresh, scope: form['scope'] ?? '' });
    };
    for (const path of new Set(['/oauth/token', auth.tokenPath])) app.post(path, handler);
  }

  return {
    check(req) {
      if (auth.kind === 'none') return null;
      if (auth.kind === 'basic') {
        const given = basicOf(req.headers.authorization);
        if (!given) return '未认证：缺少 HTTP 基本认证（Authorization: Basic …）';
        return given.user === credentials.username && given.password === credentials.password ? null : '认证失败：用户名或密码错误';
      }
      if (auth.kind === 'oauth2') {
        const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
        if (!m) return '未认证：缺少访问令牌（Authorization: Bearer …），请先获取令牌';
        const token = tokens.get(m[1]!);
        if (!token || token.kind !== 'access') return '访问令牌无效，请重新获取令牌';
        if (token.expiresAt <= options.now().getTime()) return '访问令牌已过期，请刷新或重新获取令牌';
        return null;
      }
      const nowMs = options.now().getTime();
      const refused = checkTifHeaders(req.headers, {
        tokens: { [credentials.paasid]: credentials.tifToken },
        nowMs,
        maxSkewSeconds: auth.maxSkewSeconds,
      });
      if (refused) return refused;
      // A signed request replayed within the time window: the nonce is what tells it apart.
      const nonce = String(req.headers['x-tif-nonce']);
      for (const [seen, at] of nonces) if (at < nowMs - auth.maxSkewSeconds * 2000) nonces.delete(seen);
      if (nonces.has(nonce)) return '网关认证失败：x-tif-nonce 已使用过（重放的请求）';
      nonces.set(nonce, nowMs);
      return null;
    },
  };
}
