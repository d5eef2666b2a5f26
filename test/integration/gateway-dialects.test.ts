/**
 * The workstation's gateway against the sandbox in each dialect: sign-in, 1101, 2503, 5301, 2504,
 * 9101, 9102 and 1309 (with the catalogue fetched by 9102 and read zipped or plain) round trips
 * succeed; the gateway renews a refused OAuth2 token and tells a bad TIF token apart.
 */
import { inflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PlatformGateway } from '../../src/server/platform/gateway';
import type { DialectPresetName } from '../../src/shared/platform/dialect';
import { readCatalogueFile } from '../../src/shared/platform/tolerant';
import { isReviewedFilingRefusal } from '../../src/shared/platform/errors';
import { filingData, listPersons, startTestSandbox, type PersonSummary, type TestSandbox } from '../../src/sandbox/testing/harness';
import { createPlatformGateway } from '../../src/server/platform/gateway';
import { defaultPlatformConfig } from '../../src/shared/platform-config';
import { dialectForSandbox, gatewayForSandbox, secretsForSandbox } from '../fixtures/sandbox-gateway';

type Accepted = { outcome: 'accepted'; output: Record<string, unknown> };
const accepted = (answer: unknown): Record<string, unknown> => {
  expect(answer).toMatchObject({ outcome: 'accepted' });
  return (answer as Accepted).output;
};

for (const name of ['national', 'jilin', 'guangdong-tif'] as DialectPresetName[]) {
  describe(`gateway ↔ sandbox in ${name}`, () => {
    let t: TestSandbox;
    let gateway: PlatformGateway;
    let people: PersonSummary[];
    beforeAll(async () => {
      t = await startTestSandbox({ seedPersons: 5, dialect: name });
      gateway = gatewayForSandbox(t.sandbox.url, undefined, { dialect: t.sandbox.dialect, credentials: t.sandbox.credentials });
      people = await listPersons(t.client);
    });
    afterAll(async () => {
      await gateway.close();
      await t.dispose();
    });

    it('signs in, looks up, files, queries, revokes, uploads, downloads and fetches the catalogue', async () => {
      const p = people[0]!;
      const signIn = accepted(await gateway.send({ infno: '9001', input: {} }));
      expect((signIn['signinoutb'] as { sign_no: string }).sign_no).toHaveLength(30);

      const person = accepted(await gateway.send({ infno: '1101', input: { data: { mdtrt_cert_type: '02', mdtrt_cert_no: p.certno, psn_cert_type: '01', certno: p.certno, psn_name: p.psn_name } } }));
      expect((person['baseinfo'] as { psn_no: string }).psn_no).toBe(p.psn_no);

      const filed = accepted(await gateway.send({ infno: '2503', input: { data: filingData(p) }, insuplcAdmdvs: p.insuplc_admdvs }));
      const sn = (filed['result'] as { trt_dcla_detl_sn: string }).trt_dcla_detl_sn;
      expect(sn).toHaveLength(30);

      const query = accepted(await gateway.send({ infno: '5301', input: { data: { psn_no: p.psn_no } }, insuplcAdmdvs: p.insuplc_admdvs }));
      expect((query['feedetail'] as { trt_dcla_detl_sn: string }[]).map((f) => f.trt_dcla_detl_sn)).toEqual([sn]);

      accepted(await gateway.send({ infno: '2504', input: { data: { trt_dcla_detl_sn: sn, psn_no: p.psn_no, memo: '录入错误' } }, insuplcAdmdvs: p.insuplc_admdvs }));
      const after = accepted(await gateway.send({ infno: '5301', input: { data: { psn_no: p.psn_no } }, insuplcAdmdvs: p.insuplc_admdvs }));
      expect(after['feedetail']).toEqual([]);

      const content = Buffer.from('检查报告（虚构）');
      const fixmedins = defaultPlatformConfig.institution.fixmedins_code;
      const up = accepted(await gateway.send({ infno: '9101', input: { fsUploadIn: { in: content.toString('base64'), filename: 'report.txt', fixmedins_code: fixmedins } } }));
      const down = accepted(await gateway.send({ infno: '9102', input: { fsDownloadIn: { file_qury_no: up['file_qury_no'], filename: 'report.txt', fixmedins_code: fixmedins } } }));
      expect(Buffer.from((down['file'] as { base64: string }).base64, 'base64').equals(content)).toBe(true);

      const catalogue = accepted(await gateway.send({ infno: '1309', input: { data: { ver: '0' } } }));
      const file = accepted(await gateway.send({ infno: '9102', input: { fsDownloadIn: { file_qury_no: catalogue['file_qury_no'], filename: 'plc', fixmedins_code: fixmedins } } }));
      const bytes = new Uint8Array(Buffer.from((file['file'] as { base64: string }).base64, 'base64'));
      expect(bytes[0] === 0x50 && bytes[1] === 0x4b).toBe(t.sandbox.dialect.catalogueZipped);
      const rows = readCatalogueFile(bytes, (b) => new Uint8Array(inflateRawSync(b)));
      expect(rows.length).toBe(Number(catalogue['data_cnt']));
      expect(rows.length).toBeGreaterThan(0);
    });

    it('gets a refusal through as rejected, in Chinese', async () => {
      const answer = await gateway.send({ infno: '5301', input: { data: { psn_no: '14000099999999999999' } }, insuplcAdmdvs: '140000' });
      expect(answer).toMatchObject({ outcome: 'rejected', errMsg: expect.stringContaining('参保人不存在') });
    });

    it('gets the refusal to revoke a filing the insurance centre has reviewed, which the workstation recognises', async () => {
      const p = people[1]!;
      const filed = accepted(await gateway.send({ infno: '2503', input: { data: filingData(p, 'M01600', '糖尿病') }, insuplcAdmdvs: p.insuplc_admdvs }));
      const sn = (filed['result'] as { trt_dcla_detl_sn: string }).trt_dcla_detl_sn;
      await t.client.post('/sandbox/filings/review', { trt_dcla_detl_sn: sn });
      const answer = await gateway.send({ infno: '2504', input: { data: { trt_dcla_detl_sn: sn, psn_no: p.psn_no, memo: '录入错误' } }, insuplcAdmdvs: p.insuplc_admdvs });
      expect(answer.outcome).toBe('rejected');
      expect(answer.outcome === 'rejected' && isReviewedFilingRefusal(answer.errMsg)).toBe(true);
    });
  });
}

