/**
 * The certifying-physician registry (认定医师库) as the 医保办 keeps it (domain.md §2), over any
 * `Store`: profiles, registry records (never deleted, only dated as invalid, 000), and the
 * 医保办's decision on a refusal-limit flag (cleared only with a reason, or the records in force
 * ended, 002). The hospital server applies these for real; a desk runs the same code on its copy.
 * Every function runs inside one transaction the caller opened over `physicians` and the audit
 * chain, and takes the acting account as the caller knows it (the server: the session's user;
 * a desk: its cached account), so the role is checked where the change is made.
 */
import type { PhysicianProfile, RegistryRecordRow } from '../domain/physician';
import { physicianProfileSchema } from '../domain/physician';
import type { Role, User } from '../domain/user';
import { isActiveOn } from '../policy/physician';
import type { Store } from '../store/store';
import { chinaDateOf, isIsoDate, type IsoDate } from '../time';
import type { RuleContext, RuleResult } from './context';

/** Roles that keep the registry and the hospital's facts (domain.md §2: the 医保办; and administrators). */
export const REGISTRY_EDITORS: readonly Role[] = ['office', 'admin'];

export const canEditRegistry = (user: Pick<User, 'role'>): boolean => REGISTRY_EDITORS.includes(user.role);

/** Who makes a registry change: an account's id, role and whether it is disabled. */
export interface RegistryActor {
  id: string;
  role: Role;
  disabled?: boolean | undefined;
}

/** The physician's own account, as the caller reads it (the profile's name follows it). */
export interface PhysicianAccount {
  displayName: string;
  role: Role;
}

type Now = Pick<RuleContext, 'now'>;

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

