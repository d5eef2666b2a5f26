import type { PlatformSendResponse } from './send-types';
import { HandlerError } from '../../shared/ipc/result';
import { formatCompactTime, parseCompactTime } from '../../shared/time';
import { buildEnvelope, envelopeRequestSchema, type EnvelopeSender } from '../../shared/platform/envelope';
import type { Dialect } from '../../shared/platform/dialect';
import { sealRequest, type DialectKeys } from '../../shared/platform/dialect-crypto';
import { readAnswer } from '../../shared/platform/tolerant';
import { toFieldIssues, describeFieldIssues } from '../../shared/platform/issues';
import { transactionFor } from '../../shared/platform/transactions';
import { validateRequest } from '../../shared/platform/validate';
import type { HttpTransport } from './http-transport';
import type { MsgidAllocator } from './msgid-allocator';

/**
 * One round trip: wrap `input` in the national envelope, seal it as the dialect says (sign, encrypt),
 * POST it with the dialect's gateway headers, read the answer with the tolerant reader, and say what
 * became of it in the contract's four outcomes. Sign-in handling sits a level up (gateway.ts).
 */
export interface ExchangeContext {
  transport: HttpTransport;
  urlFor(infno: string): string;
  sender: EnvelopeSender;
  msgids: MsgidAllocator;
  dialect: Dialect;
  /** The hospital's private key, the SM4 key, the platform's public key (when answers are checked). */
  keys: DialectKeys;
  /** Gateway headers for one attempt (Basic, Bearer, TIF); `token` is the bearer token used, if any. */
  authHeaders(): Promise<{ ok: true; headers: Record<string, string>; token?: string } | { ok: false; message: string }>;
  /** The gateway refused this bearer token: fetch another before the next attempt. */
  tokenRefused?(token: string): void;
  recognitionInfno: string;
  now(): number;
}

export interface ExchangeRequest {
  infno: string;
  input: Record<string, unknown>;
  insuplcAdmdvs?: string;
  signNo?: string;
  timeoutMs?: number;
}

export interface ExchangeResult {
  response: PlatformSendResponse;
  /** The platform answered with an envelope (accepted or rejected): it is reachable. */
  answered: boolean;
  clockOffsetMs?: number;
  /** infcode and err_msg as read, for the sign-in-expiry check. */
  raw?: { infcode: number; err_msg?: string | null };
}

/**
 * Checks a message against the national tables before anything happens — before a sign-in, and
 * whether or not the platform is reachable — so a bad field goes to a person at once instead of
 * waiting in a retry loop. The envelope is the one the message will carry, with a provisional
 * msgid; codes we do not know get the envelope check only.
 */
export function checkMessage(ctx: ExchangeContext, request: ExchangeRequest): void {
  const envelope = buildEnvelope({
    infno: request.infno,
    input: request.input,
    msgid: `${ctx.sender.fixmedinsCode}${formatCompactTime(new Date(ctx.now()))}0000`,
    now: new Date(ctx.now()),
    sender: ctx.sender,
    insuplcAdmdvs: request.insuplcAdmdvs,
    signNo: request.signNo,
  });
  const options = { recognitionInfno: ctx.recognitionInfno };
  let problem: string | undefined;
  if (transactionFor(request.infno, options)) {
    const checked = validateRequest(envelope, options);
    if (!checked.ok) problem = checked.message;
  } else {
    const parsed = envelopeRequestSchema.safeParse(envelope);
    if (!parsed.success) problem = describeFieldIssues(toFieldIssues(parsed.error));
  }
  // BAD_REQUEST: like a request refused at the bridge, nothing left main and a person must fix it.
  if (problem) throw new HandlerError('BAD_REQUEST', `报文未通过校验，未发送：${problem}`);
}

/** The 9101 envelope without the file (`fsUploadIn.in` left out), and the file's bytes. */
function splitUpload(envelope: Record<string, unknown>): { envelope: Record<string, unknown>; file: Buffer; filename: string } | undefined {
  const input = envelope['input'] as { fsUploadIn?: { in?: unknown; filename?: unknown } } | undefined;
  const f = input?.fsUploadIn;
  if (!f || f.in === undefined) return undefined;
  const file = typeof f.in === 'string' ? Buffer.from(f.in, 'base64') : Buffer.from((f.in as number[]).map((b) => b & 0xff));
  const { in: _file, ...rest } = f;
  return { envelope: { ...envelope, input: { ...input, fsUploadIn: rest } }, file, filename: typeof f.filename === 'string' ? f.filename : 'file' };
}

/** multipart/form-data with the text part `jsonStr` and the binary part `in`. */
function multipartBody(boundary: string, json: string, file: Buffer, filename: string): Buffer {
  const safeName = filename.replace(/["\r\n]/g, '_');
  return Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="jsonStr"\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${json}\r\n`, 'utf8'),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="in"; filename="${safeName}"\r\nContent-Type: application/octet-stream\r\n\r\n`, 'utf8'),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
  ]);
}

/** platform clock minus ours, taking our clock at the midpoint of the round trip. */
function clockOffset(respondTime: string | null | undefined, sentAt: number, receivedAt: number): number | undefined {
  if (!respondTime) return undefined;
  const platformAt = parseCompactTime(respondTime);
  return platformAt ? Math.round(platformAt.getTime() - (sentAt + receivedAt) / 2) : undefined;
}

const isJsonType = (contentType: string) => /json/i.test(contentType);

/** `filename*=UTF-8''…` or `filename="…"` of a Content-Disposition header. */
function filenameOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const star = /filename\*\s*=\s*UTF-8''([^;]+)/i.exec(value);
  if (star) {
    try {
      return decodeURIComponent(star[1]!.trim());
    } catch {
      return undefined;
    }
  }
  return /filename\s*=\s*"?([^";]+)"?/i.exec(value)?.[1];
}

