/**
 * The server's audit chain against every tampering someone with access to the database tables
 * could try: each is caught by the verifier, on both databases. (Measured on the desk-only
 * version: its verifier missed six of these eleven and reported an emptied chain as intact.)
 */
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { chainEntry, type AuditEntry } from '../shared/audit/chain';
import { serverTargets } from '../../test/fixtures/server-db';
import { auditKeyFrom, readAudit, verifyServerAudit, type AuditKey } from './audit';
import { openDatabase, type DatabaseTarget, type ServerDb } from './database';
import { makeHospital, openAuditChain, write } from './hospital';
import { migrate } from './migrations';

const AT = '2026-06-16T02:00:00.000Z';

async function chainOf(target: DatabaseTarget, entries = 6): Promise<{ db: ServerDb; key: AuditKey }> {
  const db = await openDatabase(target);
  await migrate(db.orm);
  const key = auditKeyFrom(randomBytes(32));
  const h = makeHospital(db, { auditKey: key, resourcesDir: 'resources', now: () => new Date(AT) });
  await openAuditChain(h);
  for (let i = 1; i < entries; i++) await write(h, (store) => store.audit({ kind: 'case.assigned', actorId: 'u1', at: AT, subject: `case-${i}`, detail: { stage: '初审', n: i } }));
  return { db, key };
}

type Tamper = (db: ServerDb, key: AuditKey) => Promise<void>;

const exec = (db: ServerDb, q: ReturnType<typeof sql>) => db.orm.execute(q);

/** Rewrites entries from `from` on, each correctly hashed (but without the key: the old MACs stay). */
async function rewriteFrom(db: ServerDb, from: number, change: (detail: Record<string, unknown>) => Record<string, unknown>) {
  const entries = await readAudit(db.orm);
  let prev: AuditEntry | undefined = entries[from - 2];
  for (const e of entries.slice(from - 1)) {
    const next = chainEntry(prev, { kind: e.kind, actorId: e.actorId, at: e.at, subject: e.subject, detail: e.seq === from ? change(e.detail) : e.detail });
    await exec(db, sql`update audit set detail = ${JSON.stringify(next.detail)}::jsonb, prev_hash = ${next.prevHash}, hash = ${next.hash} where seq = ${e.seq}`);
    prev = next;
  }
}

const tamperings: [string, Tamper][] = [
  ['an edited row', (db) => exec(db, sql`update audit set subject = 'case-other' where seq = 3`).then(() => undefined)],
  ['a deleted row in the middle', (db) => exec(db, sql`delete from audit where seq = 3`).then(() => undefined)],
  ['the first row deleted', (db) => exec(db, sql`delete from audit where seq = 1`).then(() => undefined)],
  ['the last row deleted', (db) => exec(db, sql`delete from audit where seq = (select max(seq) from audit)`).then(() => undefined)],
  ['the last three rows deleted', (db) => exec(db, sql`delete from audit where seq > 3`).then(() => undefined)],
  ['every row deleted', (db) => exec(db, sql`delete from audit`).then(() => undefined)],
  ['every row and the sealed head deleted', async (db) => {
    await exec(db, sql`delete from audit`);
    await exec(db, sql`delete from server_info where key = 'audit_head'`);
  }],
  ['a row edited and every later hash recomputed', (db) => rewriteFrom(db, 3, (d) => ({ ...d, stage: '终审' }))],
  ['the last row edited, its hash recomputed', async (db) => {
    const last = (await readAudit(db.orm)).length;
    await rewriteFrom(db, last, (d) => ({ ...d, n: 99 }));
  }],
  ['a forged row appended', async (db) => {
    const entries = await readAudit(db.orm);
    const forged = chainEntry(entries.at(-1), { kind: 'review.concluded', actorId: 'u9', at: AT, subject: 'case-9', detail: {} });
    await exec(db, sql`insert into audit (seq, kind, actor_id, at, subject, detail, prev_hash, hash, mac) values (${forged.seq}, ${forged.kind}, ${forged.actorId}, ${forged.at}, ${forged.subject}, '{}'::jsonb, ${forged.prevHash}, ${forged.hash}, ${'0'.repeat(64)})`);
  }],
  ['a forged row appended with a head to match', async (db) => {
    const entries = await readAudit(db.orm);
    const forged = chainEntry(entries.at(-1), { kind: 'review.concluded', actorId: 'u9', at: AT, subject: 'case-9', detail: {} });
    // The forger copies the last genuine MAC: it seals another hash, so it does not verify.
    const mac = entries.at(-1)!.mac;
    await exec(db, sql`insert into audit (seq, kind, actor_id, at, subject, detail, prev_hash, hash, mac) values (${forged.seq}, ${forged.kind}, ${forged.actorId}, ${forged.at}, ${forged.subject}, '{}'::jsonb, ${forged.prevHash}, ${forged.hash}, ${mac})`);
    await exec(db, sql`update server_info set value = ${JSON.stringify({ seq: forged.seq, hash: forged.hash, mac })} where key = 'audit_head'`);
  }],
];

describe.each(serverTargets('audit_test'))('the server audit chain on %s', (_label, target) => {
  it('verifies an untouched chain, opened with its first entry', async () => {
    const { db, key } = await chainOf(await target());
    expect(await verifyServerAudit(db.orm, key)).toEqual({ ok: true, count: 6 });
    expect((await readAudit(db.orm))[0]).toMatchObject({ seq: 1, kind: 'audit.opened' });
    await db.close();
  });

  it.each(tamperings)('detects %s', async (_name, tamper) => {
    const { db, key } = await chainOf(await target());
    await tamper(db, key);
    const check = await verifyServerAudit(db.orm, key);
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.reason).toMatch(/第|清空|末端|删除/);
    await db.close();
  });

  it('catches a chain rewritten with the key, against a head a desk saw before', async () => {
    const { db, key } = await chainOf(await target());
    const seen = (await readAudit(db.orm)).map((e) => ({ seq: e.seq, hash: e.hash }));
    // Someone holding the key rewrites history from entry 2 on and reseals it.
    const entries = await readAudit(db.orm);
    await exec(db, sql`delete from audit where seq >= 2`);
    const h = makeHospital(db, { auditKey: key, resourcesDir: 'resources', now: () => new Date(AT) });
    for (const e of entries.slice(1)) await write(h, (store) => store.audit({ kind: e.kind, actorId: e.actorId, at: e.at, subject: e.subject, detail: { ...e.detail, stage: '改写' } }));
    expect((await verifyServerAudit(db.orm, key)).ok).toBe(true);
    const check = await verifyServerAudit(db.orm, key, [seen.at(-1)!]);
    expect(check).toMatchObject({ ok: false, brokenAt: 6, reason: expect.stringContaining('此前见到') });
    await db.close();
  });
});
