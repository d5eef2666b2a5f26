/**
 * The desk's outbox of commands to the hospital server (architecture.md §10). A person's action is
 * saved here, with strict durability and in the same transaction as its effect on the desk's own
 * copy, before the desk says 已保存; the sync engine then sends it. A command's row stays after
 * the server answers: applied ones until they age out, refused ones until a person deals with
 * them — with everything the user entered, and the server's reason.
 */
import type { Transaction } from 'dexie';
import type { CommandKind, CommandPayload } from '../../../shared/hospital/commands';
import type { Command, CommandResult } from '../../../shared/hospital/protocol';
import { commandIds, type RuleResult } from '../../../shared/cases/context';
import type { WorkstationDb } from '../db/db';

/** `acknowledged`: refused, and the user has read why (kept, no longer counted). */
export type DeskCommandState = 'pending' | 'applied' | 'refused' | 'acknowledged';

export interface DeskCommand {
  id: string;
  /** The desk's order of sending (commands go out in the order people made them). */
  seq: number;
  kind: CommandKind;
  at: string;
  payload: unknown;
  userId: string;
  caseId: string | null;
  state: DeskCommandState;
  /** The server's answer: a refusal's reason, an applied command's value. */
  reason: string | null;
  value: unknown;
  attempts: number;
  lastError: string | null;
  answeredAt: string | null;
  /** Whose case, as the desk read it when the server refused the command (the case may leave the desk after). */
  caseLabel?: string;
}

export const newCommandId = () => `cmd-${globalThis.crypto.randomUUID()}`;

/** A new command as the outbox keeps it, next in this desk's order. Call inside a transaction on deskCommands. */
async function pendingRow(db: WorkstationDb, c: Pick<DeskCommand, 'id' | 'kind' | 'at' | 'payload' | 'userId' | 'caseId'>): Promise<DeskCommand> {
  const last = await db.deskCommands.orderBy('seq').last();
  return { ...c, seq: (last?.seq ?? 0) + 1, state: 'pending', reason: null, value: undefined, attempts: 0, lastError: null, answeredAt: null };
}

const listeners = new Set<() => void>();
/** The sync engine listens: a new command is sent at once when the server is reachable. */
export function onCommandQueued(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/**
 * Queues a command; `effect` applies it to the desk's copy in the same transaction (pass the
 * tables it touches in `tables`). Resolves once both are durably stored.
 */
export async function queueCommand<K extends CommandKind>(
  db: WorkstationDb,
  input: { kind: K; payload: CommandPayload<K>; userId: string; caseId?: string | null; now?: Date; id?: string },
  effect?: { tables: Parameters<WorkstationDb['transaction']>[1][]; run: (tx: Transaction) => Promise<void> },
): Promise<DeskCommand> {
  const tables = [db.deskCommands, ...(effect?.tables ?? [])] as never[];
  const row = await db.transaction('rw', tables, async (tx) => {
    const cmd = await pendingRow(db, { id: input.id ?? newCommandId(), kind: input.kind, at: (input.now ?? new Date()).toISOString(), payload: input.payload, userId: input.userId, caseId: input.caseId ?? null });
    await db.deskCommands.add(cmd);
    await effect?.run(tx);
    return cmd;
  });
  for (const fn of listeners) fn();
  return row;
}

/**
 * A person's action at this desk: its effect on the desk's copy (the shared rule, run with
 * authority 'desk', so nothing the server alone decides is guessed) and the command that carries
 * it to the server, in one transaction; nothing is queued when the rule refuses here. The rule
 * makes its ids from the command's id, as the server will.
 */
export async function withCommand<K extends CommandKind, T>(
  db: WorkstationDb,
  tables: Parameters<WorkstationDb['transaction']>[1][],
  input: { kind: K; payload: CommandPayload<K> | ((value: T) => CommandPayload<K>); userId: string; now: Date },
  effect: (newId: (prefix: string) => string) => Promise<RuleResult<T>>,
  caseIdOf: (value: T) => string | null | undefined,
): Promise<RuleResult<T>> {
  const id = newCommandId();
  const r = await db.transaction('rw', [db.deskCommands, ...tables] as never[], async () => {
    const done = await effect(commandIds(id));
    if (!done.ok) return done;
    const payload = typeof input.payload === 'function' ? (input.payload as (value: T) => CommandPayload<K>)(done.value) : input.payload;
    await db.deskCommands.add(await pendingRow(db, { id, kind: input.kind, at: input.now.toISOString(), payload, userId: input.userId, caseId: caseIdOf(done.value) ?? null }));
    return done;
  });
  if (r.ok) for (const fn of listeners) fn();
  return r;
}

export const toWire = (c: DeskCommand): Command => ({ id: c.id, kind: c.kind, at: c.at, payload: c.payload, ...(c.caseId ? { caseId: c.caseId } : {}) });

/** Records the server's answers (one transaction, one read and one write of the outbox). */
export async function recordResults(db: WorkstationDb, results: readonly CommandResult[], now = new Date()): Promise<void> {
  await db.transaction('rw', db.deskCommands, db.cases, async () => {
    const rows = await db.deskCommands.bulkGet(results.map((r) => r.id));
    const answered: DeskCommand[] = [];
    for (const [i, r] of results.entries()) {
      const row = rows[i];
      if (!row || row.state !== 'pending') continue;
      if (r.state === 'applied') {
        answered.push({ ...row, state: 'applied', value: r.value, reason: null, answeredAt: now.toISOString(), lastError: null });
        continue;
      }
      // A refused command's case often leaves this desk right after (lapsed, redrawn): keep whose it was.
      const c = row.caseId ? await db.cases.get(row.caseId) : undefined;
      answered.push({ ...row, state: 'refused', reason: r.reason, answeredAt: now.toISOString(), lastError: null, ...(c ? { caseLabel: `${c.personName} · ${c.diseaseName}` } : {}) });
    }
    await db.deskCommands.bulkPut(answered);
  });
}

/** The user has read a refusal: the row stays, with what they entered and the reason; it stops counting in the header. */
export async function acknowledgeRefusal(db: WorkstationDb, id: string): Promise<void> {
  await db.transaction('rw', db.deskCommands, async () => {
    const row = await db.deskCommands.get(id);
    if (row?.state === 'refused') await db.deskCommands.put({ ...row, state: 'acknowledged' });
  });
  for (const fn of listeners) fn();
}

/** Commands not yet answered, in order, for one user (a command goes with its own user's session). */
export function pendingCommands(db: WorkstationDb, userId: string, limit = 100): Promise<DeskCommand[]> {
  return db.deskCommands
    .where('[userId+state]')
    .equals([userId, 'pending'])
    .sortBy('seq')
    .then((rows) => rows.slice(0, limit));
}
