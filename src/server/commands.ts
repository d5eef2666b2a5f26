/**
 * Commands, applied exactly once. A push is one transaction under the write lock; each command
 * runs in a savepoint of its own, so a refused one leaves no trace but its answer, and its id is
 * recorded with its effect: a repeat (the desk resending after a lost answer) gets the first
 * answer and changes nothing. Each kind says who may send it, and the rules of src/shared decide.
 */
import { sql } from 'drizzle-orm';
import type { ZodType } from 'zod';
import { commandPayloads, type CommandKind, type CommandPayload } from '../shared/hospital/commands';
import type { Command, CommandResult } from '../shared/hospital/protocol';
import type { Role } from '../shared/domain/user';
import type { Assignment } from '../shared/domain/review';
import { OFFICE_ASSIGNEE } from '../shared/domain/work-item';
import { acceptAssignment, refuseAssignment } from '../shared/cases/assignment';
import { redrawCase, takeApplication } from '../shared/cases/intake';
import { pauseForSupplement, resumeAfterSupplement } from '../shared/cases/supplement';
import { recomputeDeadlines } from '../shared/cases/deadlines';
import { concludeAssignment } from '../shared/cases/review';
import { saveRecognition } from '../shared/cases/recognition';
import { addRegistryRecord, clearFlag, invalidateRegistryRecord, REGISTRY_EDITORS, revokeForFlag, saveProfile } from '../shared/cases/registry';
import { commandIds, type CaseContext, type ReviewContext } from '../shared/cases/context';
import { accountById, AuthError, insertAccount, publishAccount, type PasswordPolicy, type Session } from './auth';
import type { Orm } from './database';
import { countCommands, WRITE_LOCK, type Hospital } from './hospital';
import { hashPassword } from './passwords';
import { reviewContext, SETTING_KEYS } from './policy';
import { BatchStore } from './batch-store';
import { filingHandlers } from './filing-commands';
import { insertItems } from './outbox';
import { PgStore, rowsOf, type ServerStore } from './store';
import { OFFICE_SHARE, type ConflictRow } from '../shared/hospital/protocol';
import { parseCalendarFile, parsePolicyPack } from '../shared/policy';
import { chinaDateOf } from '../shared/time';
import { normalizeCertNo } from '../shared/review/intake-person';
import type { TableName } from '../shared/store/store';

/** A command's refusal, with the reason the person reads. */
class Refused extends Error {}

/** The server failed while applying a command: the push is answered 503 and the desk sends it again. */
export class ServerFault extends Error {
  constructor(
    readonly kind: string,
    override readonly cause: unknown,
  ) {
    super('院内服务器暂时无法处理此操作，已保留在本机，稍后自动重试');
  }
}

export type Outcome = { ok: true; value?: unknown } | { ok: false; message: string };

export interface Applying<K extends CommandKind> {
  payload: CommandPayload<K>;
  command: Command;
  session: Session;
  store: ServerStore;
  tx: Orm;
  h: Hospital;
  /** The pack, calendar and hospital now, with this command's clock, ids and seeds. */
  cases: () => Promise<CaseContext>;
  /** What `prepare` made before the transaction (a password's hash). */
  prepared: unknown;
}

export interface Handler<K extends CommandKind> {
  roles: readonly Role[];
  /**
   * Writes some table through `tx` itself, or reads `records` through it: the push's deferred
   * writes are flushed first, and the command runs at once in a savepoint of its own. Any other
   * handler may use `tx` to read tables the store does not hold (accounts, blobs) only.
   */
  raw?: true;
  /** What the command will look up by field, read ahead for the whole push in one query per table and field. */
  prefetch?: (payload: CommandPayload<K>) => { table: TableName; field: string; value: string }[];
  /** Slow work done before the write lock is taken (hashing a password). */
  prepare?: (payload: CommandPayload<K>, policy: PasswordPolicy) => Promise<unknown>;
  apply(a: Applying<K>): Promise<Outcome>;
}

/** Why a conclusion on an offer that is no longer the reviewer's cannot stand. */
const GONE: Partial<Record<Assignment['state'], string>> = {
  lapsed: '该分配已超过受理时限，已收回并重新抽取',
  refused: '该分配已被拒绝并重新抽取',
  withdrawn: '该分配已被医保办收回',
  completed: '该环节已经作出结论',
};

