/**
 * The certifying-physician registry (认定医师库) and this hospital's facts, as the 医保办 keeps
 * them (domain.md §2). Every change commits with its audit entry in one transaction; registry
 * records are never deleted, only dated as invalid (000), and a refusal-limit flag is cleared only
 * with the 医保办's reason (002).
 */
import { z } from 'zod';
import type { AuditEntry } from '../../../../shared/audit/chain';
import { chinaDateOf } from '../../../../shared/time';
import { physicianProfileSchema, type PhysicianProfile, type RegistryRecordRow } from '../../../../shared/domain/physician';
import type { User } from '../../../../shared/domain/user';
import { isIsoDate } from '../../../../shared/time';
import type { InstitutionFacts } from '../../../../shared/policy/physician';
import { institutionKindSchema, institutionLevelSchema } from '../../../../shared/policy/schema';
import { appendAudit } from '../../db/audit';
import type { WorkstationDb } from '../../db/db';
import type { RepoResult } from '../cases/assignment-repo';
import { INSTITUTION_KEY } from '../cases/useReviewContext';
import { activeRecordIndexes } from './registry-status';

/** Roles that keep the registry and the hospital's facts (domain.md §2: the 医保办; and administrators). */
export const REGISTRY_EDITORS: readonly User['role'][] = ['office', 'admin'];

export const canEditRegistry = (user: Pick<User, 'role'>): boolean => REGISTRY_EDITORS.includes(user.role);

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

/** Profiles, by department then name. */
export async function listProfiles(db: WorkstationDb): Promise<PhysicianProfile[]> {
  const rows = await db.physicians.toArray();
  return rows.sort((a, b) => a.department.localeCompare(b.department, 'zh') || a.name.localeCompare(b.name, 'zh') || a.id.localeCompare(b.id));
}

/** Enabled accounts with role 认定医师 that have no registry profile yet. */
export async function physicianUsersWithoutProfile(db: WorkstationDb): Promise<User[]> {
  const users = await db.users.where('role').equals('physician').toArray();
  const have = new Set(await db.physicians.toCollection().primaryKeys());
  return users.filter((u) => !u.disabled && !have.has(u.id)).sort((a, b) => a.displayName.localeCompare(b.displayName, 'zh'));
}

/** Audit kinds about a physician's registry standing, including the system's refusal-limit flag. */
export const PHYSICIAN_AUDIT_KINDS = ['physician.profile.saved', 'physician.registry.added', 'physician.registry.invalidated', 'physician.flagged', 'physician.flag.cleared'] as const;

/** A physician's registry history from the audit chain, newest first. */
export async function physicianHistory(db: WorkstationDb, physicianId: string): Promise<AuditEntry[]> {
  const rows = await db.audit.where('kind').anyOf([...PHYSICIAN_AUDIT_KINDS]).filter((e) => e.subject === physicianId).toArray();
  return rows.sort((a, b) => b.seq - a.seq);
}

async function editorProblem(db: WorkstationDb, actorId: string): Promise<string | null> {
  const actor = await db.users.get(actorId);
  if (!actor || actor.disabled) return '当前账户不存在或已停用';
  return canEditRegistry(actor) ? null : '只有医保办或管理员可以修改认定医师库和本院信息';
}

/** A decision's reason: required, since the 医保办's decision must be readable later. */
export function reasonProblem(reason: string, what: string): string | null {
  const r = reason.trim();
  if (r.length === 0) return `请填写${what}`;
  if (r.length > 200) return `${what}最多 200 个字`;
  return null;
}

