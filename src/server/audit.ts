/**
 * The server's audit chain: the chain of src/shared/audit/chain.ts (each entry hashes the one
 * before), plus a MAC over each entry's hash keyed by a secret kept outside the database. Someone
 * with access to the tables alone can still delete or rewrite rows, but cannot make the result
 * verify: a rewritten entry or a forged one has no valid MAC, and a chain cut short at its end is
 * caught by the head a desk remembers (the pull answers with the head; desks keep what they saw).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sql } from 'drizzle-orm';
import { chainEntry, verifyChain, type AuditEntry, type AuditEvent, type ChainCheck } from '../shared/audit/chain';
import type { Orm } from './database';

export interface AuditKey {
  /** A stable label of the key (not the key): which key sealed the chain. */
  id: string;
  mac(hash: string): string;
}

export function auditKeyFrom(secret: Buffer): AuditKey {
  const id = createHmac('sha256', secret).update('opsp-audit-key-id').digest('hex').slice(0, 16);
  return { id, mac: (hash) => createHmac('sha256', secret).update(hash).digest('hex') };
}

/** The key file beside the data (created with 0600 the first time), never in the database. */
export function loadAuditKey(file: string): AuditKey {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  }
  const secret = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (secret.length < 32) throw new Error(`审计密钥文件无效：${file}`);
  return auditKeyFrom(secret);
}

export interface ServerAuditEntry extends AuditEntry {
  mac: string;
}

interface AuditRow {
  seq: number | string;
  kind: string;
  actor_id: string | null;
  at: string;
  subject: string;
  detail: Record<string, unknown>;
  prev_hash: string;
  hash: string;
  mac: string;
}

export const toEntry = (r: AuditRow): ServerAuditEntry => ({
  seq: Number(r.seq),
  kind: r.kind,
  actorId: r.actor_id,
  at: r.at,
  subject: r.subject,
  detail: r.detail,
  prevHash: r.prev_hash,
  hash: r.hash,
  mac: r.mac,
});

export async function auditHead(orm: Orm): Promise<{ seq: number; hash: string } | null> {
  const row = ((await orm.execute(sql`select seq, hash from audit order by seq desc limit 1`)) as { rows: { seq: number | string; hash: string }[] }).rows[0];
  return row ? { seq: Number(row.seq), hash: row.hash } : null;
}

/** Appends inside the caller's transaction (which holds the server's write lock, so entries never race). */
export async function appendServerAudit(tx: Orm, key: AuditKey, event: AuditEvent): Promise<ServerAuditEntry> {
  const last = ((await tx.execute(sql`select * from audit order by seq desc limit 1`)) as { rows: AuditRow[] }).rows[0];
  const entry = chainEntry(last ? toEntry(last) : undefined, event);
  const mac = key.mac(entry.hash);
  await tx.execute(sql`
    insert into audit (seq, kind, actor_id, at, subject, detail, prev_hash, hash, mac)
    values (${entry.seq}, ${entry.kind}, ${entry.actorId}, ${entry.at}, ${entry.subject}, ${JSON.stringify(entry.detail)}::jsonb, ${entry.prevHash}, ${entry.hash}, ${mac})`);
  // The sealed head: cutting entries off the end leaves a head that no longer matches, and a
  // new head cannot be sealed without the key.
  await tx.execute(sql`insert into server_info (key, value) values ('audit_head', ${sealHead(key, entry)}) on conflict (key) do update set value = excluded.value`);
  return { ...entry, mac };
}

function parseHead(text: string | undefined): { seq: number; hash: string; mac: string } | null {
  try {
    return text ? (JSON.parse(text) as { seq: number; hash: string; mac: string }) : null;
  } catch {
    return null;
  }
}

const headText = (seq: number, hash: string) => `head:${seq}:${hash}`;

/** The chain's head as server_info keeps it, sealed with the key. */
export const sealHead = (key: AuditKey, entry: { seq: number; hash: string }): string =>
  JSON.stringify({ seq: entry.seq, hash: entry.hash, mac: key.mac(headText(entry.seq, entry.hash)) });

export async function readAudit(orm: Orm): Promise<ServerAuditEntry[]> {
  return ((await orm.execute(sql`select * from audit order by seq`)) as { rows: AuditRow[] }).rows.map(toEntry);
}

export const macMatches = (key: AuditKey, entry: ServerAuditEntry) => {
  const expected = Buffer.from(key.mac(entry.hash), 'hex');
  const actual = Buffer.from(entry.mac, 'hex');
  return expected.length === actual.length && timingSafeEqual(expected, actual);
};

/**
 * Verifies the whole chain: links, hashes, every entry's MAC, and the heads desks reported.
 * An empty chain on a database whose chain was opened is reported, not taken as intact.
 */
export async function verifyServerAudit(orm: Orm, key: AuditKey, heads: readonly { seq: number; hash: string }[] = []): Promise<ChainCheck> {
  const info = new Map(
    ((await orm.execute(sql`select key, value from server_info where key in ('audit_opened', 'audit_head')`)) as { rows: { key: string; value: string }[] }).rows.map((r) => [r.key, r.value]),
  );
  const entries = await readAudit(orm);
  const checked = verifyChain(entries, { opened: info.has('audit_opened'), heads, sealed: (e) => macMatches(key, e as ServerAuditEntry) });
  if (!checked.ok) return checked;
  const sealed = parseHead(info.get('audit_head'));
  const last = entries[entries.length - 1];
  if (!sealed || !last) return entries.length ? { ok: false, brokenAt: last!.seq, reason: '审计链的末端记录缺失' } : checked;
  const headOk = sealed.mac === key.mac(headText(sealed.seq, sealed.hash));
  if (!headOk) return { ok: false, brokenAt: last.seq, reason: '审计链的末端记录被改写' };
  if (sealed.seq !== last.seq || sealed.hash !== last.hash) {
    return sealed.seq > last.seq
      ? { ok: false, brokenAt: last.seq + 1, reason: `第 ${last.seq + 1} 至 ${sealed.seq} 条记录已被删除` }
      : { ok: false, brokenAt: sealed.seq + 1, reason: `第 ${sealed.seq + 1} 条之后的记录不是本服务器写入的` };
  }
  return checked;
}
