import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { DIABETES, institution, randomPack } from '../../../../../test/fixtures/review-packs';
import type { PhysicianProfile } from '../../../../shared/domain/physician';
import type { User } from '../../../../shared/domain/user';
import { checkPhysician } from '../../../../shared/policy/physician';
import { verifyAudit } from '../../db/audit';
import { withFreshDb } from '../../../../../test/fixtures/fresh-db';
import type { WorkstationDb } from '../../db/db';
import { INSTITUTION_KEY } from '../cases/useReviewContext';
import {
  addRegistryRecord,
  clearFlag,
  invalidateRegistryRecord,
  listProfiles,
  physicianUsersWithoutProfile,
  revokeForFlag,
  saveInstitution,
  saveProfile,
  type ProfileInput,
} from './registry-repo';
import { eligibilitySummary, registryStatus } from './registry-status';

let db: WorkstationDb;
withFreshDb('registry-test', (fresh) => (db = fresh));
beforeEach(async () => {
  await db.users.bulkPut([account('office-1', 'office', '赵演示'), account('dr-1', 'physician', '钱演示', '内分泌科'), account('dr-2', 'physician', '孙演示'), account('admin-1', 'admin', '李演示')]);
});

const now = new Date('2025-06-20T02:00:00.000Z');
const today = '2025-06-20';

function account(id: string, role: User['role'], displayName: string, department?: string): User {
  return { id, username: id, displayName, role, passwordHash: 'x', ...(department ? { department } : {}), createdAt: now.toISOString(), createdBy: null, disabled: false };
}

const input: ProfileInput = {
  licence: 'physician',
  title: 'associate-senior',
  department: ' 内分泌科 ',
  practiceScopes: ['内科专业', '内科专业', ' '],
  paymentQualifications: [{ code: 'D410200000001', from: '2020-01-01', to: null }],
};

const kinds = async () => (await db.audit.orderBy('seq').toArray()).map((e) => e.kind);

async function registered(): Promise<PhysicianProfile> {
  expect((await saveProfile(db, 'dr-1', input, 'office-1', now)).ok).toBe(true);
  expect((await addRegistryRecord(db, 'dr-1', { institutionCode: institution.code!, department: '内分泌科', registeredOn: '2024-01-01', expiresOn: null }, 'office-1', now)).ok).toBe(true);
  return (await db.physicians.get('dr-1'))!;
}

describe('profiles', () => {
  it('creates a profile from a physician account, named after it, and audits it', async () => {
    expect((await physicianUsersWithoutProfile(db)).map((u) => u.id).sort()).toEqual(['dr-1', 'dr-2']);
    const r = await saveProfile(db, 'dr-1', input, 'office-1', now);
    expect(r.ok).toBe(true);
    const p = (await db.physicians.get('dr-1'))!;
    expect(p).toMatchObject({ name: '钱演示', department: '内分泌科', practiceScopes: ['内科专业'], registry: [], flag: null, updatedAt: now.toISOString() });
    expect((await physicianUsersWithoutProfile(db)).map((u) => u.id)).toEqual(['dr-2']);
    expect(await kinds()).toEqual(['physician.profile.saved']);
    expect((await db.audit.toArray())[0]).toMatchObject({ actorId: 'office-1', subject: 'dr-1', detail: { created: true } });
  });

  it('keeps registry records and the flag when the profile is edited', async () => {
    const before = await registered();
    await db.physicians.put({ ...before, flag: { kind: 'refusal-limit', at: now.toISOString(), streak: 3, message: 'x' } });
    expect((await saveProfile(db, 'dr-1', { ...input, title: 'senior' }, 'admin-1', now)).ok).toBe(true);
    const after = (await db.physicians.get('dr-1'))!;
    expect(after.title).toBe('senior');
    expect(after.registry).toHaveLength(1);
    expect(after.flag?.streak).toBe(3);
  });

  it('refuses non-physician accounts, unknown ids, bad dates and physicians as editors', async () => {
    expect(await saveProfile(db, 'office-1', input, 'office-1', now)).toMatchObject({ ok: false, message: expect.stringContaining('不是认定医师') });
    expect(await saveProfile(db, 'nobody', input, 'office-1', now)).toMatchObject({ ok: false, message: expect.stringContaining('用户管理') });
    expect(await saveProfile(db, 'dr-1', { ...input, paymentQualifications: [{ from: '2025-01-01', to: '2024-01-01' }] }, 'office-1', now)).toMatchObject({ ok: false, message: expect.stringContaining('早于') });
    expect(await saveProfile(db, 'dr-1', { ...input, department: ' ' }, 'office-1', now)).toMatchObject({ ok: false, message: '请填写科室' });
    expect(await saveProfile(db, 'dr-1', input, 'dr-2', now)).toMatchObject({ ok: false, message: expect.stringContaining('只有医保办或管理员') });
    expect(await db.physicians.count()).toBe(0);
    expect(await db.audit.count()).toBe(0);
  });

  it('lists profiles by department, then name', async () => {
    await saveProfile(db, 'dr-1', input, 'office-1', now);
    await saveProfile(db, 'dr-2', { ...input, department: '心血管内科' }, 'office-1', now);
    expect((await listProfiles(db)).map((p) => p.department)).toEqual(['内分泌科', '心血管内科']);
  });
});

