import { describe, expect, it } from 'vitest';
import { memoryStore, sequentialIds, type MemoryStore } from '../../../test/fixtures/memory-store';
import { cal, DIABETES, institution, physician, randomPack } from '../../../test/fixtures/review-packs';
import { caseRow } from '../../../test/fixtures/review-rows';
import { verifyChain } from '../audit/chain';
import { physicianProfileSchema, type PhysicianProfile } from '../domain/physician';
import { checkPhysician } from '../policy/physician';
import { assignNext } from './assignment';
import type { CaseContext } from './context';
import {
  activeRecordIndexes,
  addRegistryRecord,
  canEditRegistry,
  clearFlag,
  editorProblem,
  invalidateRegistryRecord,
  reasonProblem,
  revokeForFlag,
  saveProfile,
  type PhysicianAccount,
  type ProfileInput,
  type RegistryActor,
} from './registry';

// Fixed instants: Friday 20 June 2025, 10:00 in China; LATE is 00:30 on 20 June in China but still
// 19 June in UTC, so a rule that took the machine's date would show it. No rule reads the clock.
const T0 = new Date('2025-06-20T02:00:00.000Z');
const LATE = new Date('2025-06-19T16:30:00.000Z');
const today = '2025-06-20';
const cx = { now: T0 };

const office: RegistryActor = { id: 'office-1', role: 'office' };
const admin: RegistryActor = { id: 'admin-1', role: 'admin' };
const doctor: RegistryActor = { id: 'dr-2', role: 'physician' };
const account: PhysicianAccount = { displayName: '钱演示', role: 'physician' };

const input: ProfileInput = {
  licence: 'physician',
  title: 'associate-senior',
  department: ' 内分泌科 ',
  practiceScopes: ['内科专业', '内科专业', ' '],
  paymentQualifications: [{ code: ' D410200000001 ', from: '2020-01-01', to: null }],
};
const record = { institutionCode: institution.code!, department: '内分泌科', registeredOn: '2024-01-01', expiresOn: null };
const flag = { kind: 'refusal-limit' as const, at: '2025-06-19T08:00:00.000Z', streak: 3, message: '连续 3 次不受理或拒绝受理，取消认定专家资格' };

const profile = (id: string, over: Partial<PhysicianProfile> = {}): PhysicianProfile => physicianProfileSchema.parse({ ...physician(id), flag: null, updatedAt: T0.toISOString(), ...over });

async function registered(store: MemoryStore = memoryStore()): Promise<MemoryStore> {
  expect((await saveProfile(store, cx, 'dr-1', input, account, office)).ok).toBe(true);
  expect((await addRegistryRecord(store, cx, 'dr-1', record, office)).ok).toBe(true);
  return store;
}

describe('who may change the registry', () => {
  it('the 医保办 and administrators, enabled', () => {
    expect(canEditRegistry(office) && canEditRegistry(admin)).toBe(true);
    expect(canEditRegistry(doctor)).toBe(false);
    expect(editorProblem(office)).toBeNull();
    expect(editorProblem(doctor)).toBe('只有医保办或管理员可以修改认定医师库和本院信息');
    expect(editorProblem(undefined)).toBe('当前账户不存在或已停用');
    expect(editorProblem({ ...office, disabled: true })).toBe('当前账户不存在或已停用');
  });

  it('a decision needs a reason of at most 200 characters', () => {
    expect(reasonProblem('  ', '失效原因')).toBe('请填写失效原因');
    expect(reasonProblem('字'.repeat(201), '失效原因')).toBe('失效原因最多 200 个字');
    expect(reasonProblem(' 调离 ', '失效原因')).toBeNull();
  });
});

