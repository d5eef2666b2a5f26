/**
 * Restart persistence, one sandbox per directory, malformed input, and load: the sandbox answers
 * every bad request with a clear JSON error and keeps running.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filingQueryOutputSchema } from '../../src/shared/platform/index';
import { startSandbox } from '../../src/sandbox/server';
import { SandboxClient } from '../../src/sandbox/testing/client';
import { filingData, listPersons, startTestSandbox, type TestSandbox } from '../../src/sandbox/testing/harness';

describe('restart', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ seedPersons: 10 });
  });
  afterAll(async () => t.dispose());

  it('keeps persons, sessions, filings, files and the serial sequence', async () => {
    const c = t.client;
    const [p1, p2] = await listPersons(c);
    const signNo = await c.signIn();
    const r = await c.call('2503', { data: filingData(p1!) });
    const sn = (r.body.output as { result: { trt_dcla_detl_sn: string } }).result.trt_dcla_detl_sn;
    const up = await c.call('9101', { fsUploadIn: { in: Buffer.from('hello').toString('base64'), filename: 'a.txt', fixmedins_code: 'H14010500001' } });
    const q = (up.body.output as { file_qury_no: string }).file_qury_no;

    await t.restart({ seedPersons: 10 });
    const c2 = new SandboxClient(t.sandbox.url);
    c2.signNo = signNo; // the session survives the restart
    const list = filingQueryOutputSchema.parse((await c2.call('5301', { data: { psn_no: p1!.psn_no } })).body.output).feedetail;
    expect(list.map((f) => f.trt_dcla_detl_sn)).toEqual([sn]);
    expect((await c2.call('2503', { data: filingData(p1!) })).body.err_msg).toContain('重复备案');
    const r2 = await c2.call('2503', { data: filingData(p2!) });
    expect((r2.body.output as { result: { trt_dcla_detl_sn: string } }).result.trt_dcla_detl_sn > sn).toBe(true);
    const file = await c2.post('/fsi/api/x', await c2.envelope('9102', { fsDownloadIn: { file_qury_no: q, filename: 'a.txt', fixmedins_code: 'H14010500001' } }));
    expect(await file.text()).toBe('hello');
    const h = await c2.get<{ counts: { persons: number; filings: number } }>('/sandbox/health');
    expect(h.counts).toMatchObject({ persons: 10, filings: 2 });
  });

  it('refuses a second sandbox on the same directory while one runs', async () => {
    await expect(startSandbox({ dataDir: t.dataDir })).rejects.toThrow(/正被另一个沙箱使用/);
    expect((await t.client.get<{ ok: boolean }>('/sandbox/health')).ok).toBe(true);
  });

  it('reset clears the run and can replace the persons', async () => {
    const res = await t.client.post('/sandbox/reset', { persons: 3 });
    expect(await res.json()).toEqual({ ok: true, persons: 3 });
    const h = await t.client.get<{ counts: Record<string, number> }>('/sandbox/health');
    expect(h.counts).toEqual({ persons: 3, filings: 0, active_filings: 0, sessions: 0, files: 0, recognitions: 0 });
  });
});

describe('malformed input', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ seedPersons: 2, maxFileBytes: 1024 });
    await t.client.signIn();
  });
  afterAll(async () => t.dispose());

  const raw = async (body: string | Buffer, contentType: string | null = 'application/json', path = '/fsi/api/x') => {
    const res = await fetch(`${t.sandbox.url}${path}`, {
      method: 'POST',
      headers: contentType ? { 'content-type': contentType } : {},
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), json: JSON.parse(text) as { infcode: number; err_msg: string } };
  };

  it('answers not-JSON, a wrong content type, an empty body and a foreign charset with HTTP 400 and infcode -1', async () => {
    const cases: [string | Buffer, string | null, string][] = [
      ['{"infno": "9001",', 'application/json', '报文不是有效的 JSON'],
      ['<xml/>', 'application/xml', '不支持的 Content-Type：application/xml'],
      ['{}', 'text/html', '不支持的 Content-Type：text/html'],
      [Buffer.from('{}'), null, '不支持的 Content-Type'], // bytes: fetch adds no content type
      ['', 'application/json', '请求体为空'],
      ['{}', 'application/json; charset=iso-8859-1', '不支持的字符集 iso-8859-1'],
    ];
    for (const [body, type, text] of cases) {
      const r = await raw(body, type);
      expect(r.status, text).toBe(400);
      expect(r.type).toContain('application/json');
      expect(r.json.infcode).toBe(-1);
      expect(r.json.err_msg).toContain(text);
    }
  });

  it('answers wrong shapes and types with infcode -1 naming the field', async () => {
    const env = await t.client.envelope('5301', { data: { psn_no: 'x' } });
    const cases: [unknown, string][] = [
      [[1, 2, 3], '报文应为 JSON 对象'],
      [null, '报文应为 JSON 对象'],
      ['"just a string"', '报文应为 JSON 对象'],
      [{ ...env, infno: 5301 }, 'infno（交易编号）: 类型应为字符串'],
      [{ ...env, input: [] }, 'input（交易输入）: 类型应为对象'],
      [{ ...env, input: { data: { psn_no: ['x'] } } }, 'input.data.psn_no（人员编号）: 类型应为字符串'],
      [{ ...env, inf_time: '2025-13-01 00:00:00' }, 'inf_time（交易时间）: 时间格式应为 yyyy-MM-dd HH:mm:ss'],
      [{ ...env, opter_type: '9' }, 'opter_type（经办人类别）: 取值应为 1/2/3 之一'],
      [JSON.parse('{"__proto__": {"polluted": true}, "infno": "9001"}'), 'msgid（发送方报文ID）: 必填'],
    ];
    for (const [body, text] of cases) {
      const r = await raw(typeof body === 'string' ? body : JSON.stringify(body));
      expect(r.status, text).toBe(200);
      expect(r.json.infcode, text).toBe(-1);
      expect(r.json.err_msg, text).toContain(text);
      expect(r.json.err_msg.length).toBeLessThanOrEqual(200);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers a huge body with HTTP 400 and stays up', async () => {
    const huge = Buffer.alloc(2 * 1024 * 1024, 0x61);
    const r = await raw(huge);
    expect(r.status).toBe(400);
    expect(r.json.err_msg).toMatch(/^请求体过大：超过 \d+ 字节上限$/);
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const d = await raw(deep);
    expect(d.status === 400 || d.status === 200).toBe(true);
    expect(d.json.infcode).toBe(-1);
    const inspect = await raw(Buffer.alloc(2 * 1024 * 1024, 0x61), 'text/plain', '/sandbox/faults');
    expect(inspect.status).toBe(400);
    expect((await t.client.get<{ ok: boolean }>('/sandbox/health')).ok).toBe(true);
  });

  it('survives a client that disconnects mid-request', async () => {
    const { port } = t.sandbox;
    await new Promise<void>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.write('POST /fsi/api/x HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"infno":');
        setTimeout(() => {
          s.destroy();
          resolve();
        }, 50);
      });
    });
    const r = await t.client.call('5301', { data: { psn_no: (await listPersons(t.client))[0]!.psn_no } });
    expect(r.body.infcode).toBe(0);
  });

  it('answers unknown routes with 404 JSON', async () => {
    const res = await fetch(`${t.sandbox.url}/nothing`);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { infcode: number }).infcode).toBe(-1);
    expect((await fetch(`${t.sandbox.url}/sandbox/nothing`)).status).toBe(404);
  });
});

describe('load', () => {
  let t: TestSandbox;
  beforeAll(async () => {
    t = await startTestSandbox({ seedPersons: 1000 });
  });
  afterAll(async () => t.dispose());

  it('files 1000 filings with concurrency 32, each exactly once', async () => {
    const c = t.client;
    await c.signIn();
    const people = (await c.get<{ persons: Parameters<typeof filingData>[0][] }>('/sandbox/persons?limit=1000')).persons;
    const started = performance.now();
    let next = 0;
    const sns: string[] = [];
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < people.length) {
          const p = people[next++]!;
          const r = await c.call('2503', { data: filingData(p) });
          expect(r.body.infcode).toBe(0);
          sns.push((r.body.output as { result: { trt_dcla_detl_sn: string } }).result.trt_dcla_detl_sn);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(`[sandbox load] ${people.length} filings in ${seconds.toFixed(2)} s = ${(people.length / seconds).toFixed(0)} filings/s`);
    expect(new Set(sns).size).toBe(people.length);
    expect((await c.get<{ total: number }>('/sandbox/filings?limit=1')).total).toBe(people.length);
  }, 120_000);
});
