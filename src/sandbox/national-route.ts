/**
 * `POST /fsi/api/*`: checks the dialect's gateway authentication (HTTP 401 with an envelope when it
 * fails), reads the JSON body (HTTP 400 with an envelope when it cannot), applies the injected
 * fault, verifies and decrypts as the dialect says, dispatches on infno, and answers the envelope
 * — typed, encrypted and signed as the dialect's platform does — or, for 9102, the file.
 */
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SandboxContext } from './context';
import { dispatch, peekInfno, type Responder } from './dispatch';
import type { FaultInjector } from './faults';
import type { Stats } from './inspection';
import type { SandboxAuth } from './auth';
import { openRequest, sealAnswer, type DialectKeys } from '../shared/platform/dialect-crypto';

export interface NationalRouteDeps {
  ctx: SandboxContext;
  faults: FaultInjector;
  stats: Stats;
  responder: Responder;
  bodyLimit: number;
  auth: SandboxAuth;
  /** The keys the platform holds for the dialect's encryption and signatures. */
  keys: DialectKeys;
  log: (line: string) => void;
}

type JsonBody = { ok: true; value: unknown; file?: Buffer } | { ok: false; message: string };

/** The parts of a multipart/form-data body by name; null when it is not well formed. */
export function parseMultipart(raw: Buffer, boundary: string): Map<string, Buffer> | null {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts = new Map<string, Buffer>();
  let at = raw.indexOf(delimiter);
  if (at < 0) return null;
  for (;;) {
    const start = at + delimiter.length;
    if (raw.subarray(start, start + 2).toString() === '--') return parts;
    const headerEnd = raw.indexOf('\r\n\r\n', start);
    const next = raw.indexOf(delimiter, start);
    if (headerEnd < 0 || next < 0 || headerEnd > next) return null;
    const headers = raw.subarray(start, headerEnd).toString('utf8');
    const name = /name="([^"]*)"/i.exec(headers)?.[1];
    // The part's body ends with the CRLF before the next delimiter.
    if (name !== undefined) parts.set(name, raw.subarray(headerEnd + 4, next - 2));
    at = next;
  }
}