/** Decisions that lost a race go to the 医保办 to resolve (a refused note or lookup does not). */
const DECISIONS: ReadonlySet<string> = new Set(['case.conclude']);

const OFFICE: readonly Role[] = ['office', 'admin'];
const ADMIN: readonly Role[] = ['admin'];
const REVIEWERS: readonly Role[] = ['physician', 'office', 'admin'];

const handlers: { [K in CommandKind]: Handler<K> } = {
  'case.take': {
    roles: OFFICE,
    prefetch(payload) {
      const key = normalizeCertNo(payload.person.certType, payload.person.certNo);
      return [
        ...(key ? [{ table: 'persons' as const, field: 'certNo', value: key }, { table: 'cases' as const, field: 'certNo', value: key }] : []),
        ...(payload.person.psnNo ? [{ table: 'persons' as const, field: 'psnNo', value: payload.person.psnNo }] : []),
      ];
    },
    async apply({ payload, store, tx, session, cases }) {
      const hashes = [...new Set((payload.materials ?? []).map((m) => m.sha256))];
      if (hashes.length) {
        const stored = rowsOf<{ sha256: string }>(await tx.execute(sql`select sha256 from blobs where sha256 = any(${sql.param(hashes)}::text[])`)).map((r) => r.sha256);
        const missing = hashes.length - stored.length;
        if (missing) return { ok: false, message: `有 ${missing} 份材料文件尚未上传到院内服务器，请稍后重试` };
      }
      const cx = await cases();
      const r = await takeApplication(store, cx, payload, session.user);
      if (!r.ok) return { ok: false, message: r.message };
      const caseRow = await store.get('cases', r.value.caseId);
      if (!caseRow) return { ok: false, message: '案件未能保存' };
      const year = chinaDateOf(cx.now).slice(0, 4);
      const caseNo = `${year}-${String(await store.nextCounter(`case:${year}`)).padStart(6, '0')}`;
      await store.put('cases', { ...caseRow, caseNo });
      return { ok: true, value: { ...r.value, caseNo } };
    },
  },
  'material.attach': {
    roles: OFFICE,
    async apply({ payload, store, tx, h, session }) {
      const m = await store.get('materials', payload.materialId);
      if (!m) return { ok: false, message: '该材料不存在' };
      const held = rowsOf(await tx.execute(sql`select 1 as one from blobs where sha256 = ${payload.sha256}`))[0];
      if (!held) return { ok: false, message: '材料文件尚未上传到院内服务器，请稍后重试' };
      await store.put('materials', { ...m, sha256: payload.sha256, size: payload.size, mime: payload.mime, attachmentId: payload.attachmentId });
      await store.audit({ kind: 'material.attached', actorId: session.user.id, at: h.now().toISOString(), subject: m.caseId, detail: { materialId: m.id, sha256: payload.sha256 } });
      return { ok: true };
    },
  },
  'offer.accept': {
    roles: ['physician'],
    async apply({ payload, store, session, cases }) {
      return acceptAssignment(store, await cases(), payload.assignmentId, session.user.id);
    },
  },
  'offer.refuse': {
    roles: ['physician'],
    async apply({ payload, store, session, cases }) {
      return refuseAssignment(store, await cases(), payload.assignmentId, session.user.id, payload.reason);
    },
  },
  'case.redraw': {
    roles: OFFICE,
    async apply({ payload, store, session, cases }) {
      return redrawCase(store, await cases(), payload.caseId, session.user);
    },
  },
  'case.supplement-start': {
    roles: OFFICE,
    async apply({ payload, store, session, cases }) {
      return pauseForSupplement(store, await cases(), payload.caseId, session.user.id);
    },
  },
  'case.supplement-end': {
    roles: OFFICE,
    async apply({ payload, store, session, cases }) {
      return resumeAfterSupplement(store, await cases(), payload.caseId, session.user.id);
    },
  },
  'case.conclude': {
    roles: REVIEWERS,
    async apply({ payload, command, store, session, cases, h }) {
      const assignment = await store.get('assignments', payload.assignmentId);
      if (!assignment) return { ok: false, message: '该分配不存在' };
      const own = assignment.reviewerId === session.user.id || (assignment.reviewerId === OFFICE_ASSIGNEE && session.user.role !== 'physician');
      if (!own) return { ok: false, message: '该分配不是您的，结论未被采用' };
      const gone = GONE[assignment.state];
      if (gone) return { ok: false, message: `${gone}，此结论未被采用，已转医保办处理` };
      return concludeAssignment(store, await cases(), {
        assignmentId: payload.assignmentId,
        reviewer: { id: session.user.id, name: session.user.displayName, role: session.user.role },
        conclusion: payload.conclusion,
        criteriaMet: payload.criteriaMet,
        // Sent a minute or more after it was made (offline): keep the desk's time beside the server's.
        ...(h.now().getTime() - Date.parse(command.at) >= 60_000 ? { madeAt: command.at } : {}),
      });
    },
  },
  'user.create': {
    roles: ADMIN,
    raw: true,
    prepare: (p, policy) => hashPassword(p.password, policy.scrypt),
    async apply({ payload, store, tx, h, session, prepared }) {
      const { password: _secret, ...fields } = payload;
      const user = await insertAccount(h, store, tx, { ...fields, passwordHash: prepared as string }, session.user.id, true);
      return { ok: true, value: { userId: user.id } };
    },
  },
  'user.update': {
    roles: ADMIN,
    raw: true,
    async apply({ payload, store, tx, h, session }) {
      const a = await accountById(tx, payload.userId);
      if (!a) return { ok: false, message: '账户不存在' };
      if (a.id === session.user.id && (payload.role && payload.role !== 'admin' || payload.disabled)) return { ok: false, message: '不能停用自己或取消自己的管理员角色' };
      if (a.role === 'admin' && (payload.role && payload.role !== 'admin' || payload.disabled)) {
        const admins = rowsOf<{ n: number | string }>(await tx.execute(sql`select count(*) as n from accounts where role = 'admin' and not disabled`))[0];
        if (Number(admins?.n ?? 0) <= 1) return { ok: false, message: '至少要保留一个可用的管理员账户' };
      }
      await tx.execute(sql`
        update accounts set
          display_name = coalesce(${payload.displayName ?? null}, display_name),
          role = coalesce(${payload.role ?? null}, role),
          department = case when ${payload.department === undefined} then department else ${payload.department ?? null} end,
          disabled = coalesce(${payload.disabled ?? null}, disabled)
        where id = ${a.id}`);
      if (payload.disabled) await tx.execute(sql`delete from sessions where user_id = ${a.id}`);
      await store.audit({ kind: 'user.updated', actorId: session.user.id, at: h.now().toISOString(), subject: a.id, detail: { ...payload } });
      await publishAccount(h, store, tx, a.id);
      return { ok: true };
    },
  },
  'user.reset-password': {
    roles: ADMIN,
    raw: true,
    prepare: (p, policy) => hashPassword(p.password, policy.scrypt),
    async apply({ payload, store, tx, h, session, prepared }) {
      const a = await accountById(tx, payload.userId);
      if (!a) return { ok: false, message: '账户不存在' };
      await tx.execute(sql`update accounts set password_hash = ${prepared as string}, must_change_password = true, failed_logins = 0, locked_until = null where id = ${a.id}`);
      await tx.execute(sql`delete from sessions where user_id = ${a.id}`);
      await store.audit({ kind: 'user.password-reset', actorId: session.user.id, at: h.now().toISOString(), subject: a.id, detail: {} });
      await publishAccount(h, store, tx, a.id);
      return { ok: true };
    },
  },
  'user.unlock': {
    roles: ADMIN,
    raw: true,
    async apply({ payload, store, tx, h, session }) {
      const a = await accountById(tx, payload.userId);
      if (!a) return { ok: false, message: '账户不存在' };
      await tx.execute(sql`update accounts set failed_logins = 0, locked_until = null where id = ${a.id}`);
      await store.audit({ kind: 'user.unlocked', actorId: session.user.id, at: h.now().toISOString(), subject: a.id, detail: {} });
      await publishAccount(h, store, tx, a.id);
      return { ok: true };
    },
  },
  'policy.import-pack': {
    roles: ADMIN,
    async apply({ payload, store, h, session }) {
      const parsed = parsePolicyPack(payload.pack);
      if (!parsed.ok) return { ok: false, message: `政策包无效：${parsed.errors.join('；')}` };
      const { pack } = parsed;
      const at = h.now().toISOString();
      await putSetting(store, `${SETTING_KEYS.packPrefix}${pack.id}`, { id: pack.id, title: pack.title, version: pack.version, origin: 'imported', importedAt: at, pack });
      await store.audit({ kind: 'policy.imported', actorId: session.user.id, at, subject: pack.id, detail: { version: pack.version } });
      return { ok: true, value: { packId: pack.id } };
    },
  },
  'policy.activate': {
    roles: ADMIN,
    raw: true,
    async apply({ payload, store, tx, h, session }) {
      const ctx = await reviewContext(tx, h.resourcesDir, payload.packId).catch(() => undefined);
      if (!ctx || ctx.pack.id !== payload.packId) return { ok: false, message: `没有标识为 ${payload.packId} 的政策包` };
      await putSetting(store, SETTING_KEYS.activePack, payload.packId);
      await store.audit({ kind: 'policy.activated', actorId: session.user.id, at: h.now().toISOString(), subject: payload.packId, detail: {} });
      return { ok: true };
    },
  },
  'calendar.import': {
    roles: OFFICE,
    async apply({ payload, store, tx, h, session, cases }) {
      const parsed = parseCalendarFile(payload.file);
      if (!parsed.ok) return { ok: false, message: `节假日日历无效：${parsed.errors.join('；')}` };
      const { file } = parsed;
      // The settings as this push has left them (its earlier writes reach the database first), with this year's calendar in place.
      await cases();
      const cx = await reviewContext(tx, h.resourcesDir, undefined, { calendar: file });
      await putSetting(store, `${SETTING_KEYS.calendarPrefix}${file.year}`, file);
      await store.audit({ kind: 'calendar.imported', actorId: session.user.id, at: h.now().toISOString(), subject: String(file.year), detail: { status: file.status } });
      // Deadlines that waited for this year (or rested on a provisional one) are counted now, in
      // the push's unit of work: a few statements however many cases, so the write lock is brief.
      const changed = await recomputeDeadlines(store, { ...cx, now: h.now() }, String(file.year));
      return { ok: true, value: { year: file.year, recomputed: changed.length } };
    },
  },
  'hospital.facts': {
    roles: OFFICE,
    async apply({ payload, store, h, session }) {
      await putSetting(store, SETTING_KEYS.institution, payload);
      await store.audit({ kind: 'hospital.facts', actorId: session.user.id, at: h.now().toISOString(), subject: payload.code ?? 'hospital', detail: { ...payload } });
      return { ok: true };
    },
  },
  'recognition.record': {
    roles: REVIEWERS,
    // The platform message goes into the server's outbox (a table of its own).
    raw: true,
    async apply({ payload, store, session, cases, tx, h }) {
      // A physician decides on the results of cases they review; the 医保办 on any case of the hospital.
      if (session.user.role === 'physician') {
        const mine = (await store.find('assignments', 'caseId', [payload.caseId])).some((a) => a.reviewerId === session.user.id && a.state !== 'refused' && a.state !== 'lapsed');
        if (!mine) return { ok: false, message: '您不是该案件的审核人，不能记录互认' };
      }
      const cx = await cases();
      const physician = { id: session.user.id, displayName: session.user.displayName, department: session.user.department ?? undefined };
      // The message for the platform, in the province's code for the 互认 extension, goes into the server's outbox.
      const platform = h.platform && { key: await h.platform.key(), infno: (await h.platform.config()).recognitionInfno };
      const r = await saveRecognition(store, cx, cx.pack, { caseId: payload.caseId, resultId: payload.resultId, decision: payload.decision, physician, infno: platform?.infno ?? payload.infno }, async (entry) => {
        if (!platform) return '';
        const id = cx.newId('rc');
        await insertItems(tx, store, [{ id, message: entry.message, meta: { ...entry.meta, caseId: payload.caseId } }], platform.key, cx.now);
        return id;
      });
      return r.ok ? { ok: true, value: { recognitionId: r.value.recognition.id } } : r;
    },
  },
  'conflict.resolve': {
    roles: OFFICE,
    raw: true,
    async apply({ payload, store, tx, h, session }) {
      const row = rowsOf<{ data: ConflictRow }>(await tx.execute(sql`select data from records where tbl = 'conflicts' and id = ${payload.conflictId}`))[0]?.data;
      if (!row) return { ok: false, message: '没有这项冲突' };
      if (row.resolved) return { ok: false, message: `这项冲突已由他人处理（${row.resolved.note}）` };
      const resolved = { ...row, resolved: { by: session.user.id, at: h.now().toISOString(), note: payload.note } };
      await store.putRecord('conflicts', resolved as unknown as Record<string, unknown> & { id: string }, [OFFICE_SHARE]);
      await store.audit({ kind: 'command.conflict-resolved', actorId: session.user.id, at: h.now().toISOString(), subject: row.caseId ?? row.id, detail: { commandId: row.id, note: payload.note } });
      return { ok: true };
    },
  },
  // The registry (src/shared/cases/registry.ts): the acting account is the session's, never the desk's word.
  'registry.save-profile': {
    roles: REGISTRY_EDITORS,
    async apply({ payload, store, tx, h, session }) {
      const a = await accountById(tx, payload.physicianId);
      const account = a && { displayName: a.display_name, role: a.role };
      return saveProfile(store, { now: h.now() }, payload.physicianId, payload.profile, account, session.user);
    },
  },
  'registry.add-record': {
    roles: REGISTRY_EDITORS,
    async apply({ payload, store, h, session }) {
      return addRegistryRecord(store, { now: h.now() }, payload.physicianId, payload.record, session.user);
    },
  },
  'registry.invalidate-record': {
    roles: REGISTRY_EDITORS,
    async apply({ payload, store, h, session }) {
      return invalidateRegistryRecord(store, { now: h.now() }, payload.physicianId, payload.index, { invalidOn: payload.invalidOn, reason: payload.reason }, session.user);
    },
  },
  'registry.clear-flag': {
    roles: REGISTRY_EDITORS,
    async apply({ payload, store, h, session }) {
      return clearFlag(store, { now: h.now() }, payload.physicianId, payload.reason, session.user);
    },
  },
  ...filingHandlers,
  'registry.revoke-for-flag': {
    roles: REGISTRY_EDITORS,
    async apply({ payload, store, h, session, cases }) {
      // This hospital's records, by the code the server holds (not whatever the desk last saw).
      const { institution } = await cases();
      return revokeForFlag(store, { now: h.now() }, payload.physicianId, institution.code, payload.reason, session.user);
    },
  },
};

