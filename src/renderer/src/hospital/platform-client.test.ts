import { describe, expect, it } from 'vitest';
import type { ServerPlatformStatus } from '../../../shared/hospital/filings';
import { DESK_HEADER } from '../../../shared/hospital/protocol';
import { defaultPlatformConfig, type PlatformConfigView } from '../../../shared/platform-config';
import { HospitalClient, HospitalError } from './client';
import { offsetText } from './platform-client';

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that answers from `reply` and records what was asked. */
function fakeServer(reply: (req: Seen) => { status?: number; body: unknown } | Error) {
  const seen: Seen[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    const req: Seen = {
      method: init?.method ?? 'GET',
      url: String(input),
      headers: (init?.headers ?? {}) as Record<string, string>,
      body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
    };
    seen.push(req);
    const r = reply(req);
    if (r instanceof Error) throw r;
    return new Response(JSON.stringify(r.body), { status: r.status ?? 200, headers: { 'content-type': 'application/json' } });
  }) as typeof globalThis.fetch;
  const client = new HospitalClient({ baseUrl: 'http://hospital.test:8787/', deskToken: 'desk-1', sessionToken: 'sess-1', fetch });
  return { client, seen };
}

const status: ServerPlatformStatus = {
  platform: 'demo',
  label: '演示平台',
  online: true,
  signedIn: true,
  lastSuccessAt: '2026-06-15T02:00:00.000Z',
  lastError: null,
  clockOffsetMs: 1200,
  runner: 'working',
  counts: { queued: 3, inFlight: 1, waiting: 2, checking: 0, needsPerson: 1 },
  nextAttemptAt: null,
  heldForOther: [{ platform: 'real:http://10.1.2.3', label: 'http://10.1.2.3', count: 4 }],
};

const view: PlatformConfigView = {
  config: defaultPlatformConfig,
  secrets: { sm2PrivateKey: false, password: false, clientSecret: false, tifToken: false, sm4Key: false },
  demoAvailable: true,
  secretProtection: 'plain-file',
};

describe('HospitalClient platform requests', () => {
  it('platformStatus: GET /platform/status with the desk and session headers, checked by its schema', async () => {
    const { client, seen } = fakeServer(() => ({ body: status }));
    expect(await client.platformStatus()).toEqual(status);
    expect(seen[0]).toMatchObject({ method: 'GET', url: 'http://hospital.test:8787/platform/status' });
    expect(seen[0]!.headers[DESK_HEADER]).toBe('desk-1');
    expect(seen[0]!.headers['authorization']).toBe('Bearer sess-1');
  });

  it('platformStatus: an answer of another shape is a version mismatch, not a crash', async () => {
    const { client } = fakeServer(() => ({ body: { ...status, counts: { queued: 'many' } } }));
    await expect(client.platformStatus()).rejects.toMatchObject({ status: 502, message: '院内服务器的应答格式不符（版本不一致？）' });
  });

  it('platformConfig and setPlatformConfig: GET and PUT /platform/config', async () => {
    const { client, seen } = fakeServer((req) => ({ body: req.method === 'PUT' ? { ...view, secrets: { ...view.secrets, password: true } } : view }));
    expect((await client.platformConfig()).config.institution.fixmedins_code).toBe('H00000000001');
    const saved = await client.setPlatformConfig({ config: defaultPlatformConfig, secrets: { password: 'p' } });
    expect(saved.secrets.password).toBe(true);
    expect(seen[1]).toMatchObject({ method: 'PUT', url: 'http://hospital.test:8787/platform/config', body: { config: { mode: 'demo' }, secrets: { password: 'p' } } });
    expect(seen[1]!.headers['content-type']).toBe('application/json');
  });

  it('a refusal carries the server’s own Chinese message and status', async () => {
    const { client } = fakeServer(() => ({ status: 403, body: { message: '只有管理员可以修改平台设置' } }));
    const error = await client.setPlatformConfig({ config: defaultPlatformConfig }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HospitalError);
    expect(error).toMatchObject({ status: 403, message: '只有管理员可以修改平台设置', unreachable: false });
  });

  it('no answer at all is status 0: unreachable', async () => {
    const { client } = fakeServer(() => new TypeError('fetch failed'));
    await expect(client.platformStatus()).rejects.toMatchObject({ status: 0, message: '无法连接院内服务器', unreachable: true });
  });

  it('platformQuery: POST /platform/query, the platform’s answer in platformSendResponse’s shape', async () => {
    const { client, seen } = fakeServer((req) => {
      const q = req.body as { infno: string };
      if (q.infno === '1101') return { body: { outcome: 'accepted', msgid: 'M1', output: { baseinfo: { psn_no: 'P1' } } } };
      if (q.infno === '5301') return { body: { outcome: 'rejected', msgid: 'M2', errMsg: '无此人员' } };
      return { body: { outcome: 'transient', reason: 'refused', message: '无法连接平台' } };
    });
    expect(await client.platformQuery({ infno: '1101', input: { data: { mdtrt_cert_type: '02', mdtrt_cert_no: 'x' } } })).toMatchObject({ outcome: 'accepted', output: { baseinfo: { psn_no: 'P1' } } });
    expect(await client.platformQuery({ infno: '5301', input: { data: { psn_no: 'P1' } }, insuplcAdmdvs: '110105' })).toEqual({ outcome: 'rejected', msgid: 'M2', errMsg: '无此人员' });
    expect(await client.platformQuery({ infno: '9001', input: {} })).toMatchObject({ outcome: 'transient', message: '无法连接平台' });
    expect(seen[1]).toMatchObject({ method: 'POST', url: 'http://hospital.test:8787/platform/query', body: { infno: '5301', insuplcAdmdvs: '110105' } });
  });

  it('platformQuery: an outcome the contract does not know is refused', async () => {
    const { client } = fakeServer(() => ({ body: { outcome: 'maybe' } }));
    await expect(client.platformQuery({ infno: '9001', input: {} })).rejects.toMatchObject({ status: 502 });
  });
});

describe('offsetText', () => {
  it('says which clock is ahead, in minutes or seconds', () => {
    expect(offsetText(180_000)).toBe('平台时间比院内服务器快 3 分钟');
    expect(offsetText(-45_000)).toBe('平台时间比院内服务器慢 45 秒');
  });
});
