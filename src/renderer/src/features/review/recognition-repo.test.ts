import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixClock } from '../../../../../test/fixtures/clock';
import { caseRow, ctx, doctor, glucose, hba1c, REVIEW_NOW, seedCase } from '../../../../../test/fixtures/review-case';
import { isIntact } from '../../../../shared/sync/outbox-item';
import { reconcilePlan } from '../../../../shared/sync/reconcile';
import { validateMessage } from '../../../../shared/sync/validate-message';
import { verifyAudit } from '../../db/audit';
import { WorkstationDb } from '../../db/db';
import { DexieOutboxStore, OutboxValidationError } from '../../sync/outbox-store';
import { saveRecognition } from './recognition-repo';

let db: WorkstationDb;
let store: DexieOutboxStore;
let name = '';
let restoreClock: () => void;
beforeEach(async () => {
  // Validity is judged against "now": the recognitions are made at the fixtures' instant.
  restoreClock = fixClock(REVIEW_NOW);
  name = `recognition-test-${Math.random().toString(36).slice(2)}`;
  db = new WorkstationDb(name);
  await db.open();
  store = new DexieOutboxStore(db);
  await seedCase(db);
});
afterEach(async () => {
  restoreClock();
  db.close();
  await Dexie.delete(name);
});

const recognise = (resultId: string, infno = 'HR01') => saveRecognition(db, store, ctx.pack, { caseId: 'c1', resultId, decision: { decision: 'recognised' }, physician: doctor, infno });

describe('the recognition outbox item', () => {
  it('is validated, frozen and queued with the configured infno, in one transaction with the log entry and its audit', async () => {
    const r = await recognise(glucose.id, '4901');
    expect(r.ok).toBe(true);
    const rec = (await db.recognitions.toArray())[0]!;
    expect(rec).toMatchObject({ resultId: glucose.id, decision: { decision: 'recognised' }, withinValidity: true, hrMark: 'HR', physicianId: 'dr-me', department: '内分泌科' });
    const item = await db.outbox.get(rec.outboxId!);
    expect(item).toMatchObject({ kind: 'recognition', infno: '4901', lane: caseRow.psnNo, insuplcAdmdvs: '140105', status: 'queued' });
    expect(item!.input['data']).toMatchObject({ hosp_rcgn_id: rec.id, psn_no: caseRow.psnNo, exam_item_name: '血糖', hr_flag: '1', hr_mark: 'HR', rcgn_rslt: '1', psn_infm_flag: '0', dr_codg: 'Ddr-me' });
    expect(validateMessage(item!)).toEqual([]);
    expect(isIntact(item!)).toBe(true);
    // Frozen: any edit of the queued content is detected before sending.
    expect(isIntact({ ...item!, input: { data: { ...(item!.input['data'] as object), rcgn_rslt: '2' } } })).toBe(false);
    const audit = await db.audit.toArray();
    expect(audit.map((a) => a.kind)).toEqual(expect.arrayContaining(['outbox.enqueued', 'recognition.recorded']));
    expect(JSON.stringify(audit)).not.toContain(caseRow.certNo); // no ID number in the audit
    expect((await verifyAudit(db)).ok).toBe(true);
  });

  it('an unknown outcome is resent, not reconciled: the platform deduplicates by hosp_rcgn_id', async () => {
    await recognise(glucose.id);
    const item = (await db.outbox.toArray())[0]!;
    expect(reconcilePlan(item, item.input)).toMatchObject({ kind: 'resend' });
  });

  it('a repeat needs a pack reason and the patient informed; it carries both to the platform', async () => {
    const repeat = (decision: object) => saveRecognition(db, store, ctx.pack, { caseId: 'c1', resultId: hba1c.id, decision: decision as never, physician: doctor, infno: 'HR01' });
    expect(await repeat({ decision: 'repeated', reasonCode: 'result-too-old', patientInformed: false })).toMatchObject({ ok: false, message: '须向患者说明重复检查的原因' });
    expect(await repeat({ decision: 'repeated', reasonCode: '', patientInformed: true })).toMatchObject({ ok: false });
    expect(await repeat({ decision: 'repeated', reasonCode: 'made-up', patientInformed: true })).toMatchObject({ ok: false, message: expect.stringContaining('made-up') });
    expect(await db.recognitions.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    const ok = await repeat({ decision: 'repeated', reasonCode: 'result-too-old', patientInformed: true, note: '报告已逾三月' });
    expect(ok.ok).toBe(true);
    const item = (await db.outbox.toArray())[0]!;
    expect(item.input['data']).toMatchObject({ rcgn_rslt: '2', rept_rea_code: 'result-too-old', rept_rea_dscr: '报告已逾三月', psn_infm_flag: '1', hr_flag: '0' });
  });

  it('a decision is made once: a second one on the same result is refused', async () => {
    expect((await recognise(glucose.id)).ok).toBe(true);
    expect(await recognise(glucose.id)).toMatchObject({ ok: false, message: expect.stringContaining('不能修改') });
    expect(await db.outbox.count()).toBe(1);
  });

  it('a message that fails the field rules is not queued and leaves no log entry behind', async () => {
    await expect(recognise(glucose.id, '2503')).rejects.toBeInstanceOf(OutboxValidationError);
    expect(await db.recognitions.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('without a psn_no the entry is kept on this workstation, not queued', async () => {
    await db.cases.update('c1', { psnNo: '' });
    const r = await recognise(glucose.id);
    expect(r).toMatchObject({ ok: true, value: { queued: false } });
    expect((await db.recognitions.toArray())[0]!.outboxId).toBeNull();
    expect(await db.outbox.count()).toBe(0);
  });
});