/** Reads the raw body of a national-interface request as JSON, or says what is wrong with it. */
function readJson(req: FastifyRequest): JsonBody {
  const type = req.headers['content-type'];
  const raw = req.body;
  if (!Buffer.isBuffer(raw) || raw.length === 0) return { ok: false, message: '请求体为空：应为 JSON 报文' };
  const boundary = type && /^multipart\/form-data/i.test(type) ? /boundary="?([^";]+)"?/i.exec(type)?.[1] : undefined;
  if (type && /^multipart\/form-data/i.test(type)) {
    // A 9101 as a front service takes it: the envelope in the text part jsonStr, the file in the part in.
    const parts = boundary ? parseMultipart(raw, boundary) : null;
    if (!parts) return { ok: false, message: 'multipart/form-data 请求体格式错误' };
    const json = parts.get('jsonStr');
    if (!json) return { ok: false, message: 'multipart/form-data 中缺少 jsonStr 部分' };
    try {
      return { ok: true, value: JSON.parse(json.toString('utf8')) as unknown, file: parts.get('in') };
    } catch (e) {
      return { ok: false, message: `jsonStr 不是有效的 JSON：${(e as Error).message}` };
    }
  }
  // Some clients send JSON as text/plain (seen for 9102); the body is JSON either way.
  if (!type || !/^(application\/json|text\/plain)\s*(;|$)/i.test(type)) {
    return { ok: false, message: `不支持的 Content-Type：${type ?? '（无）'}，应为 application/json（9101 也可为 multipart/form-data）` };
  }
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1];
  // Some clients send the Windows code page (GBK) and say so; anything else but UTF-8 is refused.
  const chinese = charset !== undefined && /^(gbk|gb2312|gb18030)$/i.test(charset);
  if (charset && !chinese && !/^utf-?8$/i.test(charset)) return { ok: false, message: `不支持的字符集 ${charset}：应为 UTF-8 或 GBK` };
  let text: string;
  try {
    text = chinese ? new TextDecoder('gb18030', { fatal: true }).decode(raw) : raw.toString('utf8');
  } catch {
    return { ok: false, message: `请求体不是有效的 ${charset} 文本` };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (e) {
    return { ok: false, message: `报文不是有效的 JSON：${(e as Error).message}` };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Puts a multipart upload's bytes where a JSON 9101 carries them: input.fsUploadIn.in, base64. */
function withFile(envelope: Record<string, unknown>, file: Buffer): void {
  const input = envelope['input'];
  if (!isObject(input) || !isObject(input['fsUploadIn'])) return;
  envelope['input'] = { ...input, fsUploadIn: { ...input['fsUploadIn'], in: file.toString('base64') } };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Registers the route; `stop()` refuses new work and ends hung sockets, `drained()` waits for the rest. */
export function registerNationalRoute(app: FastifyInstance, deps: NationalRouteDeps) {
  const { ctx, faults, stats, responder, log, keys } = deps;
  const dialect = ctx.settings.dialect;
  const seal = (body: Parameters<typeof sealAnswer>[1]) => sealAnswer(dialect, body, keys);
  const now = ctx.now;
  const hanging = new Map<Socket, NodeJS.Timeout>();
  // Requests still at the database when the sandbox closes finish before the database closes.
  const inflight = new Set<Promise<unknown>>();
  let closed = false;

  const count = (infno: string | null, ok: boolean) => {
    const key = infno ?? '（无）';
    const entry = (stats.byInfno[key] ??= { ok: 0, refused: 0 });
    if (ok) entry.ok += 1;
    else entry.refused += 1;
  };

  app.post('/fsi/api/*', { bodyLimit: deps.bodyLimit }, async (req: FastifyRequest, reply: FastifyReply) => {
    const receivedAt = now();
    stats.requests += 1;
    const denied = deps.auth.check(req);
    if (denied) {
      stats.badRequests += 1;
      return reply.code(401).send(seal(responder.failure(receivedAt, denied)));
    }
    const body = readJson(req);
    if (!body.ok) {
      stats.badRequests += 1;
      return reply.code(400).send(seal(responder.failure(receivedAt, body.message)));
    }
    const infno = peekInfno(body.value);
    const fault = faults.decide(infno);
    if (fault.delayMs > 0) {
      stats.faults.delay = (stats.faults.delay ?? 0) + 1;
      await sleep(fault.delayMs);
    }
    if (fault.kind !== 'none') stats.faults[fault.kind] = (stats.faults[fault.kind] ?? 0) + 1;
    const socket = req.raw.socket;
    if (fault.kind === '5xx') {
      log(`[fault] ${infno ?? '-'} → HTTP ${fault.status}`);
      return reply.code(fault.status).type('text/html; charset=utf-8').send(`<html><body><h1>${fault.status}</h1><p>sandbox fault</p></body></html>`);
    }
    if (fault.kind === 'reset') {
      log(`[fault] ${infno ?? '-'} → connection reset`);
      reply.hijack();
      socket.resetAndDestroy();
      return;
    }
    if (fault.kind === 'hang') {
      log(`[fault] ${infno ?? '-'} → hang (${fault.capMs} ms)`);
      reply.hijack();
      hanging.set(socket, setTimeout(() => {
        hanging.delete(socket);
        socket.destroy();
      }, fault.capMs));
      socket.once('close', () => {
        clearTimeout(hanging.get(socket));
        hanging.delete(socket);
      });
      return;
    }
    if (closed) return reply.code(503).send(seal(responder.failure(now(), '沙箱正在关闭')));
    const opened = isObject(body.value) ? openRequest(dialect, body.value, keys) : ({ ok: true, envelope: body.value } as const);
    if (opened.ok && body.file && isObject(opened.envelope)) withFile(opened.envelope, body.file);
    const work = opened.ok
      ? dispatch(ctx, responder, opened.envelope, receivedAt)
      : Promise.resolve({ kind: 'envelope' as const, infno, body: responder.failure(receivedAt, opened.message) });
    inflight.add(work);
    const outcome = await work.finally(() => inflight.delete(work));
    const ok = outcome.kind === 'file' || outcome.body.infcode === 0;
    count(outcome.infno, ok);
    log(`${outcome.infno ?? '-'} ${ok ? 'ok' : `refused: ${outcome.kind === 'envelope' ? outcome.body.err_msg : ''}`}${fault.kind === 'drop' ? ' [fault: committed, response dropped]' : ''}`);
    if (fault.kind === 'drop') {
      reply.hijack();
      socket.destroy();
      return;
    }
    if (outcome.kind === 'file') {
      return reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(outcome.filename)}`)
        .header('x-inf-refmsgid', outcome.refmsgid)
        .send(outcome.bytes);
    }
    return reply.type('application/json; charset=utf-8').send(seal(outcome.body));
  });

  return {
    stop() {
      closed = true;
      for (const [socket, timer] of hanging) {
        clearTimeout(timer);
        socket.destroy();
      }
      hanging.clear();
    },
    async drained() {
      await Promise.allSettled([...inflight]);
    },
  };
}
