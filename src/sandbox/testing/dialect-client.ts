/**
 * A test client that speaks a dialect to the sandbox as a hospital system would: it fetches an
 * OAuth2 token, writes the TIF headers, encrypts and signs the input, and reads the answer with
 * the tolerant reader. For replaying requests shaped as real clients send them; not the gateway.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Dialect } from '../../shared/platform/dialect';
import { sealRequest, sm4KeyFor, tifHeaders } from '../../shared/platform/dialect-crypto';
import { readAnswer } from '../../shared/platform/tolerant';
import type { SandboxCredentials } from '../credentials';
import { SandboxClient, type CallResult } from './client';

export class DialectClient extends SandboxClient {
  token = '';

  constructor(
    url: string,
    readonly dialect: Dialect,
    readonly credentials: SandboxCredentials,
  ) {
    super(url);
  }

  /** The gateway headers the dialect needs (a fresh TIF signature each time). */
  authHeaders(nowMs = Date.now()): Record<string, string> {
    const auth = this.dialect.auth;
    if (auth.kind === 'tif') return tifHeaders({ paasid: this.credentials.paasid, token: this.credentials.tifToken, nowMs, nonce: randomUUID() });
    if (auth.kind === 'oauth2' && this.token) return { authorization: `Bearer ${this.token}` };
    if (auth.kind === 'basic') return { authorization: `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}` };
    return {};
  }

  async fetchToken(): Promise<string> {
    const c = this.credentials;
    const res = await fetch(`${this.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'password', username: c.username, password: c.password }).toString(),
    });
    const json = (await res.json()) as { access_token?: string; error_description?: string };
    if (!json.access_token) throw new Error(`token: ${json.error_description}`);
    this.token = json.access_token;
    return this.token;
  }

  sm4Key(): string | undefined {
    return sm4KeyFor(this.dialect, this.credentials.sm4Key);
  }

  seal(envelope: Record<string, unknown>): Record<string, unknown> {
    return sealRequest(this.dialect, envelope, { clientPrivateKey: this.credentials.clientPrivateKey, sm4Key: this.sm4Key(), random: (n) => randomBytes(n) });
  }

  /** Sends the envelope sealed as the dialect says; the answer read by the tolerant reader (infcode a number, output decrypted). */
  override async call<T = Record<string, unknown>>(
    infno: string,
    input: Record<string, unknown>,
    extra: { signNo?: string; insuplcAdmdvs?: string; path?: string; signal?: AbortSignal; headers?: Record<string, string> } = {},
  ): Promise<CallResult<T>> {
    const envelope = this.seal(await this.envelope(infno, input, extra));
    const res = await this.post(extra.path ?? '/fsi/api/rsfComIfsService/callService', envelope, { ...this.authHeaders(), ...extra.headers }, extra.signal);
    const text = await res.text();
    const read = readAnswer(text, { sm4Key: this.sm4Key() });
    if (!read.ok) throw new Error(`unreadable answer (HTTP ${res.status}): ${read.reason}: ${text.slice(0, 200)}`);
    const a = read.answer;
    return { status: res.status, body: { ...(a.raw as T), infcode: a.infcode, err_msg: a.errMsg, output: a.output } };
  }
}
