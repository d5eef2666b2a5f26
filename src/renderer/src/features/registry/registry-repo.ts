/**
 * The certifying-physician registry (认定医师库) and this hospital's facts, as the 医保办 keeps
 * them (domain.md §2). The rules are shared with the hospital server (src/shared/cases/registry.ts);
 * here each change opens the desk's transaction, reads the acting account from the desk's cache
 * and runs the rule on IndexedDB, so the change commits with its audit entry or not at all.
 */
import { z } from 'zod';
import type { AuditEntry } from '../../../../shared/audit/chain';
import * as rules from '../../../../shared/cases/registry';
import type { NewRegistryRecord, ProfileInput, RegistryActor } from '../../../../shared/cases/registry';
import type { PhysicianProfile, RegistryRecordRow } from '../../../../shared/domain/physician';
import type { User } from '../../../../shared/domain/user';
import type { InstitutionFacts } from '../../../../shared/policy/physician';
import { institutionKindSchema, institutionLevelSchema } from '../../../../shared/policy/schema';
import { appendAudit } from '../../db/audit';
import type { WorkstationDb } from '../../db/db';
import { dexieStore } from '../../db/dexie-store';
import { worksThroughServer, runOnline } from '../../hospital/desk-session';
import type { CommandPayload } from '../../../../shared/hospital/commands';
import type { RepoResult } from '../cases/assignment-repo';
import { INSTITUTION_KEY } from '../cases/useReviewContext';

export { canEditRegistry, reasonProblem, REGISTRY_EDITORS } from '../../../../shared/cases/registry';
export type { NewRegistryRecord, ProfileInput } from '../../../../shared/cases/registry';

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

/**
 * Through the hospital server the registry is the server's: the change is sent at once and the
 * answer (with the server's reason when it refuses) comes back with the rows it changed.
 */
async function viaServer<T>(send: () => Promise<unknown>, read: () => Promise<T>): Promise<RepoResult<T>> {
  try {
    await send();
    return { ok: true, value: await read() };
  } catch (e) {
    return fail(e instanceof Error ? e.message : String(e));
  }
}

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

/** The acting account as this desk knows it (read inside the change's transaction). */
const actorOf = (db: WorkstationDb, actorId: string): Promise<RegistryActor | undefined> => db.users.get(actorId);

/** The tables a registry change touches. */
const registryTables = (db: WorkstationDb) => [db.physicians, db.users, db.audit];

/**
 * Creates or updates the profile of a physician account. The name follows the account; a profile
 * with no account (the demo roster) keeps its own. Registry records and the flag are not touched.
 */
export async function saveProfile(db: WorkstationDb, physicianId: string, input: ProfileInput, actorId: string, now = new Date()): Promise<RepoResult<PhysicianProfile>> {
  if (worksThroughServer()) return viaServer(() => runOnline('registry.save-profile', { physicianId, profile: input as CommandPayload<'registry.save-profile'>['profile'] }), async () => (await db.physicians.get(physicianId))!);
  return db.transaction('rw', registryTables(db), async () => {
    const actor = await actorOf(db, actorId);
    const account = await db.users.get(physicianId);
    return rules.saveProfile(dexieStore(db), { now }, physicianId, input, account, actor);
  });
}

/** Adds a 认定医师库 record; refused when it overlaps a record still in force at the same institution. */
export async function addRegistryRecord(db: WorkstationDb, physicianId: string, input: NewRegistryRecord, actorId: string, now = new Date()): Promise<RepoResult<RegistryRecordRow>> {
  if (worksThroughServer()) return viaServer(() => runOnline('registry.add-record', { physicianId, record: input as CommandPayload<'registry.add-record'>['record'] }), async () => (await db.physicians.get(physicianId))!.registry.at(-1)!);
  return db.transaction('rw', registryTables(db), async () => rules.addRegistryRecord(dexieStore(db), { now }, physicianId, input, await actorOf(db, actorId)));
}

/**
 * Dates a registry record invalid, with the reason (000: the record stays, with its dates). The
 * record is named by its index: records are only ever appended, so an index never moves.
 */
export function invalidateRegistryRecord(
  db: WorkstationDb,
  physicianId: string,
  index: number,
  input: { invalidOn: string; reason: string },
  actorId: string,
  now = new Date(),
): Promise<RepoResult<RegistryRecordRow>> {
  if (worksThroughServer()) return viaServer(() => runOnline('registry.invalidate-record', { physicianId, index, ...input }), async () => (await db.physicians.get(physicianId))!.registry[index]!);
  return db.transaction('rw', registryTables(db), async () => rules.invalidateRegistryRecord(dexieStore(db), { now }, physicianId, index, input, await actorOf(db, actorId)));
}

/**
 * The 医保办 keeps the physician after a refusal-limit flag (e.g. the refusals were justified):
 * the flag goes, the reason and the flag itself stay in the audit chain.
 */
export async function clearFlag(db: WorkstationDb, physicianId: string, reason: string, actorId: string, now = new Date()): Promise<RepoResult> {
  if (worksThroughServer()) return viaServer(() => runOnline('registry.clear-flag', { physicianId, reason }), async () => undefined);
  return db.transaction('rw', registryTables(db), async () => rules.clearFlag(dexieStore(db), { now }, physicianId, reason, await actorOf(db, actorId)));
}

/**
 * The other outcome of a refusal-limit flag (002: the expert loses the role): every record in
 * force today at the institution is dated invalid today, and the flag, now acted on, goes.
 */
export async function revokeForFlag(db: WorkstationDb, physicianId: string, institutionCode: string | undefined, reason: string, actorId: string, now = new Date()): Promise<RepoResult<{ invalidated: number }>> {
  if (worksThroughServer()) {
    let answer: unknown;
    return viaServer(async () => (answer = await runOnline('registry.revoke-for-flag', { physicianId, reason })), async () => answer as { invalidated: number });
  }
  return db.transaction('rw', registryTables(db), async () => rules.revokeForFlag(dexieStore(db), { now }, physicianId, institutionCode, reason, await actorOf(db, actorId)));
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
  if (worksThroughServer()) return viaServer(() => runOnline('hospital.facts', parsed.data), async () => (await db.settings.get(INSTITUTION_KEY))?.value as InstitutionFacts);
  return db.transaction('rw', db.settings, db.users, db.audit, async () => {
    const denied = rules.editorProblem(await actorOf(db, actorId));
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
