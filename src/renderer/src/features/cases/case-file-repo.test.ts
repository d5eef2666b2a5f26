import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cal, institution, randomPack } from '../../../../../test/fixtures/review-packs';
import { WorkstationDb } from '../../db/db';
import { findPersons, loadCaseFile } from './case-file-repo';
import { loadDemoData } from './demo-loader';

const name = `casefile-test-${Math.random().toString(36).slice(2)}`;
const db = new WorkstationDb(name);
const now = new Date('2025-06-20T02:00:00.000Z');
beforeAll(async () => {
  await loadDemoData(db, { pack: randomPack, calendar: cal, institution }, { count: 120, seed: 8, now });
});
afterAll(async () => {
  db.close();
  await Dexie.delete(name);
});

describe('case files over demo data', () => {
  it('finds a person by name, ID number or psn_no prefix', async () => {
    const person = (await db.persons.get('demo-p-5'))!;
    expect((await findPersons(db, person.name)).map((p) => p.id)).toContain('demo-p-5');
    expect((await findPersons(db, person.certNo.slice(0, 12))).map((p) => p.id)).toContain('demo-p-5');
    const withPsn = (await db.persons.filter((p) => p.psnNo !== null).first())!;
    expect((await findPersons(db, withPsn.psnNo!.slice(0, 10))).map((p) => p.id)).toContain(withPsn.id);
    expect(await findPersons(db, '林')).toEqual([]);
  });

  it('a person with two applications has both on one timeline, with reviewers named', async () => {
    // Demo case 6 is a second application of case 5's person.
    const file = (await loadCaseFile(db, randomPack, 'demo-p-5', '2025-06-20'))!;
    expect(new Set(file.events.filter((e) => e.kind === 'application').map((e) => e.caseId))).toEqual(new Set(['demo-c-5', 'demo-c-6']));
    const reviewers = file.events.filter((e) => e.kind === 'review').map((e) => e.actor);
    expect(reviewers.every((a) => a !== null && !a.startsWith('demo-dr-'))).toBe(true);
    expect(await loadCaseFile(db, randomPack, 'nobody', '2025-06-20')).toBeNull();
  });
});
