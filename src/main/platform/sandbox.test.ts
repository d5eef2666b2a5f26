import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultPlatformConfig } from '../../shared/platform-config';
import { filingQueryOutputSchema, filingOutputSchema, personInfoOutputSchema } from '../../shared/platform/transactions';
import { filingData, listPersons, startTestSandbox, type PersonSummary, type TestSandbox } from '../../sandbox/testing/harness';
import { createPlatformGateway, type PlatformGateway } from '../../server/platform/gateway';

/** The gateway against the real sandbox (Fastify + PGlite) on loopback, in demo mode. */
let sandbox: TestSandbox;
let gateway: PlatformGateway;
let person: PersonSummary;

beforeAll(async () => {
  sandbox = await startTestSandbox({ seedPersons: 5 });
  person = (await listPersons(sandbox.client))[0]!;
  gateway = createPlatformGateway({ config: defaultPlatformConfig, demoBaseUrl: sandbox.sandbox.url });
});
afterAll(async () => {
  await gateway?.close();
  await sandbox?.dispose();
});

describe('gateway against the sandbox', () => {
  it('signs in, reads a person, files once, is refused the duplicate, and lists the filing', async () => {
    expect(gateway.status()).toMatchObject({ mode: 'demo', label: '演示平台', signedIn: false });
    const signIn = await gateway.send({ infno: '9001', input: {} });
    expect(signIn.outcome).toBe('accepted');
    expect(gateway.status().signedIn).toBe(true);

    const info = await gateway.send({
      infno: '1101',
      input: { data: { mdtrt_cert_type: '02', mdtrt_cert_no: person.certno, psn_cert_type: '01', certno: person.certno, psn_name: person.psn_name } },
    });
    expect(info.outcome).toBe('accepted');
    const base = personInfoOutputSchema.parse(info.outcome === 'accepted' && info.output).baseinfo;
    expect(base.psn_no).toBe(person.psn_no);

    const filing = { infno: '2503', input: { data: filingData(person) }, insuplcAdmdvs: person.insuplc_admdvs };
    const first = await gateway.send(filing);
    expect(first.outcome).toBe('accepted');
    const sn = filingOutputSchema.parse(first.outcome === 'accepted' && first.output).result.trt_dcla_detl_sn;

    const again = await gateway.send(filing);
    expect(again.outcome).toBe('rejected');
    expect(again.outcome === 'rejected' && again.errMsg).toContain('重复备案');

    const listed = await gateway.send({ infno: '5301', input: { data: { psn_no: person.psn_no } }, insuplcAdmdvs: person.insuplc_admdvs });
    expect(listed.outcome).toBe('accepted');
    const records = filingQueryOutputSchema.parse(listed.outcome === 'accepted' && listed.output).feedetail;
    expect(records).toEqual([expect.objectContaining({ opsp_dise_code: 'M03900', trt_dcla_detl_sn: sn })]);

    const status = gateway.status();
    expect(status.lastOkAt).toBeDefined();
    expect(Math.abs(status.clockOffsetMs ?? Infinity)).toBeLessThan(2_000);
  });

  it('re-signs by itself when the sandbox session expires', async () => {
    sandbox.advance(9 * 3600 * 1000); // past the sandbox's 8-hour session
    const listed = await gateway.send({ infno: '5301', input: { data: { psn_no: person.psn_no } }, insuplcAdmdvs: person.insuplc_admdvs });
    expect(listed.outcome).toBe('accepted');
    const { stats } = await sandbox.client.get<{ stats: { byInfno: Record<string, { ok: number; refused: number }> } }>('/sandbox/health');
    expect(stats.byInfno['9001']).toEqual({ ok: 2, refused: 0 });
    expect(stats.byInfno['5301']!.refused).toBe(1); // the expired attempt, then the retry succeeded
  });

  it("classifies the sandbox's injected faults; a dropped response hides a committed filing", async () => {
    const setFaults = (spec: string) => sandbox.client.post('/sandbox/faults', { spec });
    const other = (await listPersons(sandbox.client))[1]!;
    const filing = { infno: '2503', input: { data: filingData(other, 'M01600', '糖尿病') }, insuplcAdmdvs: other.insuplc_admdvs };
    await gateway.send({ infno: '9001', input: {} }); // a session before faults, so they hit the message

    await setFaults('5xx@1');
    expect(await gateway.send(filing)).toMatchObject({ outcome: 'unknown', reason: 'http_5xx' });
    await setFaults('reset@1');
    expect(await gateway.send(filing)).toMatchObject({ outcome: 'unknown', reason: 'reset' });
    await setFaults('hang@1');
    expect(await gateway.send({ ...filing, timeoutMs: 300 })).toMatchObject({ outcome: 'unknown', reason: 'response_timeout' });
    await setFaults('drop@1');
    expect(await gateway.send(filing)).toMatchObject({ outcome: 'unknown', reason: 'reset' });
    await setFaults('off');

    // Reconciliation (architecture.md §6) finds the filing the dropped response committed.
    const listed = await gateway.send({ infno: '5301', input: { data: { psn_no: other.psn_no } }, insuplcAdmdvs: other.insuplc_admdvs });
    const records = filingQueryOutputSchema.parse(listed.outcome === 'accepted' && listed.output).feedetail;
    expect(records.map((r) => r.opsp_dise_code)).toEqual(['M01600']);
  });
});