/** Why this account may not change the registry or the hospital's facts; null when it may. */
export function editorProblem(actor: RegistryActor | undefined): string | null {
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

const issuesText = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) =>
  issues.map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}：${i.message}` : i.message)).join('；');

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
 * Creates or updates the profile of a physician account (`account`: that account, or undefined
 * when there is none). The name follows the account; a profile with no account (the demo roster)
 * keeps its own. Registry records and the flag are not touched.
 */
export async function saveProfile(
  store: Store,
  cx: Now,
  physicianId: string,
  input: ProfileInput,
  account: PhysicianAccount | undefined,
  actor: RegistryActor | undefined,
): Promise<RuleResult<PhysicianProfile>> {
  const problem = profileInputProblem(input) ?? editorProblem(actor);
  if (problem) return fail(problem);
  const at = cx.now.toISOString();
  const existing = await store.get('physicians', physicianId);
  if (account && account.role !== 'physician') return fail(`账户“${account.displayName}”不是认定医师角色`);
  if (!account && !existing) return fail('没有这个认定医师账户，请先在“用户管理”中创建角色为认定医师的账户');
  const parsed = physicianProfileSchema.safeParse({
    id: physicianId,
    name: account?.displayName ?? existing!.name,
    licence: input.licence,
    title: input.title,
    department: input.department.trim(),
    practiceScopes: [...new Set(input.practiceScopes.map((s) => s.trim()).filter((s) => s.length > 0))],
    paymentQualifications: input.paymentQualifications.map((q) => ({ ...(q.code?.trim() ? { code: q.code.trim() } : {}), from: q.from, to: q.to })),
    registry: existing?.registry ?? [],
    flag: existing?.flag ?? null,
    // An edit keeps where the refusal streak starts again (set when a flag was cleared).
    ...(existing?.streakFrom ? { streakFrom: existing.streakFrom } : {}),
    updatedAt: at,
  });
  if (!parsed.success) return fail(`资料无效：${issuesText(parsed.error.issues)}`);
  const profile = parsed.data;
  await store.put('physicians', profile);
  await store.audit({
    kind: 'physician.profile.saved',
    actorId: actor!.id,
    at,
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
export async function addRegistryRecord(store: Store, cx: Now, physicianId: string, input: NewRegistryRecord, actor: RegistryActor | undefined): Promise<RuleResult<RegistryRecordRow>> {
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
  const denied = editorProblem(actor);
  if (denied) return fail(denied);
  const profile = await store.get('physicians', physicianId);
  if (!profile) return fail('请先建立该医师的认定医师资料');
  const clash = profile.registry.find((r) => r.institutionCode === record.institutionCode && overlaps(r, record));
  if (clash) return fail(`与 ${clash.registeredOn} 登记、仍然有效的记录重叠；如需变更科室或重新登记，请先登记原记录失效`);
  const at = cx.now.toISOString();
  await store.put('physicians', { ...profile, registry: [...profile.registry, record], updatedAt: at });
  await store.audit({ kind: 'physician.registry.added', actorId: actor!.id, at, subject: physicianId, detail: { index: profile.registry.length, ...record } });
  return { ok: true, value: record };
}

/**
 * Dates a registry record invalid, with the reason (000: the record stays, with its dates). The
 * record is named by its index: records are only ever appended, so an index never moves.
 */
export async function invalidateRegistryRecord(
  store: Store,
  cx: Now,
  physicianId: string,
  index: number,
  input: { invalidOn: string; reason: string },
  actor: RegistryActor | undefined,
): Promise<RuleResult<RegistryRecordRow>> {
  const problem = reasonProblem(input.reason, '失效原因');
  if (problem) return fail(problem);
  if (!isIsoDate(input.invalidOn)) return fail('请填写失效日期');
  const denied = editorProblem(actor);
  if (denied) return fail(denied);
  const profile = await store.get('physicians', physicianId);
  const record = profile?.registry[index];
  if (!profile || !record) return fail('该认定医师库记录不存在');
  if (record.invalidOn !== null) return fail(`该记录已于 ${record.invalidOn} 失效`);
  if (input.invalidOn < record.registeredOn) return fail(`失效日期不能早于登记日期 ${record.registeredOn}`);
  const at = cx.now.toISOString();
  const updated: RegistryRecordRow = { ...record, invalidOn: input.invalidOn, invalidReason: input.reason.trim() };
  await store.put('physicians', { ...profile, registry: profile.registry.map((r, i) => (i === index ? updated : r)), updatedAt: at });
  await store.audit({
    kind: 'physician.registry.invalidated',
    actorId: actor!.id,
    at,
    subject: physicianId,
    detail: { index, institutionCode: record.institutionCode, department: record.department, registeredOn: record.registeredOn, invalidOn: updated.invalidOn, reason: updated.invalidReason },
  });
  return { ok: true, value: updated };
}

/**
 * The 医保办 keeps the physician after a refusal-limit flag (e.g. the refusals were justified):
 * the flag goes, the reason and the flag itself stay in the audit chain.
 */
export async function clearFlag(store: Store, cx: Now, physicianId: string, reason: string, actor: RegistryActor | undefined): Promise<RuleResult> {
  const problem = reasonProblem(reason, '解除标记的理由') ?? editorProblem(actor);
  if (problem) return fail(problem);
  const profile = await store.get('physicians', physicianId);
  if (!profile) return fail('该认定医师不存在');
  if (!profile.flag) return fail('该医师没有待处理的标记');
  const at = cx.now.toISOString();
  // The streak starts again from here: the refusals the 医保办 has just judged are not counted twice.
  await store.put('physicians', { ...profile, flag: null, streakFrom: at, updatedAt: at });
  await store.audit({ kind: 'physician.flag.cleared', actorId: actor!.id, at, subject: physicianId, detail: { reason: reason.trim(), flag: profile.flag } });
  return { ok: true, value: undefined };
}

/** Indexes of the records at the institution that are in force on the date (what a flag's 取消认定资格 ends). */
export function activeRecordIndexes(profile: Pick<PhysicianProfile, 'registry'>, institutionCode: string | undefined, onDate: IsoDate): number[] {
  return profile.registry.flatMap((r, i) => ((institutionCode === undefined || r.institutionCode === institutionCode) && isActiveOn(r, onDate) ? [i] : []));
}

/**
 * The other outcome of a refusal-limit flag (002: the expert loses the role): every record in
 * force today (China date of `cx.now`) at the institution is dated invalid today, and the flag,
 * now acted on, goes.
 */
export async function revokeForFlag(
  store: Store,
  cx: Now,
  physicianId: string,
  institutionCode: string | undefined,
  reason: string,
  actor: RegistryActor | undefined,
): Promise<RuleResult<{ invalidated: number }>> {
  const problem = reasonProblem(reason, '取消认定资格的说明') ?? editorProblem(actor);
  if (problem) return fail(problem);
  const today = chinaDateOf(cx.now);
  const profile = await store.get('physicians', physicianId);
  if (!profile) return fail('该认定医师不存在');
  if (!profile.flag) return fail('该医师没有待处理的标记');
  const indexes = activeRecordIndexes(profile, institutionCode, today);
  if (indexes.length === 0) return fail('该医师目前没有在库的认定医师库记录，无需取消资格；如要结束标记，请选择“解除标记”并说明');
  const at = cx.now.toISOString();
  const invalidReason = `连续 ${profile.flag.streak} 次不受理或拒绝受理：${reason.trim()}`;
  const registry = profile.registry.map((r, i) => (indexes.includes(i) ? { ...r, invalidOn: today, invalidReason } : r));
  await store.put('physicians', { ...profile, registry, flag: null, updatedAt: at });
  await store.audit({
    kind: 'physician.registry.invalidated',
    actorId: actor!.id,
    at,
    subject: physicianId,
    detail: { cause: 'refusal-limit', indexes, invalidOn: today, reason: invalidReason, flag: profile.flag },
  });
  return { ok: true, value: { invalidated: indexes.length } };
}
