import { describe, expect, it } from 'vitest';
import { memoryStore, sequentialIds, type MemoryStore } from '../../../test/fixtures/memory-store';
import { caseRow, ctx, doctor, doctorProfile, glucose, hba1c, person, REVIEW_NOW } from '../../../test/fixtures/review-rows';
import { validateMessage } from '../sync/validate-message';
import type { OutboxMessage, OutboxMeta } from '../sync/outbox-item';
import { saveRecognition, type QueueMessage, type RecognitionRequest } from './recognition';

/** The case and its two outside results, and an outbox that records what it was given. */
function setup(seed: Parameters<typeof memoryStore>[0] = {}) {
  const store = memoryStore({ physicians: [doctorProfile], persons: [person], cases: [caseRow], outsideResults: [glucose, hba1c], ...seed });
  const queued: { message: OutboxMessage; meta: OutboxMeta; actorId: string; at: Date }[] = [];
  const queue: QueueMessage = async (entry, actorId, at) => {
    queued.push({ ...entry, actorId, at });
    return `ob-${queued.length}`;
  };
  return { store, queued, queue };
}
const cx = { now: REVIEW_NOW, newId: sequentialIds() };
const request = (over: Partial<RecognitionRequest> = {}): RecognitionRequest => ({ caseId: 'c1', resultId: glucose.id, decision: { decision: 'recognised' }, physician: doctor, infno: 'HR01', ...over });
const save = (s: { store: MemoryStore; queue: QueueMessage }, over: Partial<RecognitionRequest> = {}) => saveRecognition(s.store, cx, ctx.pack, request(over), s.queue);

describe('saveRecognition', () => {
  it('records the decision, queues the platform message and audits both', async () => {
    const s = setup();
    const r = await save(s, { infno: '4901' });
    if (!r.ok) throw new Error(r.message);
    expect(r.value).toMatchObject({ queued: true, recognition: { resultId: glucose.id, withinValidity: true, hrMark: 'HR', physicianId: 'dr-me', department: '内分泌科', outboxId: 'ob-1', at: REVIEW_NOW.toISOString() } });
    expect(s.store.rows('recognitions')).toEqual([r.value.recognition]);
    expect(s.queued).toHaveLength(1);
    const [{ message, meta, actorId }] = s.queued as [(typeof s.queued)[number]];
    expect(message).toMatchObject({ kind: 'recognition', infno: '4901', lane: caseRow.psnNo, insuplcAdmdvs: '140105' });
    expect(message.input['data']).toMatchObject({ hosp_rcgn_id: r.value.recognition.id, psn_no: caseRow.psnNo, exam_item_name: '血糖', hr_flag: '1', rcgn_rslt: '1', dr_codg: 'Ddr-me' });
    expect(validateMessage({ ...message })).toEqual([]);
    expect(meta).toEqual({ psnName: '林演示', summary: '血糖 互认', createdBy: '王演示' });
    expect(actorId).toBe('dr-me');
    expect(s.store.auditLog).toMatchObject([{ kind: 'recognition.recorded', actorId: 'dr-me', subject: 'c1', detail: { recognitionId: r.value.recognition.id, outboxId: 'ob-1' } }]);
    expect(JSON.stringify(s.store.auditLog)).not.toContain(caseRow.certNo);
  });

  it('one decision per result and physician, never edited', async () => {
    const s = setup();
    expect((await save(s)).ok).toBe(true);
    expect(await save(s, { decision: { decision: 'repeated', reasonCode: 'result-too-old', patientInformed: true } })).toEqual({ ok: false, message: '您已对该结果作出互认决定，不能修改' });
    expect(s.queued).toHaveLength(1);
    expect(s.store.rows('recognitions')).toHaveLength(1);
  });

  it('refuses, writing nothing: a result of another case, a repeat without the patient told, no 医保医师代码', async () => {
    const s = setup();
    expect(await save(s, { caseId: 'c2' })).toEqual({ ok: false, message: '该检查检验结果不属于本案件' });
    expect(await save(s, { resultId: hba1c.id, decision: { decision: 'repeated', reasonCode: 'result-too-old', patientInformed: false } as never })).toEqual({ ok: false, message: '须向患者说明重复检查的原因' });
    const unregistered = setup({ physicians: [] });
    expect(await save(unregistered)).toEqual({ ok: false, message: '认定医师库中没有您的医保医师代码，无法上传互认记录；请联系医保办登记' });
    for (const x of [s, unregistered]) {
      expect(x.store.rows('recognitions')).toEqual([]);
      expect(x.store.auditLog).toEqual([]);
      expect(x.queued).toEqual([]);
    }
  });

  it('without a psn_no the entry is kept here and not queued', async () => {
    const s = setup({ cases: [{ ...caseRow, psnNo: '' }] });
    const r = await save(s);
    expect(r).toMatchObject({ ok: true, value: { queued: false, recognition: { outboxId: null } } });
    expect(s.queued).toEqual([]);
    expect(s.store.auditKinds()).toEqual(['recognition.recorded']);
  });
});
