/**
 * Desks and the hospital server, over real HTTP on both databases: enrolment and login, commands
 * applied exactly once and refused with reasons, draws on the server only, each desk's share
 * (a physician never receives another physician's case), removals when a case leaves a desk,
 * hints, the drift check and material bytes.
 */
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkChar } from '../../src/shared/policy';
import type { CommandPayload } from '../../src/shared/hospital/commands';
import { HospitalClient, HospitalError } from '../../src/renderer/src/hospital/client';
import { serverTargets } from '../fixtures/server-db';
import { command, countRows, PASSWORD, startHospital, type Desk, type TestHospital } from '../fixtures/hospital';
import { institution } from '../fixtures/review-packs';
import { casesHash } from '../../src/shared/hospital/protocol';
import { sweepOffers } from '../../src/server/server';

const idNo = (birth: string, seq: string) => `140105${birth}${seq}${checkChar(`140105${birth}${seq}`)}`;

const application = (certNo: string, name = '林演示', files: { sha256: string; size: number }[] = []): CommandPayload<'case.take'> => ({
  person: { certType: '01', certNo, name, psnNo: null, insutype: '310', regionCode: '140105' },
  diseaseCode: 'M01600',
  kind: 'first',
  materials: files.map((f, i) => ({ kind: 'medical-record', fileName: `病历${i + 1}.pdf`, mime: 'application/pdf', size: f.size, documentDate: '2026-06-01', sourceInstitution: '演示县人民医院', sha256: f.sha256, stamped: true, attachmentId: null })),
});

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const caseIds = (changes: Awaited<ReturnType<Desk['pullAll']>>) => changes.filter((c) => c.table === 'cases').map((c) => c.id);