describe('saveProfile', () => {
  it('creates a profile named after the account, tidies the input and audits it', async () => {
    const store = memoryStore();
    const r = await saveProfile(store, cx, 'dr-1', input, account, office);
    expect(r.ok).toBe(true);
    const p = (await store.get('physicians', 'dr-1'))!;
    expect(p).toEqual({
      id: 'dr-1',
      name: '钱演示',
      licence: 'physician',
      title: 'associate-senior',
      department: '内分泌科',
      practiceScopes: ['内科专业'],
      paymentQualifications: [{ code: 'D410200000001', from: '2020-01-01', to: null }],
      registry: [],
      flag: null,
      updatedAt: T0.toISOString(),
    });
    expect(r.ok && r.value).toEqual(p);
    expect(store.auditLog).toEqual([expect.objectContaining({ kind: 'physician.profile.saved', actorId: 'office-1', at: T0.toISOString(), subject: 'dr-1', detail: expect.objectContaining({ created: true, department: '内分泌科' }) })]);
  });

  it('an edit keeps the records, the flag and where the refusal streak restarts', async () => {
    const store = await registered();
    const before = (await store.get('physicians', 'dr-1'))!;
    await store.put('physicians', { ...before, flag, streakFrom: '2025-06-01T00:00:00.000Z' });
    const later = new Date(T0.getTime() + 3_600_000);
    expect((await saveProfile(store, { now: later }, 'dr-1', { ...input, title: 'senior' }, { ...account, displayName: '钱新名' }, admin)).ok).toBe(true);
    expect(await store.get('physicians', 'dr-1')).toMatchObject({ name: '钱新名', title: 'senior', registry: before.registry, flag, streakFrom: '2025-06-01T00:00:00.000Z', updatedAt: later.toISOString() });
    expect(store.auditLog.at(-1)).toMatchObject({ actorId: 'admin-1', detail: { created: false } });
  });

  it('a profile without an account (the demo roster) keeps its own name', async () => {
    const store = memoryStore({ physicians: [profile('demo-1', { name: '周演示' })] });
    expect((await saveProfile(store, cx, 'demo-1', input, undefined, office)).ok).toBe(true);
    expect(await store.get('physicians', 'demo-1')).toMatchObject({ name: '周演示', department: '内分泌科' });
  });

  it('refuses other roles’ accounts, unknown ids, bad input and anyone but the 医保办, writing nothing', async () => {
    const store = memoryStore();
    expect(await saveProfile(store, cx, 'office-1', input, { displayName: '赵演示', role: 'office' }, office)).toEqual({ ok: false, message: '账户“赵演示”不是认定医师角色' });
    expect(await saveProfile(store, cx, 'nobody', input, undefined, office)).toEqual({ ok: false, message: '没有这个认定医师账户，请先在“用户管理”中创建角色为认定医师的账户' });
    expect(await saveProfile(store, cx, 'dr-1', { ...input, department: ' ' }, account, office)).toEqual({ ok: false, message: '请填写科室' });
    expect(await saveProfile(store, cx, 'dr-1', { ...input, paymentQualifications: [{ from: '2025-01-01', to: '2024-01-01' }] }, account, office)).toEqual({ ok: false, message: '医保支付资格的终止日期早于起始日期' });
    const two = [{ from: '2020-01-01', to: null }, { from: '2025-13-01', to: null }];
    expect(await saveProfile(store, cx, 'dr-1', { ...input, paymentQualifications: two }, account, office)).toEqual({ ok: false, message: '请填写第 2 条医保支付资格的起始日期' });
    expect(await saveProfile(store, cx, 'dr-1', input, account, doctor)).toEqual({ ok: false, message: '只有医保办或管理员可以修改认定医师库和本院信息' });
    expect(await saveProfile(store, cx, 'dr-1', input, account, undefined)).toEqual({ ok: false, message: '当前账户不存在或已停用' });
    expect(store.rows('physicians')).toEqual([]);
    expect(store.auditLog).toEqual([]);
  });
});

