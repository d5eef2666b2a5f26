/**
 * Demo data lives on the server: an administrator loads it once and every desk holds its share,
 * every demo row marked; 正式启用 removes all of it from the server and from every desk. Shared
 * settings (the active pack, a calendar, the hospital's facts) reach every desk the same way.
 */
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shareKeys } from '../../src/shared/hospital/protocol';
import { WorkstationDb } from '../../src/renderer/src/db/db';
import { countRows, startHospital, type Desk, type TestHospital } from '../fixtures/hospital';
import { calendar2027 } from '../fixtures/calendars';
import { DeskSync } from '../../src/renderer/src/hospital/desk-sync';

let hosp: TestHospital;
let admin: Desk;
let office: Desk;
let doc: Desk;
const dbs: WorkstationDb[] = [];

beforeAll(async () => {
  hosp = await startHospital({ kind: 'pglite', dataDir: null });
  admin = await hosp.as('admin');
  office = await hosp.as('li', 'office');
  doc = await hosp.as('dr1', 'physician', { department: '内分泌科' });
}, 60_000);
afterAll(async () => {
  await hosp?.close();
  for (const db of dbs) {
    db.close();
    await Dexie.delete(db.name);
  }
});

async function deskOf(d: Desk, role: 'office' | 'physician') {
  const db = new WorkstationDb(`demo-sync-${dbs.length}-${Math.random().toString(36).slice(2)}`);
  dbs.push(db);
  const serverId = (await d.client.status()).serverId;
  const sync = new DeskSync({ db, client: d.client, user: { id: d.userId, role }, serverId, shareKeys: shareKeys({ id: d.userId, role }), fetchBlobs: false });
  return { db, sync };
}

const adminPost = async (path: string, body: unknown) => {
  const r = await fetch(`${hosp.server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-opsp-desk': admin.client.deskToken!, authorization: `Bearer ${admin.client.sessionToken}` }, body: JSON.stringify(body) });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
};

describe('demo data and shared settings on the server', () => {
  it('settings made at one desk reach every desk', async () => {
    expect(await admin.send('policy.activate', { packId: 'kaifeng-2023' })).toMatchObject({ state: 'applied' });
    expect(await admin.send('policy.activate', { packId: 'no-such-pack' })).toMatchObject({ state: 'refused', reason: '没有标识为 no-such-pack 的政策包' });
    expect(await office.send('calendar.import', { file: calendar2027('official') })).toMatchObject({ state: 'applied', value: { year: 2027 } });
    expect(await office.send('calendar.import', { file: { year: 2027 } })).toMatchObject({ state: 'refused', reason: expect.stringContaining('节假日日历无效') });
    expect(await doc.send('calendar.import', { file: calendar2027('official') })).toMatchObject({ state: 'refused' });
    expect(await office.send('hospital.facts', { code: 'H41020000001', name: '演示第一人民医院', level: 'level-3', kind: 'general' })).toMatchObject({ state: 'applied' });
    const d = await deskOf(doc, 'physician');
    await d.sync.sync();
    expect((await d.db.settings.get('policy.activePackId'))?.value).toBe('kaifeng-2023');
    expect((await d.db.settings.get('calendar.year.2027'))?.value).toMatchObject({ year: 2027 });
    expect((await d.db.settings.get('cases.institution'))?.value).toMatchObject({ level: 'level-3' });
  });

  it('only an administrator loads demo data; every desk holds its share, marked 演示', async () => {
    const byOffice = await fetch(`${hosp.server.url}/admin/demo`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-opsp-desk': office.client.deskToken!, authorization: `Bearer ${office.client.sessionToken}` }, body: '{"count":5}' });
    expect(byOffice.status).toBe(403);
    const r = await adminPost('/admin/demo', { count: 120, seed: 7 });
    expect(r).toMatchObject({ status: 200, body: { cases: 120 } });
    const o = await deskOf(office, 'office');
    await o.sync.sync();
    const cases = await o.db.cases.toArray();
    expect(cases).toHaveLength(120);
    expect(await o.db.certifications.count()).toBe(await countRows(hosp.server, 'certifications'));
    expect(await o.db.certifications.count()).toBeGreaterThan(0);
    expect(cases.every((c) => (c as unknown as { demo?: boolean }).demo === true)).toBe(true);
    const physicians = await o.db.physicians.toArray();
    expect(physicians.find((p) => p.id === doc.userId)).toMatchObject({ demo: true });

    const p = await deskOf(doc, 'physician');
    await p.sync.sync();
    const mine = await p.db.cases.toArray();
    const assignments = await o.db.assignments.where('reviewerId').equals(doc.userId).toArray();
    // A physician holds what is offered to them or accepted, and a case they concluded until it is decided.
    const undecided = new Set(cases.filter((c) => c.status !== 'decided').map((c) => c.id));
    const expected = new Set(assignments.filter((a) => a.state === 'offered' || a.state === 'accepted' || (a.state === 'completed' && undecided.has(a.caseId))).map((a) => a.caseId));
    expect(expected.size).toBeGreaterThan(10); // a physician with an account gets a fair share to try
    expect(new Set(mine.map((c) => c.id))).toEqual(expected);
    expect(await p.sync.checkDrift()).toBe(true);
  });

  it('正式启用 removes every demo record from the server and from each desk', async () => {
    const o = await deskOf(office, 'office');
    await o.sync.sync();
    const p = await deskOf(doc, 'physician');
    await p.sync.sync();
    const r = await adminPost('/admin/go-live', {});
    expect(r.status).toBe(200);
    expect(await countRows(hosp.server, 'cases')).toBe(0);
    expect(await countRows(hosp.server, 'physicians')).toBe(0);
    await o.sync.sync();
    await p.sync.sync();
    for (const db of [o.db, p.db]) {
      expect(await db.cases.count()).toBe(0);
      expect(await db.persons.count()).toBe(0);
      expect(await db.workItems.count()).toBe(0);
      expect(await db.physicians.count()).toBe(0);
    }
    // The settings were not demo data: they stay.
    expect((await p.db.settings.get('calendar.year.2027'))?.value).toMatchObject({ year: 2027 });
    const audit = await fetch(`${hosp.server.url}/admin/audit`, { headers: { 'x-opsp-desk': admin.client.deskToken!, authorization: `Bearer ${admin.client.sessionToken}` } });
    expect(await audit.json()).toMatchObject({ ok: true });
  });

  it('demo cases without materials when the administrator turns 包含材料 off', async () => {
    expect(await adminPost('/admin/demo', { count: 12, seed: 11, withMaterials: false })).toMatchObject({ status: 200, body: { cases: 12 } });
    expect(await countRows(hosp.server, 'cases')).toBe(12);
    expect(await countRows(hosp.server, 'materials')).toBe(0);
    expect(await adminPost('/admin/demo', { count: 3, seed: 12 })).toMatchObject({ status: 200 });
    expect(await countRows(hosp.server, 'materials')).toBeGreaterThan(0);
  });
});