const putSetting = (store: ServerStore, key: string, value: unknown) => store.putRecord('settings', { id: key, key, value });

interface Prepared {
  command: Command;
  kind?: CommandKind;
  payload?: unknown;
  prepared?: unknown;
  /** Refused before the transaction: unknown kind, bad payload, wrong role. */
  early?: string;
}

async function prepare(command: Command, session: Session, policy: PasswordPolicy): Promise<Prepared> {
  if (!(command.kind in handlers)) return { command, early: `未知的操作：${command.kind}` };
  const kind = command.kind as CommandKind;
  const handler = handlers[kind] as Handler<CommandKind>;
  if (!handler.roles.includes(session.user.role)) return { command, kind, early: '您的角色无权执行此操作' };
  const parsed = (commandPayloads[kind] as ZodType).safeParse(command.payload);
  if (!parsed.success) return { command, kind, early: `操作内容无效：${parsed.error.issues.map((i) => i.message).join('；')}` };
  return { command, kind, payload: parsed.data, prepared: handler.prepare ? await handler.prepare(parsed.data as never, policy) : undefined };
}

interface StoredResult {
  desk_id: string;
  user_id: string | null;
  result: CommandResult;
}

/** A desk's push waiting for its turn at the write lock. */
interface Push {
  session: Session;
  prepared: Prepared[];
  done: (results: CommandResult[]) => void;
  failed: (e: unknown) => void;
}

