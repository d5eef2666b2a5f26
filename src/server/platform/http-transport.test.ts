import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createHttpTransport, type HttpTransport } from './http-transport';
import { closedPort, ok, startScriptedPlatform, type ScriptedPlatform } from './testing/scripted-platform';

let transport: HttpTransport | undefined;
let platform: ScriptedPlatform | undefined;
let silent: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  transport?.close();
  await platform?.close();
  sockets.splice(0).forEach((s) => s.destroy());
  await new Promise<void>((resolve) => (silent ? silent.close(() => resolve()) : resolve()));
  platform = undefined;
  silent = undefined;
});

describe('http transport', () => {
  it('returns the status and body of an answer', async () => {
    platform = await startScriptedPlatform(() => ok({ a: 1 }));
    transport = createHttpTransport({ connectTimeoutMs: 1_000, responseTimeoutMs: 1_000 });
    const result = await transport.post(`${platform.url}/fsi/api/x`, JSON.stringify({ infno: '5301' }));
    expect(result).toMatchObject({ kind: 'response', status: 200 });
    expect(result.kind === 'response' && JSON.parse(result.body)).toMatchObject({ infcode: 0, output: { a: 1 } });
  });

  it('a TLS handshake that never completes is a connect timeout: not sent', async () => {
    // A TCP server that accepts and stays silent: the socket connects, TLS never finishes, so the
    // request is never written.
    silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    transport = createHttpTransport({ connectTimeoutMs: 200, responseTimeoutMs: 5_000 });
    const started = Date.now();
    expect(await transport.post(`https://127.0.0.1:${port}/`, '{}')).toMatchObject({ kind: 'not_sent', reason: 'connect_timeout' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('a plain server that accepts and never answers is a response timeout: maybe sent', async () => {
    silent = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => silent!.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    transport = createHttpTransport({ connectTimeoutMs: 1_000, responseTimeoutMs: 200 });
    expect(await transport.post(`http://127.0.0.1:${port}/`, '{}')).toMatchObject({ kind: 'maybe_sent', reason: 'response_timeout' });
  });

  it('connection refused and an unresolvable name: not sent', async () => {
    transport = createHttpTransport({ connectTimeoutMs: 2_000, responseTimeoutMs: 1_000 });
    expect(await transport.post(`http://127.0.0.1:${await closedPort()}/`, '{}')).toMatchObject({ kind: 'not_sent', reason: 'refused' });
    expect(await transport.post('http://platform.invalid/', '{}')).toMatchObject({ kind: 'not_sent' });
  });

  it('reuses keep-alive sockets', async () => {
    platform = await startScriptedPlatform(() => ok({}));
    transport = createHttpTransport({ connectTimeoutMs: 1_000, responseTimeoutMs: 1_000 });
    for (let i = 0; i < 20; i += 1) await transport.post(`${platform.url}/`, '{}');
    expect(platform.calls).toHaveLength(20);
    expect(platform.connections()).toBe(1);
  });
});