const zodText = (error: z.ZodError) => error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}：${i.message}` : i.message)).join('；');

/** What the profile form edits; the name comes from the account, registry and flag are kept. */
export interface ProfileInput {
  licence: PhysicianProfile['licence'];
  title: PhysicianProfile['title'];
  department: string;
  practiceScopes: string[];
  paymentQualifications: { code?: string | undefined; from: string; to: string | null }[];
}

function profileInputProblem(input: ProfileInput): string | null {
  if (input.department.trim().length === 0) return '请填写科室';
  for (const [i, q] of input.paymentQualifications.entries()) {
    const n = input.paymentQualifications.length > 1 ? `第 ${i + 1} 条` : '';
    if (!isIsoDate(q.from)) return `请填写${n}医保支付资格的起始日期`;
    if (q.to !== null && !isIsoDate(q.to)) return `${n}医保支付资格的终止日期无效`;
    if (q.to !== null && q.to < q.from) return `${n}医保支付资格的终止日期早于起始日期`;
  }
  return null;
}

/**
 * Creates or updates the profile of a physician account. The name follows the account; a profile
 * with no account (the demo roster) keeps its own. Registry records and the flag are not touched.
 */
export async function saveProfile(db: WorkstationDb, physicianId: string, input: ProfileInput, actorId: string, now = new Date()): Promise<RepoResult<PhysicianProfile>> {
  const problem = profileInputProblem(input);
  if (problem) return fail(problem);
  return db.transaction('rw', db.physicians, db.users, db.audit, async () => {
    const denied = await editorProblem(db, actorId);
    if (denied) return fail(denied);
    const user = await db.users.get(physicianId);
    const existing = await db.physicians.get(physicianId);
    if (user && user.role !== 'physician') return fail(`账户“${user.displayName}”不是认定医师角色`);
    if (!user && !existing) return fail('没有这个认定医师账户，请先在“用户管理”中创建角色为认定医师的账户');
    const parsed = physicianProfileSchema.safeParse({
      id: physicianId,
      name: user?.displayName ?? existing!.name,
      licence: input.licence,
      title: input.title,
      department: input.department.trim(),
      practiceScopes: [...new Set(input.practiceScopes.map((s) => s.trim()).filter((s) => s.length > 0))],
      paymentQualifications: input.paymentQualifications.map((q) => ({ ...(q.code?.trim() ? { code: q.code.trim() } : {}), from: q.from, to: q.to })),
      registry: existing?.registry ?? [],
      flag: existing?.flag ?? null,
      updatedAt: now.toISOString(),
    });
    if (!parsed.success) return fail(`资料无效：${zodText(parsed.error)}`);
    const profile = parsed.data;
    await db.physicians.put(profile);
    await appendAudit(db, {
      kind: 'physician.profile.saved',
      actorId,
      at: now.toISOString(),
      subject: physicianId,
      detail: {
        created: !existing,
        licence: profile.licence,
        title: profile.title,
        department: profile.department,
        practiceScopes: profile.practiceScopes,
        paymentQualifications: profile.paymentQualifications,
      },
    });
    return { ok: true, value: profile };
  });
}

export interface NewRegistryRecord {
  institutionCode: string;
  department: string;
  registeredOn: string;
  expiresOn: string | null;
}

/** Whether two records' periods overlap (an invalidation ends a record the day before it). */
function overlaps(r: RegistryRecordRow, n: NewRegistryRecord): boolean {
  const END = '9999-12-31';
  return r.registeredOn <= (n.expiresOn ?? END) && n.registeredOn <= (r.expiresOn ?? END) && (r.invalidOn === null || n.registeredOn < r.invalidOn);
}

/** Adds a 认定医师库 record; refused when it overlaps a record still in force at the same institution. */
export async function addRegistryRecord(db: WorkstationDb, physicianId: string, input: NewRegistryRecord, actorId: string, now = new Date()): Promise<RepoResult<RegistryRecordRow>> {
  const record: RegistryRecordRow = {
    physicianId,
    institutionCode: input.institutionCode.trim(),
    department: input.department.trim(),
    registeredOn: input.registeredOn,
    expiresOn: input.expiresOn,
    invalidOn: null,
  };
  if (record.institutionCode.length === 0) return fail('请填写机构编码');
  if (record.department.length === 0) return fail('请填写备案科室');
  if (!isIsoDate(record.registeredOn)) return fail('请填写登记日期');
  if (record.expiresOn !== null && !isIsoDate(record.expiresOn)) return fail('到期日期无效');
  if (record.expiresOn !== null && record.expiresOn < record.registeredOn) return fail('到期日期早于登记日期');
  return db.transaction('rw', db.physicians, db.users, db.audit, async () => {
    const denied = await editorProblem(db, actorId);
    if (denied) return fail(denied);
    const profile = await db.physicians.get(physicianId);
    if (!profile) return fail('请先建立该医师的认定医师资料');
    const clash = profile.registry.find((r) => r.institutionCode === record.institutionCode && overlaps(r, input));
    if (clash) return fail(`与 ${clash.registeredOn} 登记、仍然有效的记录重叠；如需变更科室或重新登记，请先登记原记录失效`);
    await db.physicians.put({ ...profile, registry: [...profile.registry, record], updatedAt: now.toISOString() });
    await appendAudit(db, { kind: 'physician.registry.added', actorId, at: now.toISOString(), subject: physicianId, detail: { index: profile.registry.length, ...record } });
    return { ok: true, value: record };
  });
}

/**
 * Dates a registry record invalid, with the reason (000: the record stays, with its dates). The
 * record is named by its index: records are only ever appended, so an index never moves.
 */
export async function invalidateRegistryRecord(
  db: WorkstationDb,
  physicianId: string,
  index: number,
  input: { invalidOn: string; reason: string },
  actorId: string,
  now = new Date(),
): Promise<RepoResult<RegistryRecordRow>> {
  const problem = reasonProblem(input.reason, '失效原因');
  if (problem) return fail(problem);
  if (!isIsoDate(input.invalidOn)) return fail('请填写失效日期');
  return db.transaction('rw', db.physicians, db.users, db.audit, async () => {
    const denied = await editorProblem(db, actorId);
    if (denied) return fail(denied);
    const profile = await db.physicians.get(physicianId);
    const record = profile?.registry[index];
    if (!profile || !record) return fail('该认定医师库记录不存在');
    if (record.invalidOn !== null) return fail(`该记录已于 ${record.invalidOn} 失效`);
    if (input.invalidOn < record.registeredOn) return fail(`失效日期不能早于登记日期 ${record.registeredOn}`);
    const updated: RegistryRecordRow = { ...record, invalidOn: input.invalidOn, invalidReason: input.reason.trim() };
    await db.physicians.put({ ...profile, registry: profile.registry.map((r, i) => (i === index ? updated : r)), updatedAt: now.toISOString() });
    await appendAudit(db, {
      kind: 'physician.registry.invalidated',
      actorId,
      at: now.toISOString(),
      subject: physicianId,
      detail: { index, institutionCode: record.institutionCode, department: record.department, registeredOn: record.registeredOn, invalidOn: updated.invalidOn, reason: updated.invalidReason },
    });
    return { ok: true, value: updated };
  });
}

/**
 * The 医保办 keeps the physician after a refusal-limit flag (e.g. the refusals were justified):
 * the flag goes, the reason and the flag itself stay in the audit chain.
 */
export async function clearFlag(db: WorkstationDb, physicianId: string, reason: string, actorId: string, now = new Date()): Promise<RepoResult> {
  const problem = reasonProblem(reason, '解除标记的理由');
  if (problem) return fail(problem);
  return db.transaction('rw', db.physicians, db.users, db.audit, async () => {
    const denied = await editorProblem(db, actorId);
    if (denied) return fail(denied);
    const profile = await db.physicians.get(physicianId);
    if (!profile) return fail('该认定医师不存在');
    if (!profile.flag) return fail('该医师没有待处理的标记');
    // The streak starts again from here: the refusals the 医保办 has just judged are not counted twice.
    await db.physicians.put({ ...profile, flag: null, streakFrom: now.toISOString(), updatedAt: now.toISOString() });
    await appendAudit(db, { kind: 'physician.flag.cleared', actorId, at: now.toISOString(), subject: physicianId, detail: { reason: reason.trim(), flag: profile.flag } });
    return { ok: true, value: undefined };
  });
}

/**
 * The other outcome of a refusal-limit flag (002: the expert loses the role): every record in
 * force today at the institution is dated invalid today, and the flag, now acted on, goes.
 */
export async function revokeForFlag(db: WorkstationDb, physicianId: string, institutionCode: string | undefined, reason: string, actorId: string, now = new Date()): Promise<RepoResult<{ invalidated: number }>> {
  const problem = reasonProblem(reason, '取消认定资格的说明');
  if (problem) return fail(problem);
  const today = chinaDateOf(now);
  return db.transaction('rw', db.physicians, db.users, db.audit, async () => {
    const denied = await editorProblem(db, actorId);
    if (denied) return fail(denied);
    const profile = await db.physicians.get(physicianId);
    if (!profile) return fail('该认定医师不存在');
    if (!profile.flag) return fail('该医师没有待处理的标记');
    const indexes = activeRecordIndexes(profile, institutionCode, today);
    if (indexes.length === 0) return fail('该医师目前没有在库的认定医师库记录，无需取消资格；如要结束标记，请选择“解除标记”并说明');
    const invalidReason = `连续 ${profile.flag.streak} 次不受理或拒绝受理：${reason.trim()}`;
    const registry = profile.registry.map((r, i) => (indexes.includes(i) ? { ...r, invalidOn: today, invalidReason } : r));
    await db.physicians.put({ ...profile, registry, flag: null, updatedAt: now.toISOString() });
    await appendAudit(db, {
      kind: 'physician.registry.invalidated',
      actorId,
      at: now.toISOString(),
      subject: physicianId,
      detail: { cause: 'refusal-limit', indexes, invalidOn: today, reason: invalidReason, flag: profile.flag },
    });
    return { ok: true, value: { invalidated: indexes.length } };
  });
}

/** 本院信息 as the form edits it; the code is the 12-character 定点医药机构编号. */
export const institutionInputSchema = z.object({
  code: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9]{12}$/, { message: '机构编码应为 12 位字母或数字（定点医药机构编号）' }),
  name: z.string().trim().min(1, { message: '请填写机构名称' }).max(100, { message: '机构名称最多 100 个字' }),
  level: institutionLevelSchema,
  kind: institutionKindSchema,
});
export type InstitutionInput = z.input<typeof institutionInputSchema>;

/** Saves 本院信息 under `cases.institution`; per-disease rights already stored are kept. */
export async function saveInstitution(db: WorkstationDb, facts: InstitutionInput, actorId: string, now = new Date()): Promise<RepoResult<InstitutionFacts>> {
  const parsed = institutionInputSchema.safeParse(facts);
  if (!parsed.success) return fail(parsed.error.issues.map((i) => i.message).join('；'));
  return db.transaction('rw', db.settings, db.users, db.audit, async () => {
    const denied = await editorProblem(db, actorId);
    if (denied) return fail(denied);
    const previous = (await db.settings.get(INSTITUTION_KEY))?.value as InstitutionFacts | undefined;
    const value: InstitutionFacts = { ...parsed.data, ...(previous?.rights ? { rights: previous.rights } : {}) };
    await db.settings.put({ key: INSTITUTION_KEY, value });
    await appendAudit(db, {
      kind: 'settings.institution',
      actorId,
      at: now.toISOString(),
      subject: INSTITUTION_KEY,
      detail: { ...parsed.data, previous: previous ? { code: previous.code, name: previous.name, level: previous.level, kind: previous.kind } : null },
    });
    return { ok: true, value };
  });
}