describe.each(serverTargets('sync_test'))('desks and the hospital server on %s', (_label, target) => {
  let hosp: TestHospital;
  let office: Desk;
  let dr1: Desk;
  let dr2: Desk;

  beforeAll(async () => {
    hosp = await startHospital(await target());
    await hosp.setting('policy.activePackId', 'kaifeng-2023');
    await hosp.setting('cases.institution', institution);
    office = await hosp.as('li', 'office');
    dr1 = await hosp.as('dr1', 'physician', { department: '内分泌科' });
    dr2 = await hosp.as('dr2', 'physician', { department: '内分泌科' });
    await hosp.register(dr1.userId, '张一');
    await hosp.register(dr2.userId, '张二');
  }, 60_000);
  afterAll(async () => {
    await hosp?.close();
  });

  it('an unknown machine gets nothing: no desk credential, a wrong one, or a spent code', async () => {
    const stranger = new HospitalClient({ baseUrl: hosp.server.url });
    await expect(stranger.status()).rejects.toMatchObject({ status: 401, message: expect.stringContaining('尚未登记') });
    await expect(stranger.login('li', PASSWORD)).rejects.toBeInstanceOf(HospitalError);
    stranger.deskToken = 'forged-token';
    await expect(stranger.pull(0)).rejects.toMatchObject({ status: 401 });
    await expect(stranger.enrol('AAAA-BBBB-CCCC-DDDD', '陌生电脑')).rejects.toMatchObject({ status: 401, message: expect.stringContaining('登记码无效') });
    // A code is good once.
    const code = (await office.client.enrolmentCode('x').catch((e: HospitalError) => e)) as HospitalError;
    expect(code.status).toBe(403);
    const admin = await hosp.as('admin');
    const { code: once } = await admin.client.enrolmentCode('新工作站');
    await new HospitalClient({ baseUrl: hosp.server.url }).enrol(once, '新工作站');
    await expect(new HospitalClient({ baseUrl: hosp.server.url }).enrol(once, '又一台')).rejects.toMatchObject({ status: 401 });
  });

  it('a session is bound to its desk: a token copied to another desk is refused', async () => {
    const other = await hosp.desk('另一台');
    other.sessionToken = dr1.client.sessionToken;
    await expect(other.pull(0)).rejects.toMatchObject({ status: 401, message: expect.stringContaining('登录已失效') });
  });

  it('applies a command once: a repeat gets the first answer and changes nothing', async () => {
    const cmd = command('case.take', application(idNo('19600315', '901')), hosp.clock.now);
    const first = await office.client.push([cmd]);
    expect(first.results[0]).toMatchObject({ id: cmd.id, state: 'applied' });
    const cases = await countRows(hosp.server, 'cases');
    const again = await office.client.push([cmd, cmd]);
    expect(again.results).toEqual([first.results[0], first.results[0]]);
    expect(await countRows(hosp.server, 'cases')).toBe(cases);
    // The number on the 受理 receipt: the year's next, given once.
    const caseNo = (first.results[0] as { value: { caseNo: string } }).value.caseNo;
    expect(caseNo).toMatch(/^2026-\d{6}$/);
    const next = await office.send('case.take', application(idNo('19600416', '902'), '许演示'));
    expect((next as { value: { caseNo: string } }).value.caseNo).toBe(`2026-${String(Number(caseNo.slice(5)) + 1).padStart(6, '0')}`);
  });

  it('a fault of the server is not a refusal: nothing recorded, no SQL or patient data in the answer, the resend applies', async () => {
    const db = hosp.server.db.orm;
    await db.execute(sql`create table fault_once (armed boolean not null)`);
    await db.execute(sql`insert into fault_once values (true)`);
    await db.execute(sql`create function fault_once_fire() returns trigger language plpgsql as $$ begin if (select armed from fault_once) then raise exception 'injected fault'; end if; return new; end $$`);
    await db.execute(sql`create trigger fault_once_records before insert on records for each row execute function fault_once_fire()`);
    try {
      const certNo = idNo('19680808', '444');
      const cmd = command('case.take', application(certNo, '秦演示'), hosp.clock.now);
      const failed = await office.client.push([cmd]).catch((e: HospitalError) => e);
      expect(failed).toMatchObject({ status: 503, message: '院内服务器暂时无法处理此操作，已保留在本机，稍后自动重试' });
      expect(JSON.stringify(failed)).not.toContain(certNo);
      await db.execute(sql`update fault_once set armed = false`);
      expect((await office.client.push([cmd])).results[0]).toMatchObject({ id: cmd.id, state: 'applied' });
    } finally {
      await db.execute(sql`drop trigger fault_once_records on records`);
      await db.execute(sql`drop function fault_once_fire()`);
      await db.execute(sql`drop table fault_once`);
    }
  });

  it('pushes from several desks at once each get their own answers; a fault in one fails that push only', async () => {
    const others = [office, await hosp.as('wang', 'office'), await hosp.as('zhao', 'office')];
    const db = hosp.server.db.orm;
    await db.execute(sql`create function fault_name_fire() returns trigger language plpgsql as $$ begin if new.data ->> 'name' = '故障演示' then raise exception 'injected fault'; end if; return new; end $$`);
    await db.execute(sql`create trigger fault_name before insert on records for each row execute function fault_name_fire()`);
    try {
      const good = Array.from({ length: 9 }, (_, i) => command('case.take', application(idNo(`1970010${i + 1}`, '611'), `并发${i + 1}`), hosp.clock.now));
      const bad = command('case.take', application(idNo('19700120', '612'), '故障演示'), hosp.clock.now);
      const answers = await Promise.allSettled([
        ...good.map((cmd, i) => others[i % others.length]!.client.push([cmd])),
        others[0]!.client.push([bad]),
      ]);
      // Every good push is applied, with its own command's answer and a case number of its own.
      const applied = answers.slice(0, good.length).map((a, i) => {
        expect(a.status).toBe('fulfilled');
        const r = (a as PromiseFulfilledResult<{ results: { id: string; state: string; value?: { caseNo: string } }[] }>).value.results;
        expect(r).toHaveLength(1);
        expect(r[0]).toMatchObject({ id: good[i]!.id, state: 'applied' });
        return r[0]!.value!.caseNo;
      });
      expect(new Set(applied).size).toBe(good.length);
      // The faulty one is answered 503 and nothing of it is kept; the desk sends it again later.
      expect(answers[good.length]).toMatchObject({ status: 'rejected', reason: { status: 503 } });
      const kept = (await db.execute(sql`select count(*)::int as n from records where tbl = 'persons' and data ->> 'name' = '故障演示'`)) as unknown as { rows: { n: number }[] };
      expect(Number(kept.rows[0]?.n)).toBe(0);
    } finally {
      await db.execute(sql`drop trigger fault_name on records`);
      await db.execute(sql`drop function fault_name_fire()`);
    }
  });

  it('checks the role on every command, and refuses with the reason in Chinese', async () => {
    const r = await dr1.send('case.take', application(idNo('19610101', '123')));
    expect(r).toMatchObject({ state: 'refused', reason: '您的角色无权执行此操作' });
    const bad = await office.send('offer.refuse', { assignmentId: 'x', reason: '' });
    expect(bad.state).toBe('refused');
    const odd = await office.client.push([{ id: 'cmd-unknown-kind-1', kind: 'case.delete-everything', at: hosp.clock.now.toISOString(), payload: {} }]);
    expect(odd.results[0]).toMatchObject({ state: 'refused', reason: expect.stringContaining('未知的操作') });
  });

  it('draws on the server; only the drawn physician receives the case, and it leaves them when refused', async () => {
    await office.pullAll();
    await dr1.pullAll();
    await dr2.pullAll();
    const r = await office.send('case.take', application(idNo('19620202', '345'), '周演示'));
    expect(r.state).toBe('applied');
    const receipt = (r as { value: { caseId: string; personId: string; offeredTo: { id: string }[] } }).value;
    expect(receipt.offeredTo).toHaveLength(1);
    const drawn = receipt.offeredTo[0]!.id === dr1.userId ? dr1 : dr2;
    const other = drawn === dr1 ? dr2 : dr1;

    const got = await drawn.pullAll();
    expect(caseIds(got)).toEqual([receipt.caseId]);
    expect(got.some((c) => c.table === 'persons' && c.id === receipt.personId)).toBe(true);
    const offer = got.find((c) => c.table === 'workItems' && c.op === 'put');
    expect(offer).toBeDefined();
    expect(caseIds(await other.pullAll())).toEqual([]);
    expect(caseIds(await office.pullAll())).toContain(receipt.caseId);

    // The other physician cannot accept it; the drawn one refuses and it is redrawn to the other.
    expect(await other.send('offer.accept', { assignmentId: offer!.id })).toMatchObject({ state: 'refused' });
    expect(await drawn.send('offer.refuse', { assignmentId: offer!.id, reason: '本周外出' })).toMatchObject({ state: 'applied' });
    const after = await drawn.pullAll();
    expect(after).toContainEqual(expect.objectContaining({ op: 'remove', table: 'cases', id: receipt.caseId }));
    expect(after).toContainEqual(expect.objectContaining({ op: 'remove', table: 'persons', id: receipt.personId }));
    expect(caseIds((await other.pullAll()).filter((c) => c.op === 'put'))).toEqual([receipt.caseId]);
  });

  it('lapses an offer past its window on the server and redraws it', async () => {
    // Earlier tests left offers open: accepted, they cannot lapse (three lapses in a row would
    // rightly flag a physician, and a flagged physician is not drawn).
    for (const d of [dr1, dr2]) {
      const open = ((await hosp.server.db.orm.execute(sql`select id from records where tbl = 'assignments' and data ->> 'reviewerId' = ${d.userId} and data ->> 'state' = 'offered'`)) as { rows: { id: string }[] }).rows;
      for (const o of open) expect(await d.send('offer.accept', { assignmentId: o.id })).toMatchObject({ state: 'applied' });
      await d.pullAll();
    }
    const r = await office.send('case.take', application(idNo('19630303', '567'), '吴演示'));
    const receipt = (r as { value: { caseId: string; offeredTo: { id: string }[] } }).value;
    const drawn = receipt.offeredTo[0]!.id === dr1.userId ? dr1 : dr2;
    const other = drawn === dr1 ? dr2 : dr1;
    expect(caseIds(await drawn.pullAll())).toEqual([receipt.caseId]);
    const start = hosp.clock.now;
    hosp.clock.now = new Date(start.getTime() + 10 * 24 * 3_600_000);
    try {
      expect(await sweepOffers(hosp.server.hospital)).toBeGreaterThanOrEqual(1);
    } finally {
      hosp.clock.now = start;
    }
    expect(await drawn.pullAll()).toContainEqual(expect.objectContaining({ op: 'remove', table: 'cases', id: receipt.caseId }));
    expect(caseIds(await other.pullAll())).toContain(receipt.caseId);
  });

  it('tells a connected desk at once that its share changed', async () => {
    await dr1.pullAll();
    await dr2.pullAll();
    const stop = new AbortController();
    const hinted: { desk: string; at: number }[] = [];
    const listening = [dr1, dr2].map((d) => d.client.events(() => hinted.push({ desk: d.userId, at: Date.now() }), stop.signal));
    await new Promise((r) => setTimeout(r, 200));
    const sent = Date.now();
    const r = await office.send('case.take', application(idNo('19640404', '789'), '郑演示'));
    const drawnId = (r as { value: { offeredTo: { id: string }[] } }).value.offeredTo[0]!.id;
    for (let i = 0; i < 50 && !hinted.some((x) => x.desk === drawnId); i++) await new Promise((res) => setTimeout(res, 20));
    stop.abort();
    await Promise.all(listening);
    const hint = hinted.find((x) => x.desk === drawnId);
    expect(hint, 'the drawn physician was hinted').toBeDefined();
    expect(hint!.at - sent).toBeLessThan(2_000);
    expect(hinted.some((x) => x.desk !== drawnId), 'the other physician was not').toBe(false);
  });

  it('the drift check compares the case ids a desk holds with its share', async () => {
    const held = new Set<string>();
    const fresh = await hosp.as('dr1');
    for (const c of await fresh.pullAll()) {
      if (c.table !== 'cases') continue;
      if (c.op === 'put') held.add(c.id);
      else held.delete(c.id);
    }
    expect(await fresh.client.drift(casesHash([...held]))).toMatchObject({ ok: true, cases: held.size });
    expect((await fresh.client.drift(casesHash([...held, 'case-that-left']))).ok).toBe(false);
  });

  it('stores material bytes once by hash and serves them only within a desk’s share', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.4 invented record for a test\n%%EOF');
    const digest = sha(pdf);
    await expect(office.client.putBlob('0'.repeat(64), pdf, 'application/pdf')).rejects.toMatchObject({ status: 400, message: expect.stringContaining('摘要不符') });
    // An application naming bytes the server does not have is refused, not half-taken.
    const early = await office.send('case.take', application(idNo('19650505', '111'), '冯演示', [{ sha256: digest, size: pdf.length }]));
    expect(early).toMatchObject({ state: 'refused', reason: expect.stringContaining('尚未上传') });
    await office.client.putBlob(digest, pdf, 'application/pdf');
    await office.client.putBlob(digest, pdf, 'application/pdf');
    const r = await office.send('case.take', application(idNo('19650505', '111'), '冯演示', [{ sha256: digest, size: pdf.length }]));
    expect(r.state).toBe('applied');
    const drawnId = (r as { value: { offeredTo: { id: string }[] } }).value.offeredTo[0]!.id;
    const drawn = drawnId === dr1.userId ? dr1 : dr2;
    const other = drawn === dr1 ? dr2 : dr1;
    expect(await drawn.client.getBlob(digest)).toEqual({ bytes: pdf, mime: 'application/pdf' });
    await expect(other.client.getBlob(digest)).rejects.toMatchObject({ status: 404 });
    const stored = (await hosp.server.db.orm.execute(sql`select count(*)::int as n from blobs where sha256 = ${digest}`)) as { rows: { n: number }[] };
    expect(stored.rows[0]!.n).toBe(1);
  });
});

