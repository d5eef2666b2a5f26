import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';

/**
 * One JSON POST to the platform over keep-alive HTTP(S), with the two timeouts the outbox needs
 * to tell "certainly not sent" from "maybe committed" (architecture.md §6):
 * - connect timeout: runs until the socket is connected (TLS included); nothing was written yet;
 * - response timeout: runs from the moment the request can go out until the whole body arrived.
 * node:http rather than fetch because it tells us when the socket connected, which is exactly the
 * line between the two outcomes.
 */
export interface TransportOptions {
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  /** Extra headers (e.g. Authorization) sent with every request. */
  headers?: Record<string, string>;
  /** Upper bound on sockets per host; the sync runner sends at most a few dozen at once. */
  maxSockets?: number;
}

/** A failure before the request could be written: safe to retry as it is. */
export type NotSentReason = 'refused' | 'dns' | 'connect_timeout' | 'tls' | 'network';
/** A failure after the request may have reached the platform: reconcile before resending. */
export type MaybeSentReason = 'response_timeout' | 'reset' | 'body_too_large';

export type TransportResult =
  /** `bytes` is the body as received (a 9102 file); `body` the same as UTF-8 text. */
  | { kind: 'response'; status: number; body: string; bytes: Buffer; contentType: string; headers: Record<string, string | string[] | undefined> }
  | { kind: 'not_sent'; reason: NotSentReason; message: string }
  | { kind: 'maybe_sent'; reason: MaybeSentReason; message: string };

/** Per-request additions: headers that change per call (a bearer token, the TIF signature), the content type. */
export interface PostExtras {
  headers?: Record<string, string>;
  /** Default `application/json; charset=utf-8`. */
  contentType?: string;
}

export interface HttpTransport {
  post(url: string, body: string | Buffer, timeoutMs?: number, extras?: PostExtras): Promise<TransportResult>;
  /** Destroys every socket; call once no request is in flight. */
  close(): void;
}

// A 9102 download or a large 1101 answer is far below this; anything bigger is not an envelope.
const MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

class TransportTimeout extends Error {
  constructor(readonly phase: 'connect' | 'response') {
    super(phase === 'connect' ? '连接平台超时' : '等待平台应答超时');
  }
}

function notSentReason(code: string | undefined): NotSentReason {
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'dns';
  if (code?.startsWith('ERR_TLS') || code?.includes('CERT') || code === 'ERR_SSL_WRONG_VERSION_NUMBER') return 'tls';
  return 'network';
}

const NOT_SENT_TEXT: Record<NotSentReason, string> = {
  refused: '平台拒绝连接（服务未启动或端口错误）',
  dns: '无法解析平台地址',
  connect_timeout: '连接平台超时',
  tls: '与平台建立安全连接失败（证书或协议不符）',
  network: '无法连接平台',
};

export function createHttpTransport(options: TransportOptions): HttpTransport {
  const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 64, scheduling: 'lifo' as const };
  const agents = { http: new http.Agent(agentOptions), https: new https.Agent(agentOptions) };

  function post(url: string, body: string | Buffer, timeoutMs?: number, extras: PostExtras = {}): Promise<TransportResult> {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const payload = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    const controller = new AbortController();
    let connected = false;
    let responseTimer: NodeJS.Timeout | undefined;
    const connectTimer = setTimeout(() => controller.abort(new TransportTimeout('connect')), options.connectTimeoutMs);

    return new Promise<TransportResult>((resolve) => {
      let settled = false;
      const finish = (result: TransportResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(connectTimer);
        clearTimeout(responseTimer);
        resolve(result);
      };
      const onConnected = () => {
        if (connected) return;
        connected = true;
        clearTimeout(connectTimer);
        responseTimer = setTimeout(
          () => controller.abort(new TransportTimeout('response')),
          timeoutMs ?? options.responseTimeoutMs,
        );
      };

      const request = (secure ? https : http).request(target, {
        method: 'POST',
        agent: secure ? agents.https : agents.http,
        signal: controller.signal,
        headers: {
          ...options.headers,
          ...extras.headers,
          'content-type': extras.contentType ?? 'application/json; charset=utf-8',
          'content-length': payload.length,
          accept: 'application/json',
        },
      });

      request.on('socket', (socket: Socket) => {
        // A pooled keep-alive socket is already connected: the request goes out at once.
        if (!socket.connecting) return onConnected();
        socket.once(secure ? 'secureConnect' : 'connect', onConnected);
      });

      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) {
            finish({ kind: 'maybe_sent', reason: 'body_too_large', message: '平台应答过大，已放弃读取' });
            request.destroy();
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => {
          const bytes = Buffer.concat(chunks);
          finish({
            kind: 'response',
            status: response.statusCode ?? 0,
            body: bytes.toString('utf8'),
            bytes,
            contentType: response.headers['content-type'] ?? '',
            headers: response.headers,
          });
        });
        response.on('error', (error) => finish(failure(error)));
        // A body cut short (the peer reset mid-response) ends in 'close' without 'end'.
        response.on('close', () => {
          if (!response.complete) finish(failure(Object.assign(new Error('平台应答中途断开'), { code: 'ECONNRESET' })));
        });
      });

      request.on('error', (error) => finish(failure(error)));

      function failure(error: Error): TransportResult {
        const reason = controller.signal.reason;
        if (reason instanceof TransportTimeout) {
          return reason.phase === 'connect'
            ? { kind: 'not_sent', reason: 'connect_timeout', message: NOT_SENT_TEXT.connect_timeout }
            : { kind: 'maybe_sent', reason: 'response_timeout', message: reason.message };
        }
        const code = (error as NodeJS.ErrnoException).code;
        if (!connected) {
          const why = notSentReason(code);
          return { kind: 'not_sent', reason: why, message: `${NOT_SENT_TEXT[why]}（${code ?? error.message}）` };
        }
        return { kind: 'maybe_sent', reason: 'reset', message: `请求发出后连接中断（${code ?? error.message}）` };
      }

      request.end(payload);
    });
  }

  return {
    post,
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