export async function exchange(ctx: ExchangeContext, request: ExchangeRequest): Promise<ExchangeResult> {
  const msgid = await ctx.msgids.next();
  const sentAt = ctx.now();
  const envelope: Record<string, unknown> = buildEnvelope({
    infno: request.infno,
    input: request.input,
    msgid,
    now: new Date(sentAt),
    sender: ctx.sender,
    insuplcAdmdvs: request.insuplcAdmdvs,
    signNo: request.signNo,
  });
  // Jilin's front service takes a 9101 as multipart: the envelope without the file, and the file's bytes.
  const upload = request.infno === '9101' && ctx.dialect.uploadContentType === 'multipart/form-data' ? splitUpload(envelope) : undefined;
  let body: string | Buffer;
  let contentType: string | undefined;
  try {
    const json = JSON.stringify(sealRequest(ctx.dialect, upload?.envelope ?? envelope, ctx.keys));
    if (upload) {
      const boundary = `----opsp${msgid}`;
      body = multipartBody(boundary, json, upload.file, upload.filename);
      contentType = `multipart/form-data; boundary=${boundary}`;
    } else {
      body = json;
      contentType = request.infno === '9102' && ctx.dialect.downloadContentType === 'text/plain' ? 'text/plain; charset=utf-8' : undefined;
    }
  } catch (error) {
    // A missing key: nothing was sent, and nothing will be until an administrator sets it.
    return { answered: false, response: { outcome: 'transient', msgid, reason: 'config_invalid', message: `报文未发送：${(error as Error).message}` } };
  }

  let result: Awaited<ReturnType<HttpTransport['post']>> | undefined;
  for (let attempt = 0; attempt < 2; attempt += 1) {
    const auth = await ctx.authHeaders();
    if (!auth.ok) return { answered: false, response: { outcome: 'transient', msgid, reason: 'auth_failed', message: auth.message } };
    result = await ctx.transport.post(ctx.urlFor(request.infno), body, request.timeoutMs, { headers: auth.headers, contentType });
    // A refused token stops the request at the gateway: fetch another and send again, once.
    if (result.kind === 'response' && result.status === 401 && auth.token && attempt === 0) {
      ctx.tokenRefused?.(auth.token);
      continue;
    }
    break;
  }
  result = result!;
  const receivedAt = ctx.now();

  if (result.kind === 'not_sent') {
    return { answered: false, response: { outcome: 'transient', msgid, reason: result.reason, message: result.message } };
  }
  if (result.kind === 'maybe_sent') {
    return { answered: false, response: { outcome: 'unknown', msgid, reason: result.reason, message: result.message } };
  }
  if (result.status >= 500) {
    // The platform may have committed before failing: a 5xx proves nothing either way.
    const message = `平台返回 HTTP ${result.status}，结果不明`;
    return { answered: false, response: { outcome: 'unknown', msgid, reason: 'http_5xx', message } };
  }
  const sm4Key = ctx.keys.sm4Key;
  const security = ctx.dialect.security;
  const verify =
    security.kind !== 'none' && security.platformPublicKey
      ? { publicKey: security.platformPublicKey, userId: security.userId, format: security.format }
      : undefined;

  if (result.status === 401 || result.status === 403) {
    // Refused by the gateway in front of the platform: the message was not processed.
    const read = readAnswer(result.body, { sm4Key });
    const why = read.ok && read.answer.errMsg ? read.answer.errMsg : `HTTP ${result.status}`;
    return { answered: false, response: { outcome: 'transient', msgid, reason: 'auth_failed', message: `平台网关拒绝认证：${why}` } };
  }
  // A download answers the file's bytes; a failure is an envelope, whatever content type it came with.
  if (request.infno === '9102' && result.status === 200 && !isJsonType(result.contentType) && !readAnswer(result.body.slice(0, 64 * 1024)).ok) {
    const file = { base64: result.bytes.toString('base64'), size: result.bytes.length, contentType: result.contentType, filename: filenameOf(result.headers['content-disposition']) };
    return { answered: true, response: { outcome: 'accepted', msgid, output: { file } } };
  }

  const read = readAnswer(result.body, { sm4Key, verify });
  if (!read.ok) {
    const message = `平台应答无法解析（HTTP ${result.status}：${read.reason}），结果不明`;
    return { answered: false, response: { outcome: 'unknown', msgid, reason: 'unparsable', message } };
  }
  const answer = read.answer;
  const infRefmsgid = answer.infRefmsgid;
  const clockOffsetMs = clockOffset(answer.respondTime, sentAt, receivedAt);
  const raw = { infcode: answer.infcode, err_msg: answer.errMsg };
  if (answer.signatureOk === false) {
    const message = '平台应答的签名验证失败（cainfo 与 output 不符），结果不明';
    return { answered: true, clockOffsetMs, raw, response: { outcome: 'unknown', msgid, reason: 'bad_signature', message } };
  }
  if (answer.success) {
    return { answered: true, clockOffsetMs, raw, response: { outcome: 'accepted', msgid, output: answer.output, infRefmsgid, clockOffsetMs } };
  }
  if (answer.infcode === -1) {
    const errMsg = answer.errMsg || '平台拒绝了该报文，未说明原因';
    return { answered: true, clockOffsetMs, raw, response: { outcome: 'rejected', msgid, errMsg, infRefmsgid } };
  }
  // Only 0 and -1 are defined; anything else may hide a commit, so it is reconciled, not trusted.
  const message = `平台返回未定义的 infcode ${answer.infcode}：${answer.errMsg}`;
  return { answered: true, clockOffsetMs, raw, response: { outcome: 'unknown', msgid, reason: 'unexpected_infcode', message } };
}
