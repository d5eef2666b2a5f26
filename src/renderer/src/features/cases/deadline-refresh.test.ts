import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { cal, DIABETES, institution, physician, randomPack } from '../../../../../test/fixtures/review-packs';
import { calendar2027 as calendarFile2027 } from '../../../../../test/fixtures/calendars';
import { withFreshDb } from '../../../../../test/fixtures/fresh-db';
import { physicianProfileSchema } from '../../../../shared/domain/physician';
import type { User } from '../../../../shared/domain/user';
import { checkChar } from '../../../../shared/policy';
import { NO_DEADLINE } from '../../../../shared/domain/case';
import type { WorkstationDb } from '../../db/db';
import { verifyAudit } from '../../db/audit';
import { takeApplication } from '../intake/intake-repo';
import { importCalendar, workstationCalendar } from '../policy/policy-store';
import type { ReviewContext } from './assignment-repo';
import { DEADLINES_COUNTED_ON_KEY, refreshDeadlines } from './deadline-refresh';

let db: WorkstationDb;
withFreshDb('deadline-refresh-test', (fresh) => (db = fresh));

/** Thursday 10 December 2026, China time: 20 working days from here reach 2027. */
const DECEMBER = new Date('2026-12-10T10:00:00+08:00');
const ctx: ReviewContext = { pack: randomPack, calendar: cal, institution };
const office: User = { id: 'office-1', username: 'zhou', displayName: '周办理', role: 'office', passwordHash: 'x', createdAt: '2025-01-01T00:00:00.000Z', createdBy: null, disabled: false };
const idNo = (birth: string, seq: string) => `140105${birth}${seq}${checkChar(`140105${birth}${seq}`)}`;

/** 2027 as a file to import: 1 January off, and any other days given. */
const calendar2027 = (status: 'official' | 'provisional', extra: { date: string; name: string }[] = []) => JSON.stringify(calendarFile2027(status, [{ date: '2027-01-01', name: '元旦' }, ...extra]));

async function take(seq: string, receivedOn: string) {
  const r = await takeApplication(
    db,
    ctx,
    { person: { certType: '01', certNo: idNo('19600101', seq), name: `年末演示${seq}`, psnNo: '', insutype: '390', regionCode: '140105' }, diseaseCode: DIABETES, kind: 'first', receivedOn },
    office,
    DECEMBER,
    7,
  );
  if (!r.ok) throw new Error(r.message);
  return r.value.caseId;
}

describe('refreshDeadlines', () => {
  it('an import gives every waiting case its date at once, with its work items, in the audit chain; a second run does nothing', async () => {
    await db.physicians.put(physicianProfileSchema.parse({ ...physician('dr-a'), flag: null, updatedAt: DECEMBER.toISOString() }));
    const waiting = await take('901', '2026-12-10');
    const dated = await take('903', '2026-12-01');
    expect(await db.cases.get(waiting)).toMatchObject({ dueOn: null, dueAwaits: 2027 });
    expect(await db.cases.get(dated)).toMatchObject({ dueOn: '2026-12-29', dueAwaits: null });
    // Counted once on the bundled calendar: nothing to change while 2027 is missing.
    expect(await refreshDeadlines(db, { pack: randomPack, calendar: await workstationCalendar(db) }, DECEMBER)).toBe(0);
    expect(await refreshDeadlines(db, { pack: randomPack, calendar: await workstationCalendar(db) }, DECEMBER)).toBe(0);

    expect(await importCalendar(db, calendar2027('official'), office)).toEqual({ ok: true, year: 2027 });
    const later = new Date('2026-12-11T09:00:00+08:00');
    expect(await refreshDeadlines(db, { pack: randomPack, calendar: await workstationCalendar(db) }, later)).toBe(1);
    // 11–31 Dec hold 15 working days; 1 Jan is off; Mon 4 … Fri 8 Jan are the other five.
    expect(await db.cases.get(waiting)).toMatchObject({ dueOn: '2027-01-08', dueAwaits: null, dueProvisional: false, deadlineAt: '2027-01-08T15:59:59.999Z', updatedAt: later.toISOString() });
    expect(await db.workItems.where('caseId').equals(waiting).toArray()).toMatchObject([{ dueOn: '2027-01-08', dueAwaits: null }]);
    expect(await db.cases.get(dated)).toMatchObject({ dueOn: '2026-12-29' });
    const [entry] = await db.audit.where('kind').equals('deadlines.recomputed').toArray();
    expect(entry).toMatchObject({ actorId: null, detail: { cases: [{ id: waiting, dueOn: '2027-01-08' }] } });
    expect((await verifyAudit(db)).ok).toBe(true);
    expect(await refreshDeadlines(db, { pack: randomPack, calendar: await workstationCalendar(db) }, later)).toBe(0);
  });

  it('a provisional year is marked, and counted again when the official one replaces it', async () => {
    await db.physicians.put(physicianProfileSchema.parse({ ...physician('dr-a'), flag: null, updatedAt: DECEMBER.toISOString() }));
    const id = await take('905', '2026-12-10');
    await importCalendar(db, calendar2027('provisional'), office);
    await refreshDeadlines(db, { pack: randomPack, calendar: await workstationCalendar(db) }, DECEMBER);
    expect(await db.cases.get(id)).toMatchObject({ dueOn: '2027-01-08', dueProvisional: true });
    await importCalendar(db, calendar2027('official', [{ date: '2027-01-04', name: '元旦' }]), office);
    await refreshDeadlines(db, { pack: randomPack, calendar: await workstationCalendar(db) }, DECEMBER);
    expect(await db.cases.get(id)).toMatchObject({ dueOn: '2027-01-11', dueProvisional: false });
  });

  it('a case an earlier version stored as "no deadline" for want of a calendar is counted at the first start', async () => {
    await db.physicians.put(physicianProfileSchema.parse({ ...physician('dr-a'), flag: null, updatedAt: DECEMBER.toISOString() }));
    const id = await take('907', '2026-12-10');
    // As v4 wrote it: no fields for a waiting deadline, and nothing to sort by.
    await db.cases.update(id, { dueOn: null, deadlineAt: NO_DEADLINE, dueAwaits: undefined, dueProvisional: undefined });
    await db.workItems.where('caseId').equals(id).modify({ dueAwaits: undefined, dueProvisional: undefined });
    await db.settings.delete(DEADLINES_COUNTED_ON_KEY);
    expect(await refreshDeadlines(db, { pack: randomPack, calendar: await workstationCalendar(db) }, DECEMBER)).toBe(1);
    expect(await db.cases.get(id)).toMatchObject({ dueOn: null, dueAwaits: 2027, deadlineAt: '2027-01-05T15:59:59.999Z' });
    expect(await db.workItems.where('caseId').equals(id).toArray()).toMatchObject([{ dueOn: null, dueAwaits: 2027, dueProvisional: false }]);
  });
});