describe('gateway authentication failures', () => {
  it('jilin: a token lost by a platform restart is fetched again and the message goes through', async () => {
    const t = await startTestSandbox({ seedPersons: 2, dialect: 'jilin' });
    const speak = { dialect: t.sandbox.dialect, credentials: t.sandbox.credentials };
    const gateway = gatewayForSandbox(t.sandbox.url, undefined, speak);
    try {
      const p = (await listPersons(t.client))[0]!;
      const q = { infno: '5301', input: { data: { psn_no: p.psn_no } }, insuplcAdmdvs: p.insuplc_admdvs };
      expect(await gateway.send(q)).toMatchObject({ outcome: 'accepted' });
      await t.restart(); // tokens live in the platform's memory
      expect(await gateway.send(q)).toMatchObject({ outcome: 'accepted' });
      const wrong = createPlatformGateway({
        config: { ...defaultPlatformConfig, dialect: dialectForSandbox(speak) },
        demoBaseUrl: t.sandbox.url,
        host: { mac: 'm', ip: 'i' },
        secrets: { ...secretsForSandbox(speak), clientSecret: 'wrong' },
      });
      expect(await wrong.send(q)).toMatchObject({ outcome: 'transient', reason: 'signin_failed', message: expect.stringContaining('client_secret') });
      await wrong.close();
    } finally {
      await gateway.close();
      await t.dispose();
    }
  });

  it('guangdong-tif: a wrong token is a transient authentication failure naming the signature', async () => {
    const t = await startTestSandbox({ seedPersons: 2, dialect: 'guangdong-tif' });
    const speak = { dialect: t.sandbox.dialect, credentials: t.sandbox.credentials };
    const gateway = createPlatformGateway({
      config: { ...defaultPlatformConfig, dialect: dialectForSandbox(speak) },
      demoBaseUrl: t.sandbox.url,
      host: { mac: 'm', ip: 'i' },
      secrets: { ...secretsForSandbox(speak), tifToken: 'wrong' },
    });
    try {
      const p = (await listPersons(t.client))[0]!;
      const answer = await gateway.send({ infno: '5301', input: { data: { psn_no: p.psn_no } }, insuplcAdmdvs: p.insuplc_admdvs });
      expect(answer).toMatchObject({ outcome: 'transient', reason: 'auth_failed', message: expect.stringContaining('x-tif-signature 签名错误') });
    } finally {
      await gateway.close();
      await t.dispose();
    }
  });
});