interface Line {
  queue: Push[];
  running: boolean;
  /** Push requests received and not yet queued (being authenticated), and who waits for them. */
  arriving: number;
  arrived: (() => void)[];
}

/** Pushes that arrived while another group was being applied, per server. */
const waiting = new WeakMap<Hospital, Line>();

function lineOf(h: Hospital): Line {
  let line = waiting.get(h);
  if (!line) waiting.set(h, (line = { queue: [], running: false, arriving: 0, arrived: [] }));
  return line;
}

/** A push request has arrived; `done` once it is queued or refused. */
export function pushArriving(h: Hospital): { done(): void } {
  const line = lineOf(h);
  line.arriving++;
  let once = false;
  return {
    done() {
      if (once) return;
      once = true;
      line.arriving--;
      for (const fn of line.arrived.splice(0)) fn();
    },
  };
}

/**
 * Before a group is taken: while pushes that arrived are still being authenticated (on PGlite
 * they waited behind the last transaction), wait for them a little, so they join this group
 * rather than each waiting for a transaction of its own. A push alone waits for nothing.
 */
async function gather(line: Line) {
  const until = Date.now() + GATHER_MS;
  while (line.arriving > 0 && Date.now() < until) {
    await new Promise<void>((ok) => {
      const timer = setTimeout(ok, until - Date.now());
      line.arrived.push(() => {
        clearTimeout(timer);
        ok();
      });
    });
  }
}

