import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { caseRow, doctor, seedCase } from '../../../../../test/fixtures/review-case';
import type { Certification } from '../../../../shared/domain/certification';
import type { User } from '../../../../shared/domain/user';
import { validateMessage } from '../../../../shared/sync/validate-message';
import { verifyAudit } from '../../db/audit';
import { WorkstationDb } from '../../db/db';
import { DexieOutboxStore } from '../../sync/outbox-store';
import { queueCertificationFiling } from './certification-filing';

let db: WorkstationDb;
let store: DexieOutboxStore;
let name = '';
const clerk: User = { ...doctor, id: 'clerk', username: 'li', displayName: '李办理', role: 'office' };
const defaults = { institutionCode: 'H41020000001', institutionName: '演示第一人民医院' };
const cert: Certification = {
  id: 'cert-c1', caseId: 'c1', personId: 'p1', diseaseCode: 'M01600', diseaseName: '糖尿病', certifiedOn: '2026-11-20', begnDate: '2026-11-20',
  endDate: '2028-11-19', reReviewDueOn: '2028-11-19', physicianId: 'dr-me', physicianName: '王演示', state: 'ready', updatedAt: '2026-11-20T02:00:00.000Z',
};

beforeEach(async () => {
  name = `cert-filing-test-${Math.random().toString(36).slice(2)}`;
  db = new WorkstationDb(name);
  await db.open();
  store = new DexieOutboxStore(db);
  await seedCase(db);
  await db.certifications.put(cert);
});
afterEach(async () => {
  db.close();
  await Dexie.delete(name);
});

describe('queueing the 2503 filing of a decided certification', () => {
  it('builds the filing with the shared builder, queues it and marks the certification, once', async () => {
    const r = await queueCertificationFiling(db, store, 'cert-c1', clerk, defaults);
    expect(r.ok).toBe(true);
    const item = (await db.outbox.toArray())[0]!;
    expect(item).toMatchObject({ kind: 'filing', infno: '2503', lane: caseRow.psnNo, insuplcAdmdvs: '140105' });
    expect(item.input['data']).toMatchObject({ psn_no: caseRow.psnNo, opsp_dise_code: 'M01600', hosp_ide_date: '2026-11-20', begndate: '2026-11-20', enddate: '2028-11-19', diag_dr_codg: 'Ddr-me', diag_dr_name: '王演示', ide_fixmedins_no: 'H41020000001' });
    expect(validateMessage(item)).toEqual([]);
    expect(await db.certifications.get('cert-c1')).toMatchObject({ state: 'filing-queued', outboxId: item.id });
    expect(await queueCertificationFiling(db, store, 'cert-c1', clerk, defaults)).toMatchObject({ ok: false });
    expect(await db.outbox.count()).toBe(1);
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('is for the 医保办 and administrators only, and needs the person’s psn_no', async () => {
    expect(await queueCertificationFiling(db, store, 'cert-c1', doctor, defaults)).toMatchObject({ ok: false, message: expect.stringContaining('医保办') });
    await db.cases.update('c1', { psnNo: '' });
    expect(await queueCertificationFiling(db, store, 'cert-c1', clerk, defaults)).toMatchObject({ ok: false, message: expect.stringContaining('1101') });
    expect(await db.outbox.count()).toBe(0);
    expect((await db.certifications.get('cert-c1'))!.state).toBe('ready');
  });
});
