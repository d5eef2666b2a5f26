/**
 * The 互认 log on the hospital server: a physician's decision on an outside result is a command;
 * the server records it with the same id the desk made, in the case's records, so every desk that
 * holds the case (the 医保办's re-check included) sees it. One decision per result and physician.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutsideResult } from '../../src/shared/domain/material';
import type { CommandPayload } from '../../src/shared/hospital/commands';
import { checkChar } from '../../src/shared/policy';
import { commandIds } from '../../src/shared/cases/context';
import { write } from '../../src/server/hospital';
import { command, startHospital, type Desk, type TestHospital } from '../fixtures/hospital';
import { institution } from '../fixtures/review-packs';

const certNo = `140105198001010${'23'}`;
const idNo = `${certNo}${checkChar(certNo)}`;

describe('互认 on the hospital server', () => {
  let hosp: TestHospital;
  let office: Desk;
  let doc: Desk;
  let caseId: string;
  const result = (id: string): OutsideResult => ({
    id, caseId, materialId: null, item: '糖化血红蛋白', itemCode: `LAB-${id}`, category: '检验', validityId: null, sourceInstitution: '演示县人民医院',
    sourceInstitutionCode: 'H41022100001', reportNo: `R-${id}`, reportDate: '2026-06-10', hrMark: 'HR', value: '7.8 %',
  });
  const record = (resultId: string, outboxId: string | null = 'outbox-desk-1'): CommandPayload<'recognition.record'> => ({ caseId, resultId, decision: { decision: 'recognised' }, infno: 'HR01', outboxId });

  beforeAll(async () => {
    hosp = await startHospital({ kind: 'pglite', dataDir: null });
    await hosp.setting('policy.activePackId', 'kaifeng-2023');
    await hosp.setting('cases.institution', institution);
    office = await hosp.as('office1', 'office');
    doc = await hosp.as('doc1', 'physician', { department: '内分泌科' });
    await hosp.register(doc.userId, '柯一');
    const taken = await office.send('case.take', { person: { certType: '01', certNo: idNo, name: '林演示', psnNo: null, insutype: '310', regionCode: '140105' }, diseaseCode: 'M01600', kind: 'first' });
    expect(taken.state).toBe('applied');
    caseId = (taken as { value: { caseId: string } }).value.caseId;
    await write(hosp.server.hospital, async (store) => {
      await store.put('outsideResults', result('r1'));
      await store.put('outsideResults', result('r2'));
    });
  }, 60_000);
  afterAll(async () => {
    await hosp?.close();
  });

  it('records the decision under the command\'s id; the 医保办 pulls it with the case', async () => {
    const r = await doc.send('recognition.record', record('r1'), 'cmd-rcg-1');
    // The id the desk's own copy got from the same command id (commandIds), so the server's row replaces it.
    expect(r).toMatchObject({ state: 'applied', value: { recognitionId: commandIds('cmd-rcg-1')('rcg') } });
    const recognitionId = (r as { value: { recognitionId: string } }).value.recognitionId;
    const changes = await office.pullAll();
    const row = changes.find((c) => c.table === 'recognitions' && c.id === recognitionId);
    // The person has no psn_no yet: there is no platform message, whatever the desk named.
    expect(row).toMatchObject({ op: 'put', row: { caseId, resultId: 'r1', physicianId: doc.userId, decision: { decision: 'recognised' }, outboxId: null } });
  });

  it('a conclusion sent days after it was made keeps the desk\'s time beside the server\'s', async () => {
    const offer = (await doc.pullAll()).find((c) => c.op === 'put' && c.table === 'assignments' && (c.row as { caseId: string }).caseId === caseId);
    expect(offer).toBeTruthy();
    const assignmentId = offer!.id;
    expect(await doc.send('offer.accept', { assignmentId })).toMatchObject({ state: 'applied' });
    const madeAt = new Date(hosp.clock.now.getTime() - 49 * 3_600_000); // two days and an hour earlier
    const [answer] = (await doc.client.push([command('case.conclude', { assignmentId, conclusion: { verdict: 'approve' }, criteriaMet: [] }, madeAt)])).results;
    expect(answer).toMatchObject({ state: 'applied' });
    const review = (await office.pullAll()).find((c) => c.op === 'put' && c.table === 'reviews' && (c.row as { caseId: string }).caseId === caseId);
    expect(review).toMatchObject({ row: { at: hosp.clock.now.toISOString(), madeAt: madeAt.toISOString() } });
  });

  it('refuses a second decision on the same result, and a result of another case', async () => {
    expect(await doc.send('recognition.record', record('r1'))).toMatchObject({ state: 'refused', reason: '您已对该结果作出互认决定，不能修改' });
    expect(await doc.send('recognition.record', { ...record('r-none'), resultId: 'r-none' })).toMatchObject({ state: 'refused', reason: '该检查检验结果不属于本案件' });
    const stranger = await hosp.as('doc2', 'physician', { department: '内分泌科' });
    expect(await stranger.send('recognition.record', record('r2'))).toMatchObject({ state: 'refused', reason: '您不是该案件的审核人，不能记录互认' });
    expect(await office.send('recognition.record', record('r2'))).toMatchObject({ state: 'applied' });
  });
});