describe('registry records', () => {
  it('a record makes the physician eligible; invalidated with a reason it stays, dated', async () => {
    const store = await registered();
    expect(checkPhysician(randomPack, (await store.get('physicians', 'dr-1'))!, institution, DIABETES, today)).toEqual([]);

    expect(await invalidateRegistryRecord(store, cx, 'dr-1', 0, { invalidOn: today, reason: '' }, office)).toEqual({ ok: false, message: '请填写失效原因' });
    expect(await invalidateRegistryRecord(store, cx, 'dr-1', 0, { invalidOn: '', reason: '调离' }, office)).toEqual({ ok: false, message: '请填写失效日期' });
    expect(await invalidateRegistryRecord(store, cx, 'dr-1', 0, { invalidOn: '2023-01-01', reason: '调离' }, office)).toEqual({ ok: false, message: '失效日期不能早于登记日期 2024-01-01' });
    expect(await invalidateRegistryRecord(store, cx, 'dr-1', 5, { invalidOn: today, reason: '调离' }, office)).toEqual({ ok: false, message: '该认定医师库记录不存在' });
    expect(await invalidateRegistryRecord(store, cx, 'dr-1', 0, { invalidOn: today, reason: '调离' }, doctor)).toEqual({ ok: false, message: '只有医保办或管理员可以修改认定医师库和本院信息' });
    const r = await invalidateRegistryRecord(store, cx, 'dr-1', 0, { invalidOn: today, reason: ' 调离本院 ' }, office);
    expect(r).toEqual({ ok: true, value: { ...record, physicianId: 'dr-1', invalidOn: today, invalidReason: '调离本院' } });
    const after = (await store.get('physicians', 'dr-1'))!;
    expect(after.registry).toHaveLength(1);
    expect(checkPhysician(randomPack, after, institution, DIABETES, today).map((i) => i.code)).toEqual(['registry-invalid']);
    expect(await invalidateRegistryRecord(store, cx, 'dr-1', 0, { invalidOn: today, reason: '再次' }, office)).toEqual({ ok: false, message: `该记录已于 ${today} 失效` });
    expect(store.auditKinds()).toEqual(['physician.profile.saved', 'physician.registry.added', 'physician.registry.invalidated']);
    expect(store.auditLog.at(-1)!.detail).toEqual({ index: 0, institutionCode: institution.code, department: '内分泌科', registeredOn: '2024-01-01', invalidOn: today, reason: '调离本院' });
    expect(verifyChain(store.auditLog).ok).toBe(true);
  });

  it('checks the record, needs a profile, refuses an overlap and takes a renewal after invalidation', async () => {
    const store = memoryStore();
    expect(await addRegistryRecord(store, cx, 'dr-1', record, office)).toEqual({ ok: false, message: '请先建立该医师的认定医师资料' });
    await registered(store);
    expect(await addRegistryRecord(store, cx, 'dr-1', { ...record, institutionCode: ' ' }, office)).toEqual({ ok: false, message: '请填写机构编码' });
    expect(await addRegistryRecord(store, cx, 'dr-1', { ...record, department: '' }, office)).toEqual({ ok: false, message: '请填写备案科室' });
    expect(await addRegistryRecord(store, cx, 'dr-1', { ...record, registeredOn: '2024/01/01' }, office)).toEqual({ ok: false, message: '请填写登记日期' });
    expect(await addRegistryRecord(store, cx, 'dr-1', { ...record, expiresOn: '2024-02-30' }, office)).toEqual({ ok: false, message: '到期日期无效' });
    expect(await addRegistryRecord(store, cx, 'dr-1', { ...record, expiresOn: '2023-12-31' }, office)).toEqual({ ok: false, message: '到期日期早于登记日期' });
    expect(await addRegistryRecord(store, cx, 'dr-1', { ...record, registeredOn: '2025-01-01' }, doctor)).toEqual({ ok: false, message: '只有医保办或管理员可以修改认定医师库和本院信息' });
    expect(await addRegistryRecord(store, cx, 'dr-1', { ...record, institutionCode: ` ${institution.code!} `, registeredOn: '2025-01-01' }, office)).toEqual({
      ok: false,
      message: '与 2024-01-01 登记、仍然有效的记录重叠；如需变更科室或重新登记，请先登记原记录失效',
    });
    // Another institution's record does not clash.
    expect((await addRegistryRecord(store, cx, 'dr-1', { ...record, institutionCode: 'H41020000009', registeredOn: '2025-01-01' }, office)).ok).toBe(true);
    await invalidateRegistryRecord(store, cx, 'dr-1', 0, { invalidOn: '2025-06-01', reason: '科室调整' }, office);
    const renewal = await addRegistryRecord(store, cx, 'dr-1', { ...record, registeredOn: '2025-06-01', expiresOn: '2027-05-31' }, admin);
    expect(renewal.ok).toBe(true);
    expect((await store.get('physicians', 'dr-1'))!.registry.map((r) => [r.institutionCode, r.registeredOn, r.invalidOn])).toEqual([
      [institution.code, '2024-01-01', '2025-06-01'],
      ['H41020000009', '2025-01-01', null],
      [institution.code, '2025-06-01', null],
    ]);
    expect(store.auditLog.at(-1)).toMatchObject({ kind: 'physician.registry.added', actorId: 'admin-1', detail: { index: 2, registeredOn: '2025-06-01' } });
  });
});

