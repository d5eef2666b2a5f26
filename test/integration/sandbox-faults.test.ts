/**
 * Every fault kind over real HTTP: what the client sees, and what the platform committed.
 */
import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { filingQueryOutputSchema } from '../../src/shared/platform/index';
import { filingData, listPersons, startTestSandbox, type PersonSummary, type TestSandbox } from '../../src/sandbox/testing/harness';

let t: TestSandbox;
let people: PersonSummary[];

beforeAll(async () => {
  t = await startTestSandbox({ seedPersons: 20 });
  people = await listPersons(t.client);
});
afterAll(async () => t.dispose());

async function setFaults(spec: string | object) {
  const res = await fetch(`${t.sandbox.url}/sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': typeof spec === 'string' ? 'text/plain' : 'application/json' },
    body: typeof spec === 'string' ? spec : JSON.stringify(spec),
  });
  return { status: res.status, body: (await res.json()) as { ok: boolean; spec?: string; error?: string } };
}

beforeEach(async () => {
  await setFaults('off');
  await t.client.post('/sandbox/reset', {});
  await t.client.signIn();
});

const filings = async () => (await t.client.get<{ total: number; filings: { msgid: string; status: string }[] }>('/sandbox/filings')).filings;

/** Sends a 2503 and says what the client saw. */
async function tryFiling(p: PersonSummary, timeoutMs = 2000) {
  const env = await t.client.envelope('2503', { data: filingData(p) });
  const started = Date.now();
  try {
    const res = await t.client.post('/fsi/api/x', env, {}, AbortSignal.timeout(timeoutMs));
    const text = await res.text();
    return { outcome: `http ${res.status}`, text, ms: Date.now() - started, msgid: env.msgid };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    const outcome = err.name === 'TimeoutError' ? 'timeout' : `error ${err.cause?.code ?? err.message}`;
    return { outcome, text: '', ms: Date.now() - started, msgid: env.msgid };
  }
}

describe('fault kinds', () => {
  it('delay: answers after the delay', async () => {
    await setFaults('delay=300@1;only=2503');
    const r = await tryFiling(people[0]!);
    expect(r.outcome).toBe('http 200');
    expect(r.ms).toBeGreaterThanOrEqual(290);
    const quick = Date.now();
    await t.client.call('5301', { data: { psn_no: people[0]!.psn_no } });
    expect(Date.now() - quick).toBeLessThan(290); // only=2503
  });

  it('5xx: an HTTP error page, nothing committed', async () => {
    await setFaults('5xx=503@1;only=2503');
    const r = await tryFiling(people[0]!);
    expect(r.outcome).toBe('http 503');
    expect(() => JSON.parse(r.text)).toThrow();
    expect(await filings()).toEqual([]);
  });

  it('reset: the connection is reset, nothing committed', async () => {
    await setFaults('reset@1;only=2503');
    const r = await tryFiling(people[0]!);
    expect(r.outcome).toMatch(/^error /);
    expect(await filings()).toEqual([]);
  });

  it('drop: committed, then the response is lost; 5301 shows the filing', async () => {
    await setFaults('drop@1;only=2503');
    const p = people[1]!;
    const r = await tryFiling(p);
    expect(r.outcome).toMatch(/^error /);
    const all = await filings();
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ msgid: r.msgid, status: 'active' });
    const q = await t.client.call('5301', { data: { psn_no: p.psn_no } });
    expect(filingQueryOutputSchema.parse(q.body.output).feedetail.map((f) => f.opsp_dise_code)).toEqual(['M03900']);
    // A blind resend is refused as a duplicate, as on a strict platform.
    await setFaults('off');
    expect((await tryFiling(p)).text).toContain('重复备案');
  });

  it('hang: no answer until the client gives up; the socket is closed at the cap', async () => {
    await setFaults('hang=1500@1;only=2503');
    const r = await tryFiling(people[2]!, 300);
    expect(r.outcome).toBe('timeout');
    expect(await filings()).toEqual([]);
    // A client without a timeout sees the server close the socket after the cap.
    const env = JSON.stringify(await t.client.envelope('2503', { data: filingData(people[2]!) }));
    const started = Date.now();
    const closedAfter = await new Promise<number>((resolve) => {
      const req = http.request(`${t.sandbox.url}/fsi/api/x`, { method: 'POST', headers: { 'content-type': 'application/json' } });
      req.on('error', () => resolve(Date.now() - started));
      req.on('response', () => resolve(-1));
      req.end(env);
    });
    expect(closedAfter).toBeGreaterThanOrEqual(1400);
    expect(closedAfter).toBeLessThan(5000);
  });

  it('never touches the /sandbox/ routes', async () => {
    await setFaults('reset@1');
    const h = await t.client.get<{ ok: boolean; faults: string }>('/sandbox/health');
    expect(h).toMatchObject({ ok: true, faults: 'seed=1;reset@1' });
    expect((await tryFiling(people[0]!)).outcome).toMatch(/^error /);
  });
});

describe('fault control', () => {
  it('takes a spec string, a {spec} object or the JSON form, and refuses a bad one', async () => {
    expect((await setFaults('seed=9;drop@0.5')).body.spec).toBe('seed=9;drop@0.5');
    expect((await setFaults({ spec: 'seed=8;reset@0.2' })).body.spec).toBe('seed=8;reset@0.2');
    expect((await setFaults({ seed: 7, '5xx': { rate: 0.1, status: 502 }, only: ['2503'] })).body.spec).toBe('seed=7;5xx=502@0.1;only=2503');
    const bad = await setFaults('drop@7');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('0–1');
    expect((await setFaults({ bogus: true })).status).toBe(400);
    expect((await t.client.get<{ spec: string }>('/sandbox/faults')).spec).toBe('seed=7;5xx=502@0.1;only=2503');
  });

  it('replays the same run from the same seed', async () => {
    const spec = 'seed=2024;5xx@0.2;reset@0.15;hang=400@0.15;drop@0.15;only=2503';
    const run = async () => {
      await t.client.post('/sandbox/reset', {});
      await t.client.signIn();
      await setFaults(spec); // setting restarts the generator from its seed
      const outcomes: string[] = [];
      for (const p of people.slice(0, 16)) {
        const r = await tryFiling(p, 250);
        outcomes.push(r.outcome.startsWith('error') ? 'error' : r.outcome);
      }
      return { outcomes, committed: (await filings()).length };
    };
    const a = await run();
    const b = await run();
    expect(b).toEqual(a);
    expect(new Set(a.outcomes).size).toBeGreaterThanOrEqual(3);
    // Committed = answered 200 + dropped.
    expect(a.committed).toBeGreaterThanOrEqual(a.outcomes.filter((o) => o === 'http 200').length);
  });

  it('starts with the faults given at start-up', async () => {
    const f = await startTestSandbox({ seedPersons: 0, faults: 'seed=3;5xx=500@1;only=5301' });
    try {
      await f.client.signIn();
      const res = await f.client.post('/fsi/api/x', await f.client.envelope('5301', { data: { psn_no: 'x' } }));
      expect(res.status).toBe(500);
      const h = await f.client.get<{ stats: { faults: Record<string, number> } }>('/sandbox/health');
      expect(h.stats.faults['5xx']).toBe(1);
    } finally {
      await f.dispose();
    }
    await expect(startTestSandbox({ faults: 'explode@1' })).rejects.toThrow(/未知的故障类型/);
  });
});