describe('registry records', () => {
  it('adds a record that makes the physician eligible, then invalidates it with a reason, keeping it', async () => {
    const p = await registered();
    expect(checkPhysician(randomPack, p, institution, DIABETES, today)).toEqual([]);
    expect(registryStatus(p, institution, today).state).toBe('active');

    expect(await invalidateRegistryRecord(db, 'dr-1', 0, { invalidOn: today, reason: '' }, 'office-1', now)).toMatchObject({ ok: false, message: '请填写失效原因' });
    expect(await invalidateRegistryRecord(db, 'dr-1', 0, { invalidOn: '2023-01-01', reason: '调离' }, 'office-1', now)).toMatchObject({ ok: false });
    expect((await invalidateRegistryRecord(db, 'dr-1', 0, { invalidOn: today, reason: '调离本院' }, 'office-1', now)).ok).toBe(true);
    const after = (await db.physicians.get('dr-1'))!;
    expect(after.registry).toEqual([expect.objectContaining({ registeredOn: '2024-01-01', invalidOn: today, invalidReason: '调离本院' })]);
    expect(checkPhysician(randomPack, after, institution, DIABETES, today).map((i) => i.code)).toEqual(['registry-invalid']);
    expect(registryStatus(after, institution, today).state).toBe('invalid');
    expect(await invalidateRegistryRecord(db, 'dr-1', 0, { invalidOn: today, reason: '再次' }, 'office-1', now)).toMatchObject({ ok: false, message: expect.stringContaining('已于') });
    expect(await kinds()).toEqual(['physician.profile.saved', 'physician.registry.added', 'physician.registry.invalidated']);
    expect(await verifyAudit(db)).toEqual({ ok: true, count: 3 });
  });

  it('refuses an overlapping record but accepts a renewal after expiry or invalidation', async () => {
    await registered();
    const overlap = await addRegistryRecord(db, 'dr-1', { institutionCode: institution.code!, department: '内分泌科', registeredOn: '2025-01-01', expiresOn: null }, 'office-1', now);
    expect(overlap).toMatchObject({ ok: false, message: expect.stringContaining('重叠') });
    await invalidateRegistryRecord(db, 'dr-1', 0, { invalidOn: '2025-06-01', reason: '科室调整' }, 'office-1', now);
    const renewal = await addRegistryRecord(db, 'dr-1', { institutionCode: institution.code!, department: '内分泌科', registeredOn: '2025-06-01', expiresOn: '2027-05-31' }, 'office-1', now);
    expect(renewal.ok).toBe(true);
    const p = (await db.physicians.get('dr-1'))!;
    expect(p.registry).toHaveLength(2);
    expect(registryStatus(p, institution, today)).toMatchObject({ state: 'active', record: { registeredOn: '2025-06-01' } });
    expect(await addRegistryRecord(db, 'dr-1', { institutionCode: 'H1', department: '内分泌科', registeredOn: '2025-06-01', expiresOn: '2025-01-01' }, 'office-1', now)).toMatchObject({ ok: false, message: '到期日期早于登记日期' });
  });
});

