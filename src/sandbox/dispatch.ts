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

// A NUL cannot be stored in a PostgreSQL text value, and a lone surrogate has no UTF-8 form.
// eslint-disable-next-line no-control-regex -- the NUL is what this looks for
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

interface Visit {
  value: unknown;
  key: string | number | null;
  parent: Visit | null;
}

const pathOf = (v: Visit | null): string => {
  let path = '';
  for (let at = v; at && at.key !== null; at = at.parent) path = typeof at.key === 'number' ? `[${at.key}]${path}` : `${at.key}${path && !path.startsWith('[') ? '.' : ''}${path}`;
  return path;
};

/**
 * The path of the first key or string value holding text the database cannot store, or null.
 * Iterative, with paths built only for the answer, so a deeply nested body costs nothing extra.
 */
export function findUnstorableText(body: unknown): string | null {
  const stack: Visit[] = [{ value: body, key: null, parent: null }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const { value } = visit;
    if (typeof value === 'string') {
      if (UNSTORABLE.test(value)) return pathOf(visit) || '报文';
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], key: i, parent: visit });
    } else if (value && typeof value === 'object') {
      const entries = Object.entries(value);
      for (const [key] of entries) if (UNSTORABLE.test(key)) return `${pathOf(visit) || '报文'} 的键名`;
      for (let i = entries.length - 1; i >= 0; i--) stack.push({ value: entries[i]![1], key: entries[i]![0], parent: visit });
    }
  }
  return null;
}

/** The infno of a body, if it has one, for fault decisions and statistics. */
export function peekInfno(body: unknown): string | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const infno = (body as { infno?: unknown }).infno;
  return typeof infno === 'string' && infno.length <= 8 && !UNSTORABLE.test(infno) ? infno : null;
}

export async function dispatch(
  ctx: SandboxContext,
  responder: Responder,
  body: unknown,
  receivedAt: Date,
): Promise<DispatchOutcome> {
  const infno = peekInfno(body);
  const fail = (message: string): DispatchOutcome => ({ kind: 'envelope', infno, body: responder.failure(receivedAt, message) });
  const unstorable = findUnstorableText(body);
  if (unstorable) return fail(`${unstorable}: 含有无法保存的字符（NUL 或不成对的 UTF-16 代理项），请删除后重发`);
  const dialect = ctx.settings.dialect;
  const checked = validateRequest(body, {
    recognitionInfno: ctx.settings.recognitionInfno,
    envelope: { infnoMaxLength: dialect.infnoMaxLength, acceptShortMsgid: dialect.msgid.acceptShort },
  });
  if (!checked.ok) return fail(describeFieldIssues(checked.issues, { maxLength: ERR_MSG_MAX }));
  const { envelope, transaction, input } = checked.value;
  try {
    const signInRequired = transaction.requiresSignIn && dialect.signIn.policy === 'required';
    const session = signInRequired ? await requireSession(ctx, envelope, receivedAt) : null;
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
