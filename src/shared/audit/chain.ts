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

export interface ChainExpectations {
  /** Heads a reader saw earlier (a desk keeps them): each must still be in the chain, unchanged. */
  heads?: readonly { seq: number; hash: string }[];
  /** The chain was opened and must hold at least its first entry (the server's chain does). */
  opened?: boolean;
  /** Checks an entry's seal (the server's keyed MAC); false marks it forged or rewritten. */
  sealed?: (entry: AuditEntry) => boolean;
}

/**
 * Walks the chain and reports the first entry that was edited, removed, reordered or forged. A
 * hash chain alone cannot tell a chain cut at its end, or rewritten from some entry on with every
 * later hash recomputed: `expect` adds what the reader knows besides the rows (heads seen before,
 * a seal keyed outside the database).
 */
export function verifyChain(entries: readonly AuditEntry[], expect: ChainExpectations = {}): ChainCheck {
  if (expect.opened && entries.length === 0) return { ok: false, brokenAt: 1, reason: '审计记录已被清空' };
  let prevHash = GENESIS_HASH;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.seq !== i + 1) return { ok: false, brokenAt: i + 1, reason: `第 ${i + 1} 条记录缺失或顺序被改动` };
    if (entry.prevHash !== prevHash) return { ok: false, brokenAt: entry.seq, reason: `第 ${entry.seq} 条记录与前一条不衔接` };
    if (sha256Hex(hashInput(entry, entry.seq, entry.prevHash)) !== entry.hash) {
      return { ok: false, brokenAt: entry.seq, reason: `第 ${entry.seq} 条记录内容被改动` };
    }
    if (expect.sealed && !expect.sealed(entry)) return { ok: false, brokenAt: entry.seq, reason: `第 ${entry.seq} 条记录的签章无效（伪造或被改写）` };
    prevHash = entry.hash;
  }
  for (const head of expect.heads ?? []) {
    const entry = entries[head.seq - 1];
    if (!entry) return { ok: false, brokenAt: head.seq, reason: `第 ${head.seq} 条及之后的记录已被删除（此前已见到第 ${head.seq} 条）` };
    if (entry.hash !== head.hash) return { ok: false, brokenAt: head.seq, reason: `第 ${head.seq} 条记录与此前见到的不同（记录链被改写）` };
  }
  return { ok: true, count: entries.length };
}
