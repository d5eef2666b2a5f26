/**
 * A small national-interface client for tests and benchmarks against the sandbox: builds
 * envelopes with unique msgids, signs in, posts. Not the workstation's gateway.
 */
import {
  buildEnvelope,
  createMsgidSequencer,
  type EnvelopeSender,
} from '../../shared/platform/index';

export interface CallResult<T = Record<string, unknown>> {
  status: number;
  body: T & { infcode: number; err_msg: string; output: unknown };
}

export const TEST_SENDER: EnvelopeSender = {
  fixmedinsCode: 'H14010500001',
  fixmedinsName: '山西省示例人民医院',
  mdtrtareaAdmvs: '140100',
  recerSysCode: 'OPSPWS',
  opter: 'clerk01',
  opterName: '王测试',
};

export class SandboxClient {
  readonly sender: EnvelopeSender;
  signNo = '';
  private readonly seq;

  constructor(
    readonly url: string,
    sender: Partial<EnvelopeSender> = {},
    readonly insuplcAdmdvs = '140000',
  ) {
    this.sender = { ...TEST_SENDER, ...sender };
    this.seq = createMsgidSequencer(this.sender.fixmedinsCode);
  }

  async nextMsgid(): Promise<string> {
    for (;;) {
      const id = this.seq.next(new Date());
      if (id) return id;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** The envelope for a call, with every field filled as a national client would. */
  async envelope(infno: string, input: Record<string, unknown>, extra: { signNo?: string; insuplcAdmdvs?: string } = {}) {
    return buildEnvelope({
      infno,
      input,
      msgid: await this.nextMsgid(),
      now: new Date(),
      sender: this.sender,
      signNo: extra.signNo ?? this.signNo,
      insuplcAdmdvs: extra.insuplcAdmdvs ?? this.insuplcAdmdvs,
    });
  }

  /** POSTs a raw body (object → JSON) to a path under the sandbox. */
  async post(path: string, body: unknown, headers: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
    const isText = typeof body === 'string' || body instanceof Uint8Array;
    return fetch(`${this.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: isText ? (body as string) : JSON.stringify(body),
      signal,
    });
  }

  async call<T = Record<string, unknown>>(
    infno: string,
    input: Record<string, unknown>,
    extra: { signNo?: string; insuplcAdmdvs?: string; path?: string; signal?: AbortSignal } = {},
  ): Promise<CallResult<T>> {
    const res = await this.post(extra.path ?? '/fsi/api/rsfComIfsService/callService', await this.envelope(infno, input, extra), {}, extra.signal);
    return { status: res.status, body: (await res.json()) as CallResult<T>['body'] };
  }

  async signIn(opterNo = this.sender.opter): Promise<string> {
    const r = await this.call<{ output: { signinoutb: { sign_no: string } } }>('9001', {
      signIn: { opter_no: opterNo, mac: '00-11-22-33-44-55', ip: '127.0.0.1' },
    });
    if (r.body.infcode !== 0) throw new Error(`9001 failed: ${r.body.err_msg}`);
    this.signNo = r.body.output.signinoutb.sign_no;
    return this.signNo;
  }

  async get<T = unknown>(path: string): Promise<T> {
    const res = await fetch(`${this.url}${path}`);
    return (await res.json()) as T;
  }
}