describe('refusal-limit flags', () => {
  const flagged = async () => {
    const store = await registered();
    await store.put('physicians', { ...(await store.get('physicians', 'dr-1'))!, flag });
    return store;
  };

  it('clearFlag: only with a reason, by the 医保办; the streak restarts at that instant', async () => {
    const store = await flagged();
    expect(await clearFlag(store, cx, 'dr-1', '  ', office)).toEqual({ ok: false, message: '请填写解除标记的理由' });
    expect(await clearFlag(store, cx, 'dr-1', '已核实', doctor)).toEqual({ ok: false, message: '只有医保办或管理员可以修改认定医师库和本院信息' });
    expect(await clearFlag(store, cx, 'nobody', '已核实', office)).toEqual({ ok: false, message: '该认定医师不存在' });
    expect((await store.get('physicians', 'dr-1'))!.flag).toEqual(flag);
    expect(await clearFlag(store, cx, 'dr-1', ' 三次均因外出会诊，已核实 ', office)).toEqual({ ok: true, value: undefined });
    expect(await store.get('physicians', 'dr-1')).toMatchObject({ flag: null, streakFrom: T0.toISOString(), updatedAt: T0.toISOString() });
    expect(store.auditLog.at(-1)).toMatchObject({ kind: 'physician.flag.cleared', actorId: 'office-1', subject: 'dr-1', detail: { reason: '三次均因外出会诊，已核实', flag } });
    expect(await clearFlag(store, cx, 'dr-1', '再次', office)).toEqual({ ok: false, message: '该医师没有待处理的标记' });
  });

  it('a flagged physician is never drawn; once the flag is cleared they are again', async () => {
    const store = await flagged();
    store.tables.cases.set('c1', { ...caseRow, id: 'c1', personId: 'p-c1', updatedAt: T0.toISOString() });
    store.tables.cases.set('c2', { ...caseRow, id: 'c2', personId: 'p-c2', updatedAt: T0.toISOString() });
    const kaifeng: CaseContext = { pack: randomPack, calendar: cal, institution, now: T0, newId: sequentialIds(), seed: () => 7 };
    expect(await assignNext(store, kaifeng, 'c1')).toEqual({ ok: true, value: [] });
    expect(await store.get('cases', 'c1')).toMatchObject({ status: 'unassigned' });
    await clearFlag(store, cx, 'dr-1', '已核实', office);
    const r = await assignNext(store, kaifeng, 'c2');
    expect(r.ok && r.value.map((a) => a.reviewerId)).toEqual(['dr-1']);
  });

  it('revokeForFlag ends the records in force today (China date) at the institution and resolves the flag', async () => {
    const store = await flagged();
    await addRegistryRecord(store, cx, 'dr-1', { ...record, institutionCode: 'H41020000009' }, office);
    expect(await revokeForFlag(store, { now: LATE }, 'dr-1', institution.code, '', office)).toEqual({ ok: false, message: '请填写取消认定资格的说明' });
    expect(await revokeForFlag(store, { now: LATE }, 'dr-1', institution.code, '无正当理由', doctor)).toEqual({ ok: false, message: '只有医保办或管理员可以修改认定医师库和本院信息' });
    expect(await revokeForFlag(store, { now: LATE }, 'dr-1', institution.code, ' 经核实无正当理由 ', office)).toEqual({ ok: true, value: { invalidated: 1 } });
    const after = (await store.get('physicians', 'dr-1'))!;
    expect(after.flag).toBeNull();
    expect(after.registry.map((r) => [r.institutionCode, r.invalidOn, r.invalidReason])).toEqual([
      [institution.code, today, '连续 3 次不受理或拒绝受理：经核实无正当理由'],
      ['H41020000009', null, undefined],
    ]);
    expect(checkPhysician(randomPack, after, institution, DIABETES, today).map((i) => i.code)).toEqual(['registry-invalid']);
    expect(store.auditLog.at(-1)).toMatchObject({ kind: 'physician.registry.invalidated', at: LATE.toISOString(), detail: { cause: 'refusal-limit', indexes: [0], invalidOn: today, flag } });
    expect(await revokeForFlag(store, { now: LATE }, 'dr-1', institution.code, '再次', office)).toEqual({ ok: false, message: '该医师没有待处理的标记' });
  });

  it('revokeForFlag needs a record in force; the flag stays until the 医保办 decides', async () => {
    const store = memoryStore();
    await saveProfile(store, cx, 'dr-1', input, account, office);
    await store.put('physicians', { ...(await store.get('physicians', 'dr-1'))!, flag });
    expect(await revokeForFlag(store, cx, 'dr-1', institution.code, '无正当理由', office)).toEqual({
      ok: false,
      message: '该医师目前没有在库的认定医师库记录，无需取消资格；如要结束标记，请选择“解除标记”并说明',
    });
    expect((await store.get('physicians', 'dr-1'))!.flag).toEqual(flag);
    expect(await revokeForFlag(store, cx, 'nobody', institution.code, '无正当理由', office)).toEqual({ ok: false, message: '该认定医师不存在' });
  });

  it('activeRecordIndexes: in force on the date, at the institution (any when none is named)', () => {
    const p = profile('d1', {
      registry: [
        { ...record, physicianId: 'd1', invalidOn: null },
        { ...record, physicianId: 'd1', institutionCode: 'H41020000009', invalidOn: null },
        { ...record, physicianId: 'd1', registeredOn: '2025-07-01', invalidOn: null },
        { ...record, physicianId: 'd1', invalidOn: today },
      ],
    });
    expect(activeRecordIndexes(p, institution.code, today)).toEqual([0]);
    expect(activeRecordIndexes(p, undefined, today)).toEqual([0, 1]);
    expect(activeRecordIndexes(p, institution.code, '2025-06-19')).toEqual([0, 3]);
  });
});
