/**
 * Desks (each its own IndexedDB, on fake-indexeddb) against a real hospital server over HTTP:
 * commands queued at a desk reach the server once, the drawn physician's desk receives the case
 * with its material bytes, a conclusion made offline on an offer that lapsed meanwhile is refused
 * with its reason and kept, a desk switching users switches shares, and the drift check repairs a
 * desk that holds what it should not.
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkChar } from '../../src/shared/policy';
import type { CommandPayload } from '../../src/shared/hospital/commands';
import { shareKeys } from '../../src/shared/hospital/protocol';
import { WorkstationDb } from '../../src/renderer/src/db/db';
import { startHospital, type Desk, type TestHospital } from '../fixtures/hospital';
import { institution } from '../fixtures/review-packs';
import { sweepOffers } from '../../src/server/server';
import { HospitalClient } from '../../src/renderer/src/hospital/client';
import { queueCommand } from '../../src/renderer/src/hospital/desk-commands';
import { DeskSync } from '../../src/renderer/src/hospital/desk-sync';

const idNo = (birth: string, seq: string) => `140105${birth}${seq}${checkChar(`140105${birth}${seq}`)}`;
const application = (certNo: string, name: string, files: { sha256: string; size: number }[] = []): CommandPayload<'case.take'> => ({
  person: { certType: '01', certNo, name, psnNo: null, insutype: '310', regionCode: '140105' },
  diseaseCode: 'M01600',
  kind: 'first',
  materials: files.map((f) => ({ kind: 'medical-record', fileName: '病历.pdf', mime: 'application/pdf', size: f.size, documentDate: '2026-06-01', sourceInstitution: '演示县人民医院', sha256: f.sha256, stamped: true, attachmentId: 'att-office-1' })),
});

const dbs: WorkstationDb[] = [];
const freshDb = () => {
  const db = new WorkstationDb(`desk-sync-${dbs.length}-${Math.random().toString(36).slice(2)}`);
  dbs.push(db);
  return db;
};
afterEach(async () => {
  for (const db of dbs.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

let hosp: TestHospital;
let serverId: string;
let office: Desk;
let dr1: Desk;
let dr2: Desk;

beforeAll(async () => {
  hosp = await startHospital({ kind: 'pglite', dataDir: null });
  await hosp.setting('policy.activePackId', 'kaifeng-2023');
  await hosp.setting('cases.institution', institution);
  office = await hosp.as('li', 'office');
  dr1 = await hosp.as('dr1', 'physician', { department: '内分泌科' });
  dr2 = await hosp.as('dr2', 'physician', { department: '内分泌科' });
  await hosp.register(dr1.userId, '张一');
  await hosp.register(dr2.userId, '张二');
  serverId = (await office.client.status()).serverId;
}, 60_000);
afterAll(async () => {
  await hosp?.close();
});

function deskFor(d: Desk, role: 'office' | 'physician', db = freshDb(), client: HospitalClient = d.client) {
  return { db, sync: new DeskSync({ db, client, user: { id: d.userId, role }, serverId, shareKeys: shareKeys({ id: d.userId, role }) }) };
}

describe('a desk and the hospital server', () => {
  it('takes an application at the 医保办’s desk; the drawn physician’s desk receives the case and its bytes', async () => {
    const a = deskFor(office, 'office');
    const pdf = new TextEncoder().encode('%PDF-1.4 synthetic record\n%%EOF');
    const sha = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', pdf)), (b) => b.toString(16).padStart(2, '0')).join('');
    await office.client.putBlob(sha, pdf, 'application/pdf');
    const cmd = await queueCommand(a.db, { kind: 'case.take', payload: application(idNo('19700101', '101'), '甲演示', [{ sha256: sha, size: pdf.length }]), userId: office.userId });
    expect(await a.db.deskCommands.get(cmd.id)).toMatchObject({ state: 'pending' });
    await a.sync.sync();
    const answered = await a.db.deskCommands.get(cmd.id);
    expect(answered).toMatchObject({ state: 'applied' });
    const receipt = answered!.value as { caseId: string; offeredTo: { id: string }[] };
    expect(await a.db.cases.get(receipt.caseId)).toMatchObject({ personName: '甲演示' });

    const drawn = receipt.offeredTo[0]!.id === dr1.userId ? dr1 : dr2;
    const other = drawn === dr1 ? dr2 : dr1;
    const b = deskFor(drawn, 'physician');
    await b.sync.sync();
    const items = await b.db.workItems.where('[assigneeId+deadlineAt]').between([drawn.userId, ''], [drawn.userId, '\uffff']).toArray();
    expect(items.map((i) => i.caseId)).toEqual([receipt.caseId]);
    expect(await b.db.persons.count()).toBe(1);
    const bytes = await b.db.attachments.where('sha256').equals(sha).first();
    expect(new Uint8Array(await bytes!.blob.arrayBuffer())).toEqual(pdf);

    const c = deskFor(other, 'physician');
    await c.sync.sync();
    expect(await c.db.cases.get(receipt.caseId)).toBeUndefined();
    expect(await c.db.attachments.count()).toBe(0);
  });

  it('resends after a lost answer without applying twice', async () => {
    const a = deskFor(office, 'office');
    let calls = 0;
    // The first push reaches the server and is applied, but its answer is lost on the way back.
    const lossy = new HospitalClient({
      baseUrl: hosp.server.url,
      deskToken: office.client.deskToken,
      sessionToken: office.client.sessionToken,
      fetch: async (input, init) => {
        const r = await fetch(input, init);
        if (String(input).endsWith('/sync/push') && calls++ === 0) throw new TypeError('connection reset');
        return r;
      },
    });
    const sync = new DeskSync({ db: a.db, client: lossy, user: { id: office.userId, role: 'office' }, serverId, shareKeys: shareKeys({ id: office.userId, role: 'office' }) });
    const cmd = await queueCommand(a.db, { kind: 'case.take', payload: application(idNo('19700202', '202'), '乙演示'), userId: office.userId });
    await expect(sync.sync()).rejects.toMatchObject({ status: 0 });
    expect(await a.db.deskCommands.get(cmd.id)).toMatchObject({ state: 'pending', attempts: 1, lastError: '无法连接院内服务器' });
    await sync.sync();
    expect(await a.db.deskCommands.get(cmd.id)).toMatchObject({ state: 'applied' });
    expect((await a.db.cases.where('personName').equals('乙演示').toArray()).length).toBe(1);
  });

  it('keeps a conclusion made offline on an offer that lapsed and went to another physician, refused with the reason', async () => {
    const a = deskFor(office, 'office');
    await queueCommand(a.db, { kind: 'case.take', payload: application(idNo('19700303', '303'), '丙演示'), userId: office.userId });
    await a.sync.sync();
    const receipt = (await a.db.deskCommands.toArray()).at(-1)!.value as { caseId: string; offeredTo: { id: string }[] };
    const drawn = receipt.offeredTo[0]!.id === dr1.userId ? dr1 : dr2;
    const other = drawn === dr1 ? dr2 : dr1;
    const b = deskFor(drawn, 'physician');
    await b.sync.sync();
    const offer = (await b.db.workItems.where('caseId').equals(receipt.caseId).first())!;

    // B goes offline, accepts and concludes; meanwhile the window passes and the server redraws to C.
    const accept = await queueCommand(b.db, { kind: 'offer.accept', payload: { assignmentId: offer.id }, userId: drawn.userId, caseId: receipt.caseId });
    const conclusion = { assignmentId: offer.id, conclusion: { verdict: 'reject' as const, reason: '检查结果不支持诊断' }, criteriaMet: [] };
    const queued = await queueCommand(b.db, { kind: 'case.conclude', payload: conclusion, userId: drawn.userId, caseId: receipt.caseId });
    const start = hosp.clock.now;
    hosp.clock.now = new Date(start.getTime() + 10 * 24 * 3_600_000);
    try {
      await sweepOffers(hosp.server.hospital);
    } finally {
      hosp.clock.now = start;
    }

    await b.sync.sync();
    expect(await b.db.deskCommands.get(accept.id)).toMatchObject({ state: 'refused' });
    const kept = await b.db.deskCommands.get(queued.id);
    expect(kept).toMatchObject({ state: 'refused', payload: conclusion });
    expect(kept!.reason).toBe('该分配已超过受理时限，已收回并重新抽取，此结论未被采用，已转医保办处理');
    expect(b.sync.status).toMatchObject({ refused: 2, pending: 0 });
    expect(await b.db.cases.get(receipt.caseId)).toBeUndefined();

    // The 医保办's desk has the refused conclusion with everything the physician entered.
    await a.sync.sync();
    expect(await a.db.conflicts.get(queued.id)).toMatchObject({ caseId: receipt.caseId, userId: drawn.userId, payload: conclusion, resolved: null });

    const c = deskFor(other, 'physician');
    await c.sync.sync();
    expect(await c.db.cases.get(receipt.caseId)).toBeDefined();
  });

  it('holds one share at a time: a physician logging in after the 医保办 sees only their own cases', async () => {
    // Make sure dr2 holds a case dr1 does not.
    const r = await office.send('case.take', application(idNo('19700404', '404'), '丁演示'));
    const made = (r as { value: { offeredTo: { id: string }[] } }).value;
    if (made.offeredTo[0]!.id === dr1.userId) {
      const mine = (await dr1.pullAll()).find((c) => c.table === 'workItems' && c.op === 'put' && (c.row as { assigneeId: string }).assigneeId === dr1.userId && (c.row as { personName: string }).personName === '丁演示');
      expect(await dr1.send('offer.refuse', { assignmentId: mine!.id, reason: '回避' })).toMatchObject({ state: 'applied' });
    }
    const db = freshDb();
    await deskFor(office, 'office', db).sync.sync();
    const all = await db.cases.toArray();
    const held = await db.assignments.toArray();
    const expected = all.filter((c) => held.some((a) => a.caseId === c.id && a.reviewerId === dr1.userId && (a.state === 'offered' || a.state === 'accepted'))).map((c) => c.id);
    expect(expected.length).toBeLessThan(all.length);
    await deskFor(dr1, 'physician', db).sync.sync();
    expect((await db.cases.toCollection().primaryKeys()).sort()).toEqual(expected.sort());
    expect(await db.conflicts.count()).toBe(0);
  });

  it('the drift check finds a case the desk should not hold and re-pulls the share', async () => {
    const d = deskFor(dr1, 'physician');
    await d.sync.sync();
    expect(await d.sync.checkDrift()).toBe(true);
    const before = await d.db.cases.count();
    const stray = { ...(await deskFor(office, 'office').sync.sync().then(() => dbs.at(-1)!.cases.toCollection().first()))!, id: 'case-stray' };
    await d.db.cases.put(stray);
    expect(await d.sync.checkDrift()).toBe(false);
    expect(await d.db.cases.get('case-stray')).toBeUndefined();
    expect(await d.db.cases.count()).toBe(before);
    expect(await d.sync.checkDrift()).toBe(true);
  });

  it('a page and its cursor are written together: a pull cut off part way resumes without a gap', async () => {
    const db = freshDb();
    let pulls = 0;
    const flaky = new HospitalClient({
      baseUrl: hosp.server.url,
      deskToken: office.client.deskToken,
      sessionToken: office.client.sessionToken,
      fetch: async (input, init) => {
        if (String(input).includes('/sync/pull') && ++pulls === 3) throw new TypeError('network down');
        return fetch(input, init);
      },
    });
    const sync = new DeskSync({ db, client: flaky, user: { id: office.userId, role: 'office' }, serverId, shareKeys: shareKeys({ id: office.userId, role: 'office' }), pageSize: 3 });
    await expect(sync.sync()).rejects.toMatchObject({ status: 0 });
    const partial = await db.cases.count();
    await sync.sync();
    const reference = freshDb();
    await deskFor(office, 'office', reference).sync.sync();
    expect(await db.cases.count()).toBe(await reference.cases.count());
    expect(partial).toBeLessThanOrEqual(await db.cases.count());
    expect(new Set(await db.workItems.toCollection().primaryKeys())).toEqual(new Set(await reference.workItems.toCollection().primaryKeys()));
  });

  it('sends a long queue in order, the next request while the last answers are written; a failed request leaves it and what follows pending, sent once later', async () => {
    const client = new HospitalClient({ baseUrl: hosp.server.url });
    client.deskToken = office.client.deskToken;
    client.sessionToken = office.client.sessionToken;
    const push = client.push.bind(client);
    const sent: string[][] = [];
    let failSecond = true;
    client.push = async (commands) => {
      sent.push(commands.map((c) => c.id));
      if (sent.length === 2 && failSecond) throw new Error('连接中断');
      return push(commands);
    };
    const a = deskFor(office, 'office', freshDb(), client);
    const queued = [];
    for (let i = 0; i < 450; i++) queued.push(await queueCommand(a.db, { kind: 'case.take', payload: application(idNo(`19${String(20 + Math.floor(i / 300)).padStart(2, '0')}${String(1 + (Math.floor(i / 28) % 12)).padStart(2, '0')}${String(1 + (i % 28)).padStart(2, '0')}`, '471'), `排队${i}`), userId: office.userId }));
    await expect(a.sync.sync()).rejects.toThrow('连接中断');
    const states = await a.db.deskCommands.bulkGet(queued.map((c) => c.id));
    // The first request's 200 are answered; the failed request's 200 wait with the error; the last 50 were never sent.
    expect(states.slice(0, 200).every((c) => c?.state === 'applied')).toBe(true);
    expect(states.slice(200, 400).every((c) => c?.state === 'pending' && c.attempts === 1 && c.lastError === '连接中断')).toBe(true);
    expect(states.slice(400).every((c) => c?.state === 'pending' && c.attempts === 0)).toBe(true);
    expect(sent.map((b) => b.length)).toEqual([200, 200]);
    failSecond = false;
    await a.sync.sync();
    expect((await a.db.deskCommands.bulkGet(queued.map((c) => c.id))).every((c) => c?.state === 'applied')).toBe(true);
    // In order, each command once (the failed request never reached the server).
    expect(sent.flat()).toEqual([...queued.slice(0, 400).map((c) => c.id), ...queued.slice(200).map((c) => c.id)]);
    const onServer = await hosp.server.db.orm.execute(sql`select count(*)::int as n from commands where id = any(${sql.param(queued.map((c) => c.id))}::text[]) and state = 'applied'`);
    expect(Number((onServer as unknown as { rows: { n: number }[] }).rows[0]?.n)).toBe(450);
  }, 120_000);
});
