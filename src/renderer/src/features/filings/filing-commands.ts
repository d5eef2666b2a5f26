/**
 * The 医保办's filing actions as commands to the hospital server, which keeps the platform outbox
 * (src/shared/hospital/filings.ts): a batch submitted (2503), a filing revoked (2504) or corrected,
 * a set-aside message sent again or closed. Each is validated here with the server's own payload
 * schema, so a missing reason is said at once, then saved in the desk's command outbox; what the
 * server makes of it comes back in the pulled `filings`, `filingBatches` and `certifications`.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { commandPayloads, type CommandKind, type CommandPayload } from '../../../../shared/hospital/commands';
import type { WorkstationDb } from '../../db/db';
import { getDb } from '../../db/db';
import { queueCommand, type DeskCommand } from '../../hospital/desk-commands';

export type FilingCommandKind = Extract<CommandKind, `filing.${string}`>;

/** A batch's id, made at the desk (the server keeps it, so the desk finds its batch again). */
export const newBatchId = () => `batch-${globalThis.crypto.randomUUID()}`;

/** The payload as the server will check it; throws the first problem, in Chinese. */
export function checkedPayload<K extends FilingCommandKind>(kind: K, payload: CommandPayload<K>): CommandPayload<K> {
  const r = commandPayloads[kind].safeParse(payload);
  if (!r.success) throw new Error(r.error.issues[0]?.message ?? '内容不完整');
  return r.data as CommandPayload<K>;
}

async function queueFiling<K extends FilingCommandKind>(db: WorkstationDb, kind: K, payload: CommandPayload<K>, userId: string, now: Date): Promise<DeskCommand> {
  return queueCommand(db, { kind, payload: checkedPayload(kind, payload), userId, now });
}

/** Submits certifications as one batch: one `filing.submit` command with a new batch id. */
export async function submitFilingBatch(db: WorkstationDb, userId: string, certificationIds: readonly string[], now = new Date()): Promise<{ batchId: string; command: DeskCommand }> {
  const batchId = newBatchId();
  const command = await queueFiling(db, 'filing.submit', { batchId, certificationIds: [...certificationIds] }, userId, now);
  return { batchId, command };
}

export const revokeFiling = (db: WorkstationDb, userId: string, certificationId: string, reason: string, now = new Date()) =>
  queueFiling(db, 'filing.revoke', { certificationId, reason }, userId, now);

export const correctFiling = (db: WorkstationDb, userId: string, payload: CommandPayload<'filing.correct'>, now = new Date()) => queueFiling(db, 'filing.correct', payload, userId, now);

export const retryFiling = (db: WorkstationDb, userId: string, filingId: string, now = new Date()) => queueFiling(db, 'filing.retry', { filingId }, userId, now);

export const dismissFiling = (db: WorkstationDb, userId: string, filingId: string, note: string, now = new Date()) =>
  queueFiling(db, 'filing.dismiss', { filingId, note }, userId, now);

/** An administrator's filing without a concluded certification, with the reason. */
export const manualFiling = (db: WorkstationDb, userId: string, payload: CommandPayload<'filing.manual'>, now = new Date()) => queueFiling(db, 'filing.manual', payload, userId, now);

const isFiling = (c: DeskCommand): boolean => c.kind.startsWith('filing.');

/** The desk's filing commands the server has not applied (pending, or refused and not yet read), oldest first. */
export async function openFilingCommands(db: WorkstationDb): Promise<DeskCommand[]> {
  const rows = await db.deskCommands.where('state').anyOf(['pending', 'refused']).toArray();
  return rows.filter(isFiling).sort((a, b) => a.seq - b.seq);
}

export function useOpenFilingCommands(): DeskCommand[] | undefined {
  return useLiveQuery(() => openFilingCommands(getDb()), []);
}

/** The certification a filing command is about, if it names one. */
export function commandCertificationIds(c: DeskCommand): string[] {
  const p = (c.payload ?? {}) as Record<string, unknown>;
  if (c.kind === 'filing.submit') return Array.isArray(p.certificationIds) ? (p.certificationIds as string[]) : [];
  return typeof p.certificationId === 'string' ? [p.certificationId] : [];
}

/** The filing a filing command is about (retry, dismiss). */
export const commandFilingId = (c: DeskCommand): string | null => {
  const id = (c.payload as { filingId?: unknown } | null)?.filingId;
  return typeof id === 'string' ? id : null;
};

export const commandBatchId = (c: DeskCommand): string | null => {
  if (c.kind !== 'filing.submit') return null;
  const id = (c.payload as { batchId?: unknown } | null)?.batchId;
  return typeof id === 'string' ? id : null;
};

/** The `filing.submit` command that made a batch, if this desk made it (any state). */
export async function batchCommand(db: WorkstationDb, batchId: string): Promise<DeskCommand | undefined> {
  const rows = await db.deskCommands.filter((c) => c.kind === 'filing.submit' && commandBatchId(c) === batchId).toArray();
  return rows.sort((a, b) => b.seq - a.seq)[0];
}

/** The latest unsettled filing command per certification (pending over refused). */
export function commandsByCertification(rows: readonly DeskCommand[]): Map<string, DeskCommand> {
  const m = new Map<string, DeskCommand>();
  for (const c of rows) {
    for (const id of commandCertificationIds(c)) {
      const had = m.get(id);
      if (!had || c.state === 'pending' || had.state !== 'pending') m.set(id, c);
    }
  }
  return m;
}
