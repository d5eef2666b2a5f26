/**
 * A desk's HTTP client for the hospital server: enrolment, login, push, pull, drift, hints,
 * material bytes, and the provincial platform as the server alone reaches it (status, settings,
 * lookups). Every answer is checked against the shared protocol's schemas; every failure is
 * a HospitalError carrying the server's own Chinese message (or, without an answer, status 0).
 * Runs in the renderer and in Node (tests, benchmarks): only `fetch` is used.
 */
import type { ZodType, z } from 'zod';
import {
  DESK_HEADER,
  caseRowsSchema,
  manyCaseRowsSchema,
  heldBlobsResponseSchema,
  driftResponseSchema,
  enrolResponseSchema,
  loginResponseSchema,
  pullResponseSchema,
  pushResponseSchema,
  type Command,
  type LoginResponse,
  type PullResponse,
  type PushResponse,
} from '../../../shared/hospital/protocol';
import type { PlatformQuery, ServerPlatformStatus } from '../../../shared/hospital/filings';
import { platformSendResponse } from '../../../shared/platform/send';
import { platformConfigViewSchema, type PlatformConfigUpdate, type PlatformConfigView } from '../../../shared/platform-config';
import { serverPlatformStatusSchema } from './platform-client';

export class HospitalError extends Error {
  constructor(
    /** HTTP status; 0 when the server did not answer. */
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'HospitalError';
  }

  /** No answer (network, server down, timeout): try again later; nothing was refused. */
  get unreachable() {
    return this.status === 0 || this.status >= 500;
  }
}

export type PlatformSendResponse = z.output<typeof platformSendResponse>;

/** A platform lookup: the platform's own response time (30 s by default) plus a sign-in. */
const PLATFORM_QUERY_TIMEOUT_MS = 90_000;

export interface ClientOptions {
  baseUrl: string;
  deskToken?: string | null;
  sessionToken?: string | null;
  /** Per request (pull and push are small; a blob may be large). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export class HospitalClient {
  deskToken: string | null;
  sessionToken: string | null;
  baseUrl: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.deskToken = options.deskToken ?? null;
    this.sessionToken = options.sessionToken ?? null;
    this.timeoutMs = options.timeoutMs ?? 15_000;
    this.fetchImpl = options.fetch ?? ((...args) => globalThis.fetch(...args));
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { ...extra };
    if (this.deskToken) h[DESK_HEADER] = this.deskToken;
    if (this.sessionToken) h['authorization'] = `Bearer ${this.sessionToken}`;
    return h;
  }

  private async request(method: string, path: string, body?: unknown, init: { raw?: RequestInit['body']; headers?: Record<string, string>; timeoutMs?: number } = {}): Promise<Response> {
    const signal = AbortSignal.timeout(init.timeoutMs ?? this.timeoutMs);
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers: this.headers(body === undefined ? (init.headers ?? {}) : { 'content-type': 'application/json', ...init.headers }),
        body: init.raw ?? (body === undefined ? undefined : JSON.stringify(body)),
        signal,
      });
    } catch (e) {
      const timedOut = e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError');
      throw new HospitalError(0, timedOut ? '院内服务器没有及时应答' : '无法连接院内服务器');
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      let message = `院内服务器拒绝了请求（HTTP ${response.status}）`;
      try {
        const parsed = JSON.parse(text) as { message?: unknown };
        if (typeof parsed.message === 'string') message = parsed.message;
      } catch {
        // not JSON: keep the status line
      }
      throw new HospitalError(response.status, message);
    }
    return response;
  }

  private async json<T>(schema: ZodType<T>, method: string, path: string, body?: unknown, timeoutMs?: number): Promise<T> {
    const response = await this.request(method, path, body, { timeoutMs });
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) throw new HospitalError(502, '院内服务器的应答格式不符（版本不一致？）');
    return parsed.data;
  }

  health(): Promise<unknown> {
    return this.request('GET', '/health').then((r) => r.json());
  }

  async enrol(code: string, name: string) {
    const r = await this.json(enrolResponseSchema, 'POST', '/desks/enrol', { code, name });
    this.deskToken = r.token;
    return r;
  }

  status(): Promise<{ accounts: number; serverId: string; desk: { id: string; name: string } }> {
    return this.request('GET', '/auth/status').then((r) => r.json() as never);
  }

  async setup(username: string, displayName: string, password: string): Promise<LoginResponse> {
    const r = await this.json(loginResponseSchema, 'POST', '/auth/setup', { username, displayName, password });
    this.sessionToken = r.token;
    return r;
  }

  async login(username: string, password: string): Promise<LoginResponse> {
    const r = await this.json(loginResponseSchema, 'POST', '/auth/login', { username, password });
    this.sessionToken = r.token;
    return r;
  }

  async logout(): Promise<void> {
    if (this.sessionToken) await this.request('POST', '/auth/logout', {}).catch(() => undefined);
    this.sessionToken = null;
  }

  async changePassword(current: string, next: string): Promise<void> {
    await this.request('POST', '/auth/password', { current, next });
  }

  /** An administrator's request (POST /admin/demo, /admin/go-live). */
  async admin(path: string, body: unknown): Promise<Record<string, unknown>> {
    return (await this.request('POST', path, body, { timeoutMs: 600_000 })).json() as never;
  }

