/**
 * One national-interface request, from parsed JSON to response envelope, independent of HTTP:
 * validate the envelope and input (shared/platform), check the 9001 session, check the person
 * a psn_no names, run the transaction, wrap the answer.
 */
import {
  buildRefMsgid,
  describeFieldIssues,
  formatRespondTime,
  INFCODE_FAILURE,
  INFCODE_SUCCESS,
  validateRequest,
  type TransactionKind,
} from '../shared/platform/index';
import { findPerson, Refusal, type SandboxContext, type TxHandler, type TxRequest } from './context';
import { catalogue1309, download9102, upload9101 } from './transactions/files';
import { file2503, query5301, revoke2504 } from './transactions/filing';
import { personInfo } from './transactions/person';
import { recognition } from './transactions/recognition';
import { requireSession, signIn, signOut } from './transactions/sign';

const HANDLERS: Record<TransactionKind, TxHandler> = {
  '9001': signIn,
  '9002': signOut,
  '1101': personInfo,
  '2503': file2503,
  '2504': revoke2504,
  '5301': query5301,
  '9101': upload9101,
  '9102': download9102,
  '1309': catalogue1309,
  recognition,
};

/** The response's err_msg holds 200 characters (national table). */
const ERR_MSG_MAX = 200;

export interface ResponseEnvelope {
  infcode: number;
  inf_refmsgid: string;
  refmsg_time: string;
  respond_time: string;
  err_msg: string;
  output: unknown;
  signtype: string;
  cainfo: string;
}

export type DispatchOutcome =
  | { kind: 'envelope'; infno: string | null; body: ResponseEnvelope }
  | { kind: 'file'; infno: string; bytes: Buffer; filename: string; refmsgid: string };

/** Builds response envelopes with unique inf_refmsgid: region + time + a 10-digit serial. */
export class Responder {
  private counter = 0;
  // Three digits from the start time lead the serial, so a restart within the same second does not repeat ids.
  private readonly base = (Date.now() % 1000) * 10_000_000;

  constructor(
    private readonly regionCode: string,
    private readonly now: () => Date,
  ) {}

  refmsgid(at: Date): string {
    this.counter = (this.counter + 1) % 10_000_000;
    return buildRefMsgid(this.regionCode, at, this.base + this.counter);
  }

  envelope(receivedAt: Date, infcode: number, errMsg: string, output: unknown): ResponseEnvelope {
    const msg = errMsg.length > ERR_MSG_MAX ? `${errMsg.slice(0, ERR_MSG_MAX - 1)}…` : errMsg;
    return {
      infcode,
      inf_refmsgid: this.refmsgid(receivedAt),
      refmsg_time: formatRespondTime(receivedAt),
      respond_time: formatRespondTime(this.now()),
      err_msg: msg,
      output,
      signtype: '',
      cainfo: '',
    };
  }

  failure(receivedAt: Date, errMsg: string): ResponseEnvelope {
    return this.envelope(receivedAt, INFCODE_FAILURE, errMsg, null);
  }
}

/** The infno of a body, if it has one, for fault decisions and statistics. */
export function peekInfno(body: unknown): string | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const infno = (body as { infno?: unknown }).infno;
  return typeof infno === 'string' && infno.length <= 8 ? infno : null;
}

export async function dispatch(
  ctx: SandboxContext,
  responder: Responder,
  body: unknown,
  receivedAt: Date,
): Promise<DispatchOutcome> {
  const infno = peekInfno(body);
  const fail = (message: string): DispatchOutcome => ({ kind: 'envelope', infno, body: responder.failure(receivedAt, message) });
  const checked = validateRequest(body, { recognitionInfno: ctx.settings.recognitionInfno });
  if (!checked.ok) return fail(describeFieldIssues(checked.issues, { maxLength: ERR_MSG_MAX }));
  const { envelope, transaction, input } = checked.value;
  try {
    const session = transaction.requiresSignIn ? await requireSession(ctx, envelope, receivedAt) : null;
    if (transaction.carriesPsnNo) {
      const psnNo = (input as { data: { psn_no: string } }).data.psn_no;
      const person = await findPerson(ctx, psnNo);
      if (!person) throw new Refusal(`参保人不存在：psn_no=${psnNo}`);
      if (envelope.insuplc_admdvs !== person.insuplc_admdvs) {
        throw new Refusal(`参保地医保区划 insuplc_admdvs=${envelope.insuplc_admdvs} 与参保人参保地 ${person.insuplc_admdvs} 不符`);
      }
    }
    const req: TxRequest = { envelope, input, receivedAt, session };
    const result = await HANDLERS[transaction.kind](ctx, req);
    if ('file' in result) {
      return { kind: 'file', infno: envelope.infno, bytes: result.file.bytes, filename: result.file.filename, refmsgid: responder.refmsgid(receivedAt) };
    }
    return { kind: 'envelope', infno: envelope.infno, body: responder.envelope(receivedAt, INFCODE_SUCCESS, '', result.output) };
  } catch (e) {
    if (e instanceof Refusal) return fail(e.message);
    throw e;
  }
}