/** The longest a group waits for pushes still arriving. */
const GATHER_MS = 20;

/** At most this many commands go into one transaction (several desks' pushes together). */
const GROUP_COMMANDS = 1000;

/**
 * Applies a desk's commands in order; answers one result per command, repeats included.
 *
 * Pushes from several desks that arrive while the write lock is busy are applied together, in
 * order of arrival, in the next transaction (group commit): each keeps its own session and its
 * own answers, and they share one commit's durable write. Should that transaction fail, each
 * push of the group is tried again alone, so one push's fault never fails another desk's.
 */
export async function applyCommands(h: Hospital, session: Session, commands: readonly Command[], policy: PasswordPolicy = {}): Promise<CommandResult[]> {
  // Repeats are answered without preparing again (a resent password reset must not hash twice);
  // asked only when some command has slow work to prepare, so that pushes reach the queue at once.
  const slow = commands.filter((c) => (handlers as Record<string, Handler<CommandKind>>)[c.kind]?.prepare);
  const known = slow.length ? await storedResults(h.db.orm, slow.map((c) => c.id)) : new Map<string, StoredResult>();
  const prepared = await Promise.all(commands.map((c) => (known.has(c.id) ? Promise.resolve<Prepared>({ command: c }) : prepare(c, session, policy))));
  const line = lineOf(h);
  const results = new Promise<CommandResult[]>((done, failed) => line.queue.push({ session, prepared, done, failed }));
  if (!line.running) void drain(h, line);
  return results;
}

