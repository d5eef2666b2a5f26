import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatRespondTime } from '../../../shared/time';

/**
 * A local HTTP server that answers each envelope the way a test scripts it: an answer, an HTTP
 * status, a connection reset half-way through the body, or silence. For gateway tests only.
 */
export interface ReceivedCall {
  url: string;
  headers: IncomingMessage['headers'];
  envelope: Record<string, unknown>;
}

export type Reply =
  | { kind: 'envelope'; body: Record<string, unknown> }
  | { kind: 'status'; status: number; body?: string }
  | { kind: 'raw'; body: string }
  /** A body of any content type, e.g. a 9102 file. */
  | { kind: 'file'; body: Buffer | string; contentType: string }
  | { kind: 'reset-mid-body' }
  | { kind: 'hang' };

export type Script = (call: ReceivedCall, index: number) => Reply | Promise<Reply>;

export interface ScriptedPlatform {
  url: string;
  calls: ReceivedCall[];
  setScript(script: Script): void;
  /** TCP connections accepted so far (keep-alive reuses them). */
  connections(): number;
  close(): Promise<void>;
}

/** A success envelope with the fields a platform fills in. */
export const ok = (output: unknown, at = new Date()): Reply => ({
  kind: 'envelope',
  body: { infcode: 0, inf_refmsgid: `420100${formatRespondTime(at).slice(0, 14)}0000000001`, respond_time: formatRespondTime(at), err_msg: null, output },
});

export const refuse = (errMsg: string): Reply => ({
  kind: 'envelope',
  body: { infcode: -1, err_msg: errMsg, respond_time: formatRespondTime(new Date()), output: null },
});

/** Signs in with a counter-based sign_no; everything else follows `rest`. */
export const withSignIn =
  (rest: Script, signNos = { next: 1 }): Script =>
  (call, index) =>
    call.envelope['infno'] === '9001'
      ? ok({ signinoutb: { sign_time: '2025-01-01 08:00:00', sign_no: `SN${signNos.next++}` } })
      : rest(call, index);

export async function startScriptedPlatform(script: Script): Promise<ScriptedPlatform> {
  let current = script;
  const calls: ReceivedCall[] = [];

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const call: ReceivedCall = {
      url: req.url ?? '',
      headers: req.headers,
      envelope: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
    };
    calls.push(call);
    const reply = await current(call, calls.length - 1);
    switch (reply.kind) {
      case 'envelope':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify(reply.body));
      case 'status':
        res.writeHead(reply.status, { 'content-type': 'text/plain' });
        return res.end(reply.body ?? 'error');
      case 'raw':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(reply.body);
      case 'file':
        res.writeHead(200, { 'content-type': reply.contentType, 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent('报告.pdf')}` });
        return res.end(reply.body);
      case 'reset-mid-body':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': 1000 });
        res.write('{"infcode":0,"output":');
        return setTimeout(() => res.socket?.destroy(), 20);
      case 'hang':
        return; // never answers; the client's response timeout ends it
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.socket?.destroy());
  });
  let connections = 0;
  server.on('connection', () => void (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    setScript: (next) => void (current = next),
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port with nothing listening on it (connection refused). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