describe('refusal-limit flags', () => {
  const flag = { kind: 'refusal-limit' as const, at: '2025-06-19T08:00:00.000Z', streak: 3, message: '连续 3 次不受理或拒绝受理，取消认定专家资格' };

  it('clears a flag only with a reason, keeping the flag in the audit entry', async () => {
    const p = await registered();
    await db.physicians.put({ ...p, flag });
    expect(eligibilitySummary(randomPack, { ...p, flag }, institution, today).flagged).toBe(true);
    expect(await clearFlag(db, 'dr-1', '  ', 'office-1', now)).toMatchObject({ ok: false, message: '请填写解除标记的理由' });
    expect((await db.physicians.get('dr-1'))!.flag).not.toBeNull();
    expect((await clearFlag(db, 'dr-1', '三次均因外出会诊，已核实', 'office-1', now)).ok).toBe(true);
    // The flag is gone, and the refusals it judged no longer count toward the next one.
    expect((await db.physicians.get('dr-1'))!).toMatchObject({ flag: null, streakFrom: now.toISOString() });
    const entry = (await db.audit.where('kind').equals('physician.flag.cleared').toArray())[0]!;
    expect(entry).toMatchObject({ actorId: 'office-1', subject: 'dr-1', detail: { reason: '三次均因外出会诊，已核实', flag } });
    expect(await clearFlag(db, 'dr-1', '再次', 'office-1', now)).toMatchObject({ ok: false, message: '该医师没有待处理的标记' });
  });

  it('取消认定资格 invalidates the record in force today and resolves the flag', async () => {
    const p = await registered();
    await db.physicians.put({ ...p, flag });
    expect(await revokeForFlag(db, 'dr-1', institution.code, '', 'office-1', now)).toMatchObject({ ok: false });
    expect(await revokeForFlag(db, 'dr-1', institution.code, '经核实无正当理由', 'office-1', now)).toEqual({ ok: true, value: { invalidated: 1 } });
    const after = (await db.physicians.get('dr-1'))!;
    expect(after.flag).toBeNull();
    expect(after.registry[0]).toMatchObject({ invalidOn: today, invalidReason: '连续 3 次不受理或拒绝受理：经核实无正当理由' });
    expect(checkPhysician(randomPack, after, institution, DIABETES, today).map((i) => i.code)).toEqual(['registry-invalid']);
    const entry = (await db.audit.where('kind').equals('physician.registry.invalidated').toArray())[0]!;
    expect(entry.detail).toMatchObject({ cause: 'refusal-limit', indexes: [0], flag });
  });

  it('取消认定资格 needs a record in force', async () => {
    await saveProfile(db, 'dr-1', input, 'office-1', now);
    await db.physicians.update('dr-1', { flag });
    expect(await revokeForFlag(db, 'dr-1', institution.code, '无正当理由', 'office-1', now)).toMatchObject({ ok: false, message: expect.stringContaining('解除标记') });
    expect((await db.physicians.get('dr-1'))!.flag).not.toBeNull();
  });
});

describe('eligibility summary', () => {
  it('counts the diseases a registered physician may certify and explains an unregistered one', async () => {
    const p = await registered();
    const ok = eligibilitySummary(randomPack, p, institution, today);
    expect(ok.eligible.length).toBeGreaterThan(0);
    expect(ok.reasons).toEqual([]);
    const bare = eligibilitySummary(randomPack, { ...p, registry: [], licence: 'assistant' }, institution, today);
    expect(bare.eligible).toEqual([]);
    expect(bare.reasons).toEqual(expect.arrayContaining(['执业助理医师不能担任认定医师', '未在本机构认定医师库备案']));
    const lost = eligibilitySummary(randomPack, { ...p, department: '不存在科' }, institution, today);
    expect(lost.reasons).toEqual(['科室“不存在科”不对应本政策包的任何病种']);
  });
});

describe('本院信息', () => {
  it('validates, saves under cases.institution with audit, and keeps per-disease rights', async () => {
    expect(await saveInstitution(db, { code: 'H12', name: '演示医院', level: 'level-2', kind: 'general' }, 'office-1', now)).toMatchObject({ ok: false, message: expect.stringContaining('12 位') });
    await db.settings.put({ key: INSTITUTION_KEY, value: { ...institution, rights: { [DIABETES]: { certify: true, treat: true } } } });
    const r = await saveInstitution(db, { code: 'H41020000002', name: ' 演示第二人民医院 ', level: 'level-2', kind: 'specialist' }, 'office-1', now);
    expect(r.ok).toBe(true);
    expect((await db.settings.get(INSTITUTION_KEY))!.value).toEqual({ code: 'H41020000002', name: '演示第二人民医院', level: 'level-2', kind: 'specialist', rights: { [DIABETES]: { certify: true, treat: true } } });
    expect((await db.audit.toArray()).map((e) => [e.kind, e.actorId])).toEqual([['settings.institution', 'office-1']]);
    expect(await saveInstitution(db, { code: 'H41020000003', name: '演示', level: 'level-2', kind: 'general' }, 'dr-1', now)).toMatchObject({ ok: false });
  });
});