  async enrolmentCode(name: string): Promise<{ code: string; expiresAt: string }> {
    return (await this.request('POST', '/desks/codes', { name })).json() as never;
  }

  push(commands: readonly Command[]): Promise<PushResponse> {
    return this.json(pushResponseSchema, 'POST', '/sync/push', { commands });
  }

  pull(cursor: number, limit = 500): Promise<PullResponse> {
    // POST: one URL for every page, so the browser's cached CORS preflight serves them all.
    return this.json(pullResponseSchema, 'POST', '/sync/pull', { cursor, limit });
  }

  caseRows(caseId: string) {
    return this.json(caseRowsSchema, 'GET', `/sync/case/${encodeURIComponent(caseId)}`);
  }

  /** Several cases as the server now has them (at most MAX_CASE_ROWS ids), in the order asked. */
  async caseRowsMany(ids: readonly string[]) {
    return (await this.json(manyCaseRowsSchema, 'POST', '/sync/cases', { ids })).cases;
  }

  drift(casesHash: string, auditHead: { seq: number; hash: string } | null = null) {
    return this.json(driftResponseSchema, 'POST', '/sync/drift', { casesHash, auditHead });
  }

  async putBlob(sha256: string, bytes: Uint8Array, mime: string): Promise<void> {
    await this.request('PUT', `/blobs/${sha256}`, undefined, { raw: bytes as RequestInit['body'], headers: { 'content-type': 'application/octet-stream', 'x-opsp-mime': mime }, timeoutMs: 120_000 });
  }

  /** Which of these files (at most MAX_HELD_HASHES) the server holds bytes for, within this desk's share. */
  async heldBlobs(hashes: readonly string[]): Promise<string[]> {
    return (await this.json(heldBlobsResponseSchema, 'POST', '/blobs/held', { hashes })).held;
  }

  async getBlob(sha256: string): Promise<{ bytes: Uint8Array; mime: string }> {
    const r = await this.request('GET', `/blobs/${sha256}`, undefined, { timeoutMs: 120_000 });
    return { bytes: new Uint8Array(await r.arrayBuffer()), mime: r.headers.get('x-opsp-mime') ?? 'application/octet-stream' };
  }

  /** The server's link to the provincial platform: online, signed in, its outbox's counts (any signed-in user). */
  platformStatus(): Promise<ServerPlatformStatus> {
    return this.json(serverPlatformStatusSchema, 'GET', '/platform/status');
  }

  /** The platform settings the server uses, secrets only as set or not (医保办 and administrators). */
  platformConfig(): Promise<PlatformConfigView> {
    return this.json(platformConfigViewSchema, 'GET', '/platform/config');
  }

  /** Saves the platform settings at the server (administrators); answers them as now stored. */
  setPlatformConfig(update: PlatformConfigUpdate): Promise<PlatformConfigView> {
    return this.json(platformConfigViewSchema, 'PUT', '/platform/config', update);
  }

  /**
   * A lookup the server makes at once with the platform (1101, 5301, 9001) and its answer as the
   * platform gave it: accepted, rejected, transient or unknown. The server may sign in first, so
   * this waits longer than other requests.
   */
  platformQuery(query: PlatformQuery): Promise<PlatformSendResponse> {
    return this.json(platformSendResponse, 'POST', '/platform/query', query, PLATFORM_QUERY_TIMEOUT_MS);
  }

  /**
   * Listens for the server's hints ("your share changed up to seq N") until `signal` aborts or the
   * stream ends; resolves then (the caller reconnects). fetch, not EventSource: it sends headers.
   */
  async events(onChanged: (seq: number) => void, signal: AbortSignal): Promise<void> {
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}/sync/events`, { headers: this.headers(), signal });
    } catch {
      return;
    }
    if (!response.ok || !response.body) throw new HospitalError(response.status, '院内服务器拒绝了变更通知');
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data: '));
          if (data && block.includes('event: changed')) {
            const seq = Number((JSON.parse(data.slice(6)) as { seq?: unknown }).seq);
            if (Number.isFinite(seq)) onChanged(seq);
          }
        }
      }
    } catch {
      // aborted or dropped: the caller reconnects and pulls
    } finally {
      reader.releaseLock();
    }
  }
}