async function drain(h: Hospital, line: Line) {
  line.running = true;
  try {
    while (line.queue.length) {
      await gather(line);
      // The group is taken once the lock is held: on PGlite (one connection) the pushes whose
      // requests waited for the previous transaction reach the queue while this one begins.
      const group: Push[] = [];
      const take = () => {
        let size = 0;
        while (line.queue.length && (group.length === 0 || size + line.queue[0]!.prepared.length <= GROUP_COMMANDS)) {
          const next = line.queue.shift()!;
          group.push(next);
          size += next.prepared.length;
        }
        return group;
      };
      try {
        const answers = await applyGroup(h, take);
        group.forEach((p, i) => p.done(answers[i]!));
      } catch (e) {
        if (group.length <= 1) group[0]?.failed(e);
        else
          for (const p of group) {
            try {
              p.done((await applyGroup(h, () => [p]))[0]!);
            } catch (alone) {
              p.failed(alone);
            }
          }
      }
    }
  } finally {
    line.running = false;
  }
}

/** One transaction under the write lock for the pushes `take` gives once the lock is held; their answers, in order. */
async function applyGroup(h: Hospital, take: () => readonly Push[]): Promise<CommandResult[][]> {
  let group: readonly Push[] = [];
  let changed: ReadonlySet<string> = new Set();
  let seq = 0;
  const shared: SharedContext = {};
  let settings = '';
  const answers = await h.db.orm
    .transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${WRITE_LOCK})`);
      group = take();
      const store = new BatchStore(tx, h.auditKey);
      // What every push reads, in one query: whether the settings and the registry are as the last
      // push read them (then the pack, calendars, hospital facts and physicians are reused), the
      // chain's head and this year's case counter.
      const counter = `case:${chinaDateOf(h.now()).slice(0, 4)}`;
      const state = await pushState(tx, counter);
      settings = state.settings;
      if (h.reviewCache?.settings === settings) shared.base = h.reviewCache.context;
      if (h.registryCache?.state !== state.physicians) {
        const rows = rowsOf<{ data: Record<string, unknown> & { id: string } }>(await tx.execute(sql`select data from records where tbl = 'physicians'`)).map((r) => r.data);
        h.registryCache = { state: state.physicians, rows };
      }
      store.seed({ auditHead: state.auditHead, counters: { [counter]: state.counter }, tables: { physicians: h.registryCache.rows } });
      const recorded: { command: Command; result: CommandResult; session: Session }[] = [];
      const done = await storedResults(tx, group.flatMap((p) => p.prepared.map((c) => c.command.id)));
      await store.prefetch(
        group.flatMap((push) =>
          push.prepared.flatMap((p) => (p.kind && p.early === undefined && !done.has(p.command.id) ? ((handlers[p.kind] as Handler<CommandKind>).prefetch?.(p.payload as never) ?? []) : [])),
        ),
      );
      const out: CommandResult[][] = [];
      for (const { session, prepared } of group) {
        const results: CommandResult[] = [];
        for (const p of prepared) {
          const { command } = p;
          const first = done.get(command.id);
          if (first) {
            results.push(first.desk_id === session.desk.id ? first.result : { id: command.id, state: 'refused', reason: '命令编号与其他工作站的命令重复' });
            continue;
          }
          const result = p.early !== undefined ? refused(command.id, p.early) : await applyOne(h, tx, session, p, store, shared);
          recorded.push({ command, result, session });
          done.set(command.id, { desk_id: session.desk.id, user_id: session.user.id, result });
          results.push(result);
        }
        out.push(results);
      }
      // The writes, in a few statements, and who now holds what.
      await store.finish().catch((e: unknown) => {
        throw new ServerFault([...new Set(recorded.map((r) => r.command.kind))].join('、'), e);
      });
      // Each command's id and answer, in the transaction of its effect (one statement).
      if (recorded.length) {
        const rows = recorded.map(({ command, result, session }) => ({ id: command.id, desk_id: session.desk.id, user_id: session.user.id, kind: command.kind.slice(0, 60), made_at: command.at, state: result.state, result }));
        await tx.execute(sql`
          insert into commands (id, desk_id, user_id, kind, made_at, state, result)
          select r.id, r.desk_id, r.user_id, r.kind, r.made_at, r.state, r.result
          from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(id text, desk_id text, user_id text, kind text, made_at timestamptz, state text, result jsonb)`);
      }
      const desks = [...new Set(group.map((p) => p.session.desk.id))];
      await tx.execute(sql`update desks set last_seen = ${h.now().toISOString()} where id = any(${sql.param(desks)}::text[])`);
      changed = store.changedShares;
      if (changed.size) seq = Number(rowsOf<{ seq: number | string }>(await tx.execute(sql`select last_value as seq from change_seq`))[0]?.seq ?? 0);
      return out;
    })
    .finally(() => {
      // Kept for the next push if no command of this one wrote a setting (committed or not).
      if (shared.base && !shared.wroteSettings) h.reviewCache = { settings, context: shared.base };
    });
  if (changed.size) h.hints.notify(changed, seq);
  const applied = answers.flat().filter((r) => r.state === 'applied');
  countCommands(h, applied.length);
  // Messages were queued or released: the platform runner looks now, after the commit.
  if (changed.has(OFFICE_SHARE)) h.platform?.kick();
  return answers;
}

const refused = (id: string, reason: string): CommandResult => ({ id, state: 'refused', reason });

/** The review context shared by a push's commands; dropped when one of them writes a setting. */
interface SharedContext {
  base?: Promise<ReviewContext>;
  /** A command of the transaction wrote a setting (the context was read again after it). */
  wroteSettings?: boolean;
}

/**
 * One command. Most run in a layer of the push's store (a refusal drops the layer); a `raw` one
 * runs at once, in a savepoint, after the push's deferred writes are flushed.
 */
async function applyOne(h: Hospital, tx: Orm, session: Session, p: Prepared, batch: BatchStore, shared: SharedContext): Promise<CommandResult> {
  const { command } = p;
  const handler = handlers[p.kind!] as Handler<CommandKind>;
  const now = h.now();
  const base = async (orm: Orm) => {
    // The context reads the settings from the database: a setting written earlier in this push goes there first.
    if (!shared.base && batch.settingsPending) await batch.flush();
    const made = (shared.base ??= reviewContext(orm, h.resourcesDir));
    made.catch(() => {
      if (shared.base === made) shared.base = undefined;
    });
    return made;
  };
  const ids = commandIds(command.id);
  const applying = (store: ServerStore, orm: Orm, fresh: (id: string) => string) => {
    let context: CaseContext | undefined;
    return handler.apply({
      payload: p.payload as never,
      command,
      session,
      store,
      tx: orm,
      h,
      prepared: p.prepared,
      cases: async () => (context ??= { ...(await base(orm)), now, newId: (prefix) => fresh(ids(prefix)), seed: h.seed }),
    });
  };
  try {
    let value: unknown;
    if (handler.raw) {
      await batch.flush();
      let store: PgStore | undefined;
      try {
        value = await tx.transaction(async (sp) => {
          store = new PgStore(sp, h.auditKey);
          const outcome = await applying(store, sp, (id) => id);
          if (!outcome.ok) throw new Refused(outcome.message);
          await store.finish();
          for (const s of store.changedShares) batch.changedShares.add(s);
          return outcome.value;
        });
      } finally {
        batch.invalidate();
        // An account may have changed (role, disabled, password reset): sessions are checked again.
        h.sessionCache.clear();
        if (store?.wroteSettings) {
          shared.base = undefined;
          shared.wroteSettings = true;
        }
      }
    } else {
      batch.begin();
      try {
        const outcome = await applying(batch, tx, (id) => batch.markFresh(id));
        if (!outcome.ok) throw new Refused(outcome.message);
        value = outcome.value;
      } catch (e) {
        batch.rollback();
        throw e;
      }
      if (batch.commit()) {
        shared.base = undefined;
        shared.wroteSettings = true;
      }
    }
    return value === undefined ? { id: command.id, state: 'applied' } : { id: command.id, state: 'applied', value };
  } catch (e) {
    if (e instanceof Refused) {
      if (DECISIONS.has(command.kind)) await recordConflict(h, session, command, e.message, batch);
      return refused(command.id, e.message);
    }
    if (e instanceof AuthError) return refused(command.id, e.message);
    // A fault of the server's own (a database error, a bug): nothing is recorded, so the desk's
    // resend is applied once the fault has passed; the push fails as a whole with a message that
    // carries no SQL and no patient data (the details go to the server's log only).
    throw new ServerFault(command.kind, e);
  }
}

interface PushState {
  /** Where the shared settings stand: any write or removal of one changes it. */
  settings: string;
  /** The same for the physician registry. */
  physicians: string;
  auditHead: { seq: number; hash: string } | null;
  counter: number;
}

async function pushState(tx: Orm, counter: string): Promise<PushState> {
  const row = rowsOf<{ settings: string; physicians: string; head_seq: number | string | null; head_hash: string | null; counter: number | string | null }>(
    await tx.execute(sql`
      select
        (select coalesce(max(seq), 0) || '/' || count(*) from records where tbl = 'settings') as settings,
        (select coalesce(max(seq), 0) || '/' || count(*) from records where tbl = 'physicians') as physicians,
        (select seq from audit order by seq desc limit 1) as head_seq,
        (select hash from audit order by seq desc limit 1) as head_hash,
        (select value from counters where name = ${counter}) as counter`),
  )[0]!;
  return {
    settings: row.settings,
    physicians: row.physicians,
    auditHead: row.head_seq === null || row.head_hash === null ? null : { seq: Number(row.head_seq), hash: row.head_hash },
    counter: Number(row.counter ?? 0),
  };
}

async function storedResults(orm: Orm, ids: readonly string[]): Promise<Map<string, StoredResult>> {
  if (ids.length === 0) return new Map();
  const rows = rowsOf<StoredResult & { id: string }>(await orm.execute(sql`select id, desk_id, user_id, result from commands where id = any(${sql.param([...ids])}::text[])`));
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * A refused decision, kept for the 医保办 with what the person entered (a conclusion reached
 * offline on an offer that was redrawn meanwhile): the office decides what becomes of it.
 */
async function recordConflict(h: Hospital, session: Session, command: Command, reason: string, store: BatchStore) {
  store.begin();
  const payload = command.payload as { assignmentId?: string };
  const assignment = payload.assignmentId ? await store.get('assignments', payload.assignmentId) : undefined;
  await store.putRecord(
    'conflicts',
    {
      id: command.id,
      kind: command.kind,
      caseId: assignment?.caseId ?? command.caseId ?? null,
      userId: session.user.id,
      userName: session.user.displayName,
      deskId: session.desk.id,
      madeAt: command.at,
      refusedAt: h.now().toISOString(),
      reason,
      payload: command.payload,
      resolved: null,
    },
    [OFFICE_SHARE],
  );
  await store.audit({ kind: 'command.conflict', actorId: session.user.id, at: h.now().toISOString(), subject: assignment?.caseId ?? command.id, detail: { commandId: command.id, kind: command.kind, reason } });
  store.commit();
}
