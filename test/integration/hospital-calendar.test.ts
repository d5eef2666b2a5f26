/**
 * A calendar imported at the 医保办's desk: the server counts at once the deadlines that waited for
 * that year, for every open case, in the push's own unit of work (one transaction of a few
 * statements, however many cases), and every desk receives the new deadlines at its next pull.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkChar } from '../../src/shared/policy';
import type { CommandPayload } from '../../src/shared/hospital/commands';
import type { CaseRow } from '../../src/shared/domain/case';
import { serverTargets } from '../fixtures/server-db';
import { startHospital, type Desk, type TestHospital } from '../fixtures/hospital';
import { institution } from '../fixtures/review-packs';
import { calendar2027 } from '../fixtures/calendars';

const idNo = (birth: string, seq: string) => `140105${birth}${seq}${checkChar(`140105${birth}${seq}`)}`;
const application = (certNo: string, name: string): CommandPayload<'case.take'> => ({
  person: { certType: '01', certNo, name, psnNo: null, insutype: '310', regionCode: '140105' },
  diseaseCode: 'M01600',
  kind: 'first',
});

describe.each(serverTargets('calendar_test'))('a calendar imported on %s', (_label, target) => {
  let hosp: TestHospital;
  let office: Desk;

  beforeAll(async () => {
    // Late December: a 受理's time limit runs into 2027, whose calendar is not there yet.
    hosp = await startHospital(await target(), new Date('2026-12-24T10:00:00+08:00'));
    await hosp.setting('policy.activePackId', 'kaifeng-2023');
    await hosp.setting('cases.institution', institution);
    office = await hosp.as('li', 'office');
    const dr = await hosp.as('dr1', 'physician', { department: '内分泌科' });
    await hosp.register(dr.userId, '张一');
  }, 60_000);
  afterAll(async () => {
    await hosp?.close();
  });

  const serverCases = async () =>
    ((await hosp.server.db.orm.execute(sql`select data from records where tbl = 'cases' order by id`)) as unknown as { rows: { data: CaseRow }[] }).rows.map((r) => r.data);

  it('counts every deadline that waited for the year, and desks receive them', async () => {
    for (let i = 0; i < 12; i++) expect(await office.send('case.take', application(idNo(`1955030${(i % 9) + 1}`, String(500 + i)), `年末${i}`))).toMatchObject({ state: 'applied' });
    const waiting = (await serverCases()).filter((c) => c.dueAwaits === 2027);
    expect(waiting.length).toBe(12);
    expect(waiting.every((c) => c.dueOn === null)).toBe(true);

    const { cursor } = await office.client.pull(0, 1000);
    const imported = await office.send('calendar.import', { file: calendar2027('official') });
    expect(imported).toMatchObject({ state: 'applied', value: { year: 2027, recomputed: 12 } });

    const after = await serverCases();
    expect(after.every((c) => c.dueAwaits === null && typeof c.dueOn === 'string' && c.dueOn.startsWith('2027-'))).toBe(true);
    // Their work items carry the same deadline.
    const items = ((await hosp.server.db.orm.execute(sql`select data from records where tbl = 'workItems'`)) as unknown as { rows: { data: { caseId: string; dueOn: string | null } }[] }).rows.map((r) => r.data);
    const due = new Map(after.map((c) => [c.id, c.dueOn]));
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((w) => w.dueOn === due.get(w.caseId))).toBe(true);
    // One audit entry names them all; a desk's next pull brings the new deadlines.
    const audit = (await hosp.server.db.orm.execute(sql`select detail from audit where kind = 'deadlines.recomputed'`)) as unknown as { rows: { detail: { cases: unknown[] } }[] };
    expect(audit.rows.map((r) => r.detail.cases.length)).toEqual([12]);
    const page = await office.client.pull(cursor, 1000);
    const pulled = page.changes.filter((c) => c.op === 'put' && c.table === 'cases');
    expect(pulled).toHaveLength(12);
    expect(pulled.every((c) => c.op === 'put' && String((c.row as { dueOn: string }).dueOn).startsWith('2027-'))).toBe(true);
  });
});
