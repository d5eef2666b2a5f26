import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FilingRow } from '../../../../shared/hospital/filings';
import { cal, institution, randomPack } from '../../../../../test/fixtures/review-packs';
import { buildCaseFile } from '../../../../shared/case-file/case-file';
import type { InsuredPerson } from '../../../../shared/domain/insured';
import { WorkstationDb } from '../../db/db';
import { loadDemoData } from '../cases/demo-loader';
import { countPersons, loadPersonRows, searchPersons } from './case-file-repo';

let db: WorkstationDb;
const name = `case-file-test-${Math.random().toString(36).slice(2)}`;
const now = new Date('2025-06-20T02:00:00.000Z');
let persons: InsuredPerson[] = [];

beforeAll(async () => {
  db = new WorkstationDb(name);
  await db.open();
  // Every seventh demo case is a second disease of the previous person: files with two applications.
  await loadDemoData(db, { pack: randomPack, calendar: cal, institution }, { count: 140, seed: 5, now, withMaterials: false });
  persons = await db.persons.toArray();
});
afterAll(async () => {
  db.close();
  await Dexie.delete(name);
});

describe('searching persons (档案 search box)', () => {
  it('finds by name prefix, ID number prefix and psn_no prefix through the persons indexes', async () => {
    const p = persons.find((x) => x.psnNo)!;
    expect((await searchPersons(db, p.name)).map((x) => x.id)).toContain(p.id);
    expect((await searchPersons(db, p.certNo.slice(0, 12))).map((x) => x.id)).toContain(p.id);
    expect((await searchPersons(db, p.psnNo!)).map((x) => x.id)).toEqual([p.id]);
    const x = persons.find((q) => q.certNo.endsWith('X')) ?? p;
    expect((await searchPersons(db, x.certNo.toLowerCase())).map((q) => q.id)).toEqual([x.id]); // a typed lower-case x
  });

  it('finds a psn_no with letters, which the desk types as Latin text', async () => {
    const p = persons[0]!;
    await db.persons.put({ ...p, id: 'p-letters', psnNo: 'GZ2025ABC0001' });
    expect((await searchPersons(db, 'GZ2025ABC')).map((x) => x.id)).toEqual(['p-letters']);
    expect((await searchPersons(db, 'gz2025abc')).map((x) => x.id)).toEqual(['p-letters']);
    await db.persons.delete('p-letters');
  });

  it('searches nothing for one character, and caps a broad search', async () => {
    expect(await searchPersons(db, persons[0]!.name.slice(0, 1))).toEqual([]);
    const broad = await searchPersons(db, persons[0]!.certNo.slice(0, 2), 10);
    expect(broad).toHaveLength(10);
    expect(await countPersons(db)).toBe(persons.length);
  });
});

describe('loading one person\'s rows', () => {
  it('reads the cases, their steps and certifications of that person only, with reviewer names', async () => {
    const pairs = await db.cases.toArray();
    const twice = pairs.find((c) => c.id === 'demo-c-6')!.personId; // case 6 belongs to case 5's person
    const rows = (await loadPersonRows(db, twice))!;
    expect(rows.cases.map((c) => c.id).sort()).toEqual(['demo-c-5', 'demo-c-6']);
    expect(rows.assignments.every((a) => a.caseId === 'demo-c-5' || a.caseId === 'demo-c-6')).toBe(true);
    expect(rows.assignments.length).toBeGreaterThan(0);
    for (const a of rows.assignments) if (a.reviewerId !== 'office') expect(rows.names.get(a.reviewerId)).toBeTruthy();
    const file = buildCaseFile(randomPack, rows, { today: '2025-06-20' });
    expect(file.events.filter((e) => e.kind === 'application')).toHaveLength(2);
  });

  it('reads the server\'s messages for the person by psn_no, and a certification\'s filing made under another psn_no by id', async () => {
    const withCert = (await db.certifications.toArray()).find((c) => persons.find((p) => p.id === c.personId)?.psnNo);
    expect(withCert).toBeTruthy();
    const person = (await db.persons.get(withCert!.personId))!;
    const row = (id: string, psnNo: string): FilingRow => ({
      id, kind: 'filing', infno: '2503', batchId: null, certificationId: null, caseId: null, psnNo, psnName: person.name, summary: '', platform: 'demo',
      phase: 'queued', reason: null, serial: null, sends: 0, nextAttemptAt: null, queuedAt: '2025-06-01T00:00:00.000Z', queuedBy: '', settledAt: null, updatedAt: '2025-06-01T00:00:00.000Z',
    });
    const own = row('fl-own', person.psnNo!);
    const old = row('fl-old', 'P-CORRECTED-0001');
    const stranger = row('fl-stranger', 'P-SOMEONE-ELSE-01');
    await db.filings.bulkPut([own, old, stranger]);
    await db.certifications.put({ ...withCert!, state: 'filing-queued', outboxId: old.id });
    const rows = (await loadPersonRows(db, person.id))!;
    expect(rows.filings.map((i) => i.id).sort()).toEqual([own.id, old.id].sort());
    const file = buildCaseFile(randomPack, rows, { today: '2025-06-20' });
    expect(file.events.filter((e) => e.kind === 'filing').map((e) => e.sync?.label)).toEqual(['待上传', '待上传']);
  });

  it('a person without psn_no has no messages of their own; an unknown id has no file', async () => {
    // Someone taken in at the desk but never looked up on the platform (1101) has no psn_no yet.
    const noPsn = { ...persons[0]!, id: 'p-no-psn', psnNo: null };
    await db.persons.put(noPsn);
    expect((await loadPersonRows(db, noPsn.id))!.filings).toEqual([]);
    await db.persons.delete(noPsn.id);
    expect(await loadPersonRows(db, 'nobody')).toBeNull();
  });
});