describe('a case through every stage on the server (Kaifeng: 初审, two 终审, a third when they disagree)', () => {
  let hosp: TestHospital;
  let office: Desk;
  const doctors: Desk[] = [];

  beforeAll(async () => {
    hosp = await startHospital({ kind: 'pglite', dataDir: null });
    await hosp.setting('policy.activePackId', 'kaifeng-2023');
    await hosp.setting('cases.institution', institution);
    office = await hosp.as('li', 'office');
    for (let i = 1; i <= 4; i++) {
      const d = await hosp.as(`dr${i}`, 'physician', { department: '内分泌科' });
      await hosp.register(d.userId, `专家${i}`);
      doctors.push(d);
    }
  }, 60_000);
  afterAll(async () => {
    await hosp?.close();
  });

  /** The case's open offers as the server holds them. */
  const openOffers = async (caseId: string) =>
    ((await hosp.server.db.orm.execute(sql`select data from records where tbl = 'assignments' and data ->> 'caseId' = ${caseId} and data ->> 'state' = 'offered'`)) as { rows: { data: { id: string; reviewerId: string; stage: string } }[] }).rows.map((r) => r.data);
  const desk = (userId: string) => doctors.find((d) => d.userId === userId)!;

  it('the two final reviewers disagree, the third decides, and the certification is ready to file', async () => {
    const r = await office.send('case.take', application(idNo('19660606', '222'), '褚演示'));
    const caseId = (r as { value: { caseId: string } }).value.caseId;
    const verdicts = ['approve', 'approve', 'reject', 'approve'];
    const seen: string[] = [];
    for (let round = 0; round < 3; round++) {
      const offers = await openOffers(caseId);
      expect(offers.length).toBeGreaterThan(0);
      for (const o of offers) {
        expect(seen, 'every stage goes to someone who has not reviewed the case').not.toContain(o.reviewerId);
        seen.push(o.reviewerId);
        const d = desk(o.reviewerId);
        expect(await d.send('offer.accept', { assignmentId: o.id })).toMatchObject({ state: 'applied' });
        const verdict = verdicts[seen.length - 1]!;
        const conclusion = verdict === 'approve' ? { verdict: 'approve' as const } : { verdict: 'reject' as const, reason: '证据不足' };
        expect(await d.send('case.conclude', { assignmentId: o.id, conclusion, criteriaMet: [] })).toMatchObject({ state: 'applied' });
      }
    }
    expect(seen).toHaveLength(4);
    expect(await openOffers(caseId)).toEqual([]);
    const caseRow = ((await hosp.server.db.orm.execute(sql`select data from records where tbl = 'cases' and id = ${caseId}`)) as { rows: { data: { status: string; result: string } }[] }).rows[0]!.data;
    expect(caseRow).toMatchObject({ result: 'approved' });
    expect(await countRows(hosp.server, 'certifications')).toBe(1);
    // The reviewers' desks no longer hold the closed case.
    for (const d of doctors) expect((await d.pullAll()).filter((c) => c.table === 'cases' && c.op === 'put' && c.id === caseId).length).toBeLessThanOrEqual(1);
  });

  it('an unassigned case is drawn again once an eligible physician is registered; supplement time stops the clock', async () => {
    // Nobody eligible: every physician refuses in turn until none is left.
    const r = await office.send('case.take', application(idNo('19670707', '333'), '卫演示'));
    const caseId = (r as { value: { caseId: string } }).value.caseId;
    for (let i = 0; i < 4; i++) {
      const [o] = await openOffers(caseId);
      if (!o) break;
      expect(await desk(o.reviewerId).send('offer.refuse', { assignmentId: o.id, reason: '回避' })).toMatchObject({ state: 'applied' });
    }
    expect(await openOffers(caseId)).toEqual([]);
    // Drawing again with nobody eligible changes nothing and says why.
    expect(await office.send('case.redraw', { caseId })).toMatchObject({ state: 'applied', value: { offeredTo: [], unassignedReason: expect.any(String) } });
    const extra = await hosp.as('dr5', 'physician', { department: '内分泌科' });
    await hosp.register(extra.userId, '专家5');
    const redraw = await office.send('case.redraw', { caseId });
    expect(redraw).toMatchObject({ state: 'applied', value: { offeredTo: [{ id: extra.userId }] } });
    expect(await office.send('case.redraw', { caseId })).toMatchObject({ state: 'refused', reason: '该案件已不在待分配状态' });

    expect(await office.send('case.supplement-start', { caseId })).toMatchObject({ state: 'applied' });
    expect(await extra.send('case.supplement-end', { caseId })).toMatchObject({ state: 'refused', reason: '您的角色无权执行此操作' });
    expect(await office.send('case.supplement-end', { caseId })).toMatchObject({ state: 'applied' });
  });
});
