/**
 * Filing from the hospital server: the 医保办 submits certifications as a batch (a command), the
 * server builds and queues each 2503, its runner sends them to a real sandbox, and each receipt
 * reaches its certification (filed with its serial, refused with the platform's reason); one
 * certification that cannot be filed is set aside without holding the rest. Revocation and
 * correction go the same way. On both databases; on PostgreSQL, two server processes on one
 * database never send one message twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilingBatchRow } from '../../src/shared/hospital/filings';
import { startServer } from '../../src/server/server';
import { BLOCKED_REASON } from '../../src/server/outbox';
import { ok, startScriptedPlatform, withSignIn } from '../../src/server/platform/testing/scripted-platform';
import { startFilingHospital, type FilingHospital } from '../fixtures/filing-hospital';
import { freshPostgres, serverTargets } from '../fixtures/server-db';
import type { Desk } from '../fixtures/hospital';

const sandboxFilings = async (f: FilingHospital, psnNo?: string) =>
  (await f.sandbox.client.get<{ filings: { psn_no: string; status: string; trt_dcla_detl_sn: string; opsp_dise_code: string; begndate: string }[] }>(`/sandbox/filings?limit=1000${psnNo ? `&psn_no=${psnNo}` : ''}`)).filings;

describe.each(serverTargets('filing'))('filing through the hospital server (%s)', (_label, target) => {
  let f: FilingHospital;
  let office: Desk;
  let doc: Desk;

  beforeAll(async () => {
    f = await startFilingHospital(await target());
    office = await f.hosp.as('office1', 'office');
    doc = await f.hosp.as('doc1', 'physician');
  }, 60_000);
  afterAll(async () => {
    await f?.close();
  });

  it('files a batch: accepted ones are filed with their serial, a refusal keeps the platform\'s reason, one that cannot be built is set aside', async () => {
    const good = await Promise.all([0, 1, 2].map((n) => f.certify(n)));
    const unknown = await f.certify(3, { psnNo: '99999999999999999999' });
    const noPsn = await f.certify(4, { psnNo: '' });
    const r = await office.send('filing.submit', { batchId: 'batch-test-1', certificationIds: [...good.map((c) => c.id), unknown.id, noPsn.id] });
    expect(r).toMatchObject({ state: 'applied', value: { queued: 4, setAside: 1 } });
    await f.settled();

    for (const c of good) {
      const now = await f.cert(c.id);
      expect(now?.state).toBe('filed');
      const sn = (now as { trtDclaDetlSn: string }).trtDclaDetlSn;
      expect((await sandboxFilings(f)).filter((x) => x.trt_dcla_detl_sn === sn)).toHaveLength(1);
    }
    const refused = await f.cert(unknown.id);
    expect(refused).toMatchObject({ state: 'filing-rejected' });
    expect((refused as { rejectReason: string }).rejectReason.length).toBeGreaterThan(2);
    expect(await f.cert(noPsn.id)).toMatchObject({ state: 'ready' });

    // What the 医保办's desk pulls: the batch and each message's outcome; a physician's desk gets neither.
    const changes = await office.pullAll();
    const put = changes.find((c) => c.op === 'put' && c.table === 'filingBatches');
    const batch = (put && put.op === 'put' ? put.row : undefined) as unknown as FilingBatchRow;
    expect(batch).toMatchObject({ id: 'batch-test-1', total: 5, createdByName: '用户office1' });
    expect(batch.batchNo).toMatch(/^\d{4}-P\d{6}$/);
    const rows = (await f.filings()).filter((x) => x.batchId === 'batch-test-1');
    expect(rows.map((x) => x.phase).sort()).toEqual(['accepted', 'accepted', 'accepted', 'rejected', 'set-aside']);
    expect(rows.find((x) => x.phase === 'set-aside')?.reason).toContain('人员编号');
    expect(rows.filter((x) => x.phase === 'accepted').every((x) => x.serial)).toBe(true);
    expect((await doc.pullAll()).some((c) => c.table === 'filings' || c.table === 'filingBatches')).toBe(false);

    // A physician may not file; a certification already filed is not filed again.
    expect(await doc.send('filing.submit', { batchId: 'batch-doc', certificationIds: [noPsn.id] })).toMatchObject({ state: 'refused' });
    const again = await office.send('filing.submit', { batchId: 'batch-test-2', certificationIds: [good[0]!.id] });
    expect(again).toMatchObject({ state: 'applied', value: { queued: 0, setAside: 1 } });
    await f.settled();
    expect((await sandboxFilings(f, f.persons[0]!.psn_no)).filter((x) => x.status !== 'revoked')).toHaveLength(1);
  }, 60_000);

  it('revokes a filing once: revoked on the platform and on the certification; a second revocation is refused', async () => {
    const cert = await f.certify(5);
    await office.send('filing.submit', { batchId: 'batch-rv', certificationIds: [cert.id] });
    await f.settled();
    expect((await f.cert(cert.id))?.state).toBe('filed');
    const r = await office.send('filing.revoke', { certificationId: cert.id, reason: '认定医师录入错误' });
    expect(r.state).toBe('applied');
    expect((await f.cert(cert.id))?.state).toBe('revoking');
    expect(await office.send('filing.revoke', { certificationId: cert.id, reason: '重复点击' })).toMatchObject({ state: 'refused', reason: '该备案的撤销已在队列中' });
    await f.settled();
    const done = await f.cert(cert.id);
    expect(done).toMatchObject({ state: 'revoked', revokeReason: '认定医师录入错误' });
    const onPlatform = (await sandboxFilings(f, f.persons[5]!.psn_no)).find((x) => x.trt_dcla_detl_sn === (done as { trtDclaDetlSn: string }).trtDclaDetlSn);
    expect(onPlatform?.status).toBe('revoked');
    expect(await office.send('filing.revoke', { certificationId: cert.id, reason: '再撤一次' })).toMatchObject({ state: 'refused', reason: '该备案已撤销' });
  }, 60_000);

  it('corrects a filing: the old one revoked first, the new certification filed with the change and linked to it', async () => {
    const cert = await f.certify(6);
    await office.send('filing.submit', { batchId: 'batch-crt', certificationIds: [cert.id] });
    await f.settled();
    const r = await office.send('filing.correct', { certificationId: cert.id, reason: '开始日期有误', changes: { begnDate: '2026-06-12' } });
    expect(r.state).toBe('applied');
    const newId = (r as { value: { certificationId: string } }).value.certificationId;
    await f.settled();
    expect(await f.cert(cert.id)).toMatchObject({ state: 'revoked', correctedById: newId });
    const corrected = await f.cert(newId);
    expect(corrected).toMatchObject({ state: 'filed', correctsId: cert.id, begnDate: '2026-06-12', diseaseCode: cert.diseaseCode });
    const onPlatform = await sandboxFilings(f, f.persons[6]!.psn_no);
    expect(onPlatform.map((x) => `${x.begndate}:${x.status}`).sort()).toEqual(['2026-06-10:revoked', '2026-06-12:active'].sort());
  }, 60_000);

  it('reports the link: signed in, nothing waiting, the last success', async () => {
    const status = await f.hosp.server.hospital.platform!.status();
    expect(status).toMatchObject({ platform: 'demo', runner: expect.stringMatching(/idle|working/), counts: { queued: 0, inFlight: 0, waiting: 0, checking: 0 } });
    expect(status.lastSuccessAt).not.toBeNull();
    expect(status.counts.needsPerson).toBeGreaterThanOrEqual(1);
  });
});

describe('two server processes on one PostgreSQL database', () => {
  it('send each message once: one runner holds the lock, the other waits', async () => {
    const url = await freshPostgres('filing2');
    const f = await startFilingHospital({ kind: 'postgres', url });
    const second = await startServer({ database: { kind: 'postgres', url }, port: 0, auditKeyFile: null, sweepEveryMs: 0, platform: { dataDir: f.sandbox.dataDir + '-none', demoPlatformUrl: f.sandbox.sandbox.url, secretStore: { get: async () => undefined, set: async () => undefined, delete: async () => undefined, protection: 'plain-file' } } });
    try {
      const office = await f.hosp.as('office1', 'office');
      const certs = [];
      for (let n = 0; n < 30; n++) certs.push(await f.certify(n));
      await new Promise((r) => setTimeout(r, 200));
      expect(second.hospital.platform!.runnerStatus()).toBe('elsewhere');
      expect(await office.send('filing.submit', { batchId: 'batch-two', certificationIds: certs.map((c) => c.id) })).toMatchObject({ state: 'applied', value: { queued: 30 } });
      await f.settled();
      const filed = await sandboxFilings(f);
      expect(filed).toHaveLength(30);
      expect(new Set(filed.map((x) => x.psn_no)).size).toBe(30);
    } finally {
      await second.close();
      await f.close();
    }
  }, 60_000);
});

describe('a message the platform fails every time', () => {
  it('is set aside with its reason after a bounded number of sends; the person\'s next message says it waits; 重新发送 files both', async () => {
    const failing = { psnNo: '' };
    let serial = 0;
    const platform = await startScriptedPlatform(
      withSignIn((call) => {
        const infno = call.envelope['infno'];
        const data = ((call.envelope['input'] as Record<string, unknown>)['data'] ?? {}) as Record<string, unknown>;
        if (infno === '5301') return ok({ feedetail: [] });
        if (infno === '2503' && data['psn_no'] === failing.psnNo) return { kind: 'status', status: 500, body: 'Internal Server Error' };
        if (infno === '2503') return ok({ result: { trt_dcla_detl_sn: `SN${String(++serial).padStart(8, '0')}` } });
        return ok({});
      }),
    );
    const f = await startFilingHospital({ kind: 'pglite', dataDir: null }, { demoPlatformUrl: platform.url });
    try {
      const office = await f.hosp.as('office1', 'office');
      const first = await f.certify(0);
      const second = await f.certify(0, { diseaseCode: 'M01600', diseaseName: '糖尿病' });
      const other = await f.certify(1);
      failing.psnNo = f.persons[0]!.psn_no;
      expect(await office.send('filing.submit', { batchId: 'batch-5xx', certificationIds: [first.id, second.id, other.id] })).toMatchObject({ state: 'applied', value: { queued: 3 } });
      await f.settled();
      const rows = await f.filings();
      const row = (certId: string) => rows.find((r) => r.certificationId === certId)!;
      // setAsideAfter is 4 in the fixture: four sends, then a person.
      expect(row(first.id)).toMatchObject({ phase: 'set-aside', sends: 4 });
      expect(row(first.id).reason).toContain('已搁置');
      expect(row(second.id)).toMatchObject({ phase: 'queued', reason: BLOCKED_REASON });
      expect(row(other.id)).toMatchObject({ phase: 'accepted' });
      expect(platform.calls.filter((c) => c.envelope['infno'] === '2503' && ((c.envelope['input'] as { data: { psn_no: string } }).data.psn_no === failing.psnNo))).toHaveLength(4);
      const status = await f.hosp.server.hospital.platform!.status();
      expect(status.counts).toMatchObject({ needsPerson: 1, queued: 1 });

      failing.psnNo = '-';
      expect(await office.send('filing.retry', { filingId: row(first.id).id })).toMatchObject({ state: 'applied' });
      await f.settled();
      expect((await f.cert(first.id))?.state).toBe('filed');
      expect((await f.cert(second.id))?.state).toBe('filed');
      const after = await f.filings();
      expect(after.find((r) => r.certificationId === second.id)).toMatchObject({ phase: 'accepted', reason: null });
    } finally {
      await f.close();
      await platform.close();
    }
  }, 60_000);
});
