import { chainEntry, verifyChain, type AuditEvent, type ChainCheck } from '../../../shared/audit/chain';
import type { WorkstationDb } from './db';

/**
 * Appends an event to the audit chain. Call it inside the same Dexie transaction as the change it
 * records (include `db.audit` in the transaction's tables), so both commit or neither does.
 */
export async function appendAudit(db: WorkstationDb, event: Omit<AuditEvent, 'at'> & { at?: string }): Promise<void> {
  const last = await db.audit.orderBy('seq').last();
  await db.audit.add(chainEntry(last, { ...event, at: event.at ?? new Date().toISOString() }));
}

export async function verifyAudit(db: WorkstationDb): Promise<ChainCheck> {
  return verifyChain(await db.audit.orderBy('seq').toArray());
}
