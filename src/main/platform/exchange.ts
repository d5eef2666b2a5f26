import type { PlatformSendResponse } from './send-types';
import { HandlerError } from '../../shared/ipc/result';
import { formatCompactTime, parseCompactTime } from '../../shared/time';
import { buildEnvelope, envelopeRequestSchema, envelopeResponseSchema, type EnvelopeSender } from '../../shared/platform/envelope';
import { toFieldIssues, describeFieldIssues } from '../../shared/platform/issues';
import { transactionFor } from '../../shared/platform/transactions';
import { validateRequest } from '../../shared/platform/validate';
import type { Sm2Signer } from './envelope-signing';
import type { HttpTransport } from './http-transport';
import type { MsgidAllocator } from './msgid-allocator';

/**
 * One round trip: wrap `input` in the national envelope, sign it, POST it, and say what became of
 * it in the contract's four outcomes. Sign-in handling sits a level up (gateway.ts).
 */
export interface ExchangeContext {
  transport: HttpTransport;
  urlFor(infno: string): string;
  sender: EnvelopeSender;
  msgids: MsgidAllocator;
  signer?: Sm2Signer;
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
  /** infcode and err_msg as received, for the sign-in-expiry check. */
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

/**
 * The body as JSON, or undefined. Platforms leave `output` out of many refusals, and the shared
 * schema (zod 4) requires the key to be present, so a missing one is filled with null.
 */
function readJson(body: string): unknown {
  try {
    const json: unknown = JSON.parse(body);
    return json && typeof json === 'object' && !Array.isArray(json) && !('output' in json) ? { ...json, output: null } : json;
  } catch {
    return undefined;
  }
}

/** platform clock minus ours, taking our clock at the midpoint of the round trip. */
function clockOffset(respondTime: string | null | undefined, sentAt: number, receivedAt: number): number | undefined {
  if (!respondTime) return undefined;
  const platformAt = parseCompactTime(respondTime);
  return platformAt ? Math.round(platformAt.getTime() - (sentAt + receivedAt) / 2) : undefined;
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
  if (ctx.signer) envelope['cainfo'] = ctx.signer.sign(envelope);

  const result = await ctx.transport.post(ctx.urlFor(request.infno), JSON.stringify(envelope), request.timeoutMs);
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

  const parsed = envelopeResponseSchema.safeParse(readJson(result.body));
  if (!parsed.success) {
    const message = `平台应答无法解析（HTTP ${result.status}），结果不明`;
    return { answered: false, response: { outcome: 'unknown', msgid, reason: 'unparsable', message } };
  }

  const answer = parsed.data;
  const infRefmsgid = answer.inf_refmsgid ?? undefined;
  const clockOffsetMs = clockOffset(answer.respond_time, sentAt, receivedAt);
  const raw = { infcode: answer.infcode, err_msg: answer.err_msg };
  if (answer.infcode === 0) {
    return {
      answered: true,
      clockOffsetMs,
      raw,
      response: { outcome: 'accepted', msgid, output: answer.output, infRefmsgid, clockOffsetMs },
    };
  }
  if (answer.infcode === -1) {
    const errMsg = answer.err_msg || '平台拒绝了该报文，未说明原因';
    return { answered: true, clockOffsetMs, raw, response: { outcome: 'rejected', msgid, errMsg, infRefmsgid } };
  }
  // Only 0 and -1 are defined; anything else may hide a commit, so it is reconciled, not trusted.
  const message = `平台返回未定义的 infcode ${answer.infcode}：${answer.err_msg ?? ''}`;
  return { answered: true, clockOffsetMs, raw, response: { outcome: 'unknown', msgid, reason: 'unexpected_infcode', message } };
}
