/**
 * The append-only audit chain (architecture.md §9): every entry records who did what and when, and
 * the hash of the previous entry, so editing or deleting any entry breaks every later link.
 * Hashing is synchronous (src/shared/hash) so an entry can be chained inside an IndexedDB
 * transaction together with the change it records.
 */
import { sha256Hex } from '../hash/sha256';

export interface AuditEvent {
  /** e.g. 'user.created', 'review.concluded' */
  kind: string;
  /** user id, or null for the system */
  actorId: string | null;
  /** ISO date-time */
  at: string;
  /** what the event concerns, e.g. a case id; no ID numbers in clear */
  subject: string;
  detail: Record<string, unknown>;
}

export interface AuditEntry extends AuditEvent {
  seq: number;
  prevHash: string;
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Serialises with sorted keys so the same event always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

const hashInput = (event: AuditEvent, seq: number, prevHash: string) =>
  canonicalJson({ seq, prevHash, kind: event.kind, actorId: event.actorId, at: event.at, subject: event.subject, detail: event.detail });

/** Builds the entry that follows `previous` (or the first entry). */
export function chainEntry(previous: AuditEntry | undefined, event: AuditEvent): AuditEntry {
  const seq = previous ? previous.seq + 1 : 1;
  const prevHash = previous ? previous.hash : GENESIS_HASH;
  return { ...event, seq, prevHash, hash: sha256Hex(hashInput(event, seq, prevHash)) };
}

export type ChainCheck = { ok: true; count: number } | { ok: false; brokenAt: number; reason: string };

/** Walks the chain and reports the first entry that was edited, removed or reordered. */
export function verifyChain(entries: readonly AuditEntry[]): ChainCheck {
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.seq !== i + 1) return { ok: false, brokenAt: i + 1, reason: `第 ${i + 1} 条记录缺失或顺序被改动` };
    if (entry.prevHash !== prevHash) return { ok: false, brokenAt: entry.seq, reason: `第 ${entry.seq} 条记录与前一条不衔接` };
    if (sha256Hex(hashInput(entry, entry.seq, entry.prevHash)) !== entry.hash) {
      return { ok: false, brokenAt: entry.seq, reason: `第 ${entry.seq} 条记录内容被改动` };
    }
    prevHash = entry.hash;
  }
  return { ok: true, count: entries.length };
}
