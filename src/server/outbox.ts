/**
 * The platform outbox on the hospital server: the one place messages to the provincial platform
 * wait, in the server's database. The runner (src/shared/sync/runner.ts) works it through
 * `PgOutboxStore`; every state an item enters is written with compare-and-set on its `rev`, in a
 * transaction under the write lock that also writes what the desks see of it (a `filings` row)
 * and what it means for its certification (filed, refused, revoked), so the 医保办's desks learn
 * it at their next pull and nothing is applied twice.
 */
import { sql } from 'drizzle-orm';
import type { Certification } from '../shared/domain/certification';
import { filingPhase, filingReason, type FilingKind, type FilingRow } from '../shared/hospital/filings';
import { OFFICE_SHARE } from '../shared/hospital/protocol';
import { newItem, type OutboxItem, type OutboxMessage, type OutboxMeta } from '../shared/sync/outbox-item';
import type { OutboxStore } from '../shared/sync/ports';
import type { DueEntry } from '../shared/sync/schedule';
import { dueAt, type SyncTag } from '../shared/sync/states';
import type { Orm } from './database';
import { write, type Hospital } from './hospital';
import { rowsOf } from './rows';
import type { ServerStore } from './store';

interface OutboxDbRow {
  item: OutboxItem;
}

function diseaseOf(item: OutboxItem): { diseaseName?: string } {
  const data = item.input['data'];
  const name = data && typeof data === 'object' ? (data as Record<string, unknown>)['opsp_dise_name'] : undefined;
  return typeof name === 'string' && name ? { diseaseName: name } : {};
}

const KIND_OF: Record<OutboxMessage['kind'], FilingKind> = { filing: 'filing', revocation: 'revocation', recognition: 'recognition', upload: 'filing' };

/** What the 医保办's desks see of an item. */
export function filingRowOf(item: OutboxItem, platform: string, previous?: Pick<FilingRow, 'settledAt'>): FilingRow {
  const phase = filingPhase(item.state);
  const settled = phase === 'accepted' || phase === 'rejected' || phase === 'set-aside' || phase === 'closed';
  const at = item.attempts.at(-1)?.at ?? item.createdAt;
  const next = dueAt(item.state);
  return {
    id: item.id,
    kind: KIND_OF[item.kind],
    infno: item.infno,
    batchId: item.meta.batchId ?? null,
    certificationId: item.meta.certificationId ?? null,
    caseId: item.meta.caseId ?? null,
    psnNo: item.lane,
    psnName: item.meta.psnName ?? '',
    summary: item.meta.summary ?? '',
    ...diseaseOf(item),
    platform,
    phase,
    reason: filingReason(item.state),
    serial: item.state.tag === 'accepted' ? (item.state.receipt.values['trt_dcla_detl_sn'] ?? item.state.receipt.values['rcgn_sn'] ?? null) : null,
    sends: item.sends,
    nextAttemptAt: item.state.tag === 'retrying' || item.state.tag === 'unknown' ? (next ?? null) : null,
    queuedAt: item.createdAt,
    queuedBy: item.meta.createdBy ?? '',
    settledAt: settled ? (previous?.settledAt ?? at) : null,
    updatedAt: at,
  };
}

const filingRecord = (row: FilingRow) => row as unknown as Record<string, unknown> & { id: string };

/** Why a queued message waits: an earlier message of the same person was set aside. */
export const BLOCKED_REASON = '排在同一参保人已搁置的报文之后，待其重新发送或关闭后再发送';

/** Whether an item set aside and not yet dealt with holds `lane` ahead of `seq`. */
async function laneBlocked(tx: Orm, lane: string, seq: number): Promise<boolean> {
  return (
    rowsOf(
      await tx.execute(sql`
        select 1 as one from platform_outbox
        where lane = ${lane} and seq < ${seq} and status = 'rejected'
          and (item -> 'state' ->> 'setAside') = 'true' and (item -> 'state' -> 'handled') is null
        limit 1`),
    ).length > 0
  );
}

const setAsideOpen = (item: OutboxItem) => item.state.tag === 'rejected' && item.state.setAside === true && !item.state.handled;

/**
 * An item was set aside, or released (sent again, closed): the person's later queued messages say
 * whether they wait behind it.
 */
async function republishLane(tx: Orm, store: ServerStore, item: OutboxItem, platform: string): Promise<void> {
  const later = rowsOf<OutboxDbRow>(await tx.execute(sql`select item from platform_outbox where lane = ${item.lane} and seq > ${item.seq} and status = 'queued' order by seq`));
  const blocked = setAsideOpen(item) || (await laneBlocked(tx, item.lane, item.seq));
  for (const { item: waiting } of later) {
    const row = filingRowOf(waiting, platform);
    await store.putRecord('filings', filingRecord({ ...row, reason: blocked ? BLOCKED_REASON : null }), [OFFICE_SHARE]);
  }
}

/** Writes the desks' view of an item (only when it changed what they see). */
export async function publishItem(store: ServerStore, item: OutboxItem, platform: string, before?: OutboxItem): Promise<void> {
  const row = filingRowOf(item, platform);
  if (before) {
    const old = filingRowOf(before, platform);
    // 'sending' is not worth a change-log entry of its own: the outcome follows within seconds.
    if (row.phase === 'sending' || (old.phase === row.phase && old.reason === row.reason && old.serial === row.serial)) return;
    if (old.settledAt) row.settledAt = old.settledAt;
  }
  await store.putRecord('filings', filingRecord(row), [OFFICE_SHARE]);
}

/**
 * What an item's new state means for its certification, written in the same transaction: an
 * accepted 2503 files it with its serial, an accepted 2504 revokes it, a refusal says why.
 */
async function settleCertification(store: ServerStore, item: OutboxItem, now: Date): Promise<void> {
  const certId = item.meta.certificationId;
  if (!certId || (item.kind !== 'filing' && item.kind !== 'revocation')) return;
  // Only an answer (or a person closing the message) changes the certification.
  if (item.state.tag !== 'accepted' && item.state.tag !== 'rejected') return;
  const cert = await store.get('certifications', certId);
  if (!cert) return;
  const at = now.toISOString();
  const state = item.state;
  let next: Certification | undefined;
  if (item.kind === 'filing' && cert.state === 'filing-queued' && cert.outboxId === item.id) {
    if (state.tag === 'accepted') {
      const sn = state.receipt.values['trt_dcla_detl_sn'];
      if (sn) next = { ...base(cert), state: 'filed', outboxId: item.id, trtDclaDetlSn: sn, filedAt: state.at, updatedAt: at };
      else next = { ...base(cert), state: 'filing-rejected', outboxId: item.id, rejectReason: '平台已接受，但回执中没有备案流水号（trt_dcla_detl_sn），请以 5301 查询核实', rejectedAt: at, updatedAt: at };
    } else if (state.tag === 'rejected' && (!state.setAside || state.handled)) {
      next = { ...base(cert), state: 'filing-rejected', outboxId: item.id, rejectReason: state.handled ? `${state.reason}（已处理）` : state.reason, rejectedAt: at, updatedAt: at };
    }
  }
  if (item.kind === 'revocation' && cert.state === 'revoking' && cert.revocationId === item.id) {
    if (state.tag === 'accepted') {
      next = { ...base(cert), state: 'revoked', trtDclaDetlSn: cert.trtDclaDetlSn, revokedAt: state.at, revokeReason: cert.revokeReason, updatedAt: at };
    } else if (state.tag === 'rejected' && (!state.setAside || state.handled)) {
      // The revocation did not happen: the filing stands.
      next = { ...base(cert), state: 'filed', outboxId: cert.outboxId, trtDclaDetlSn: cert.trtDclaDetlSn, filedAt: cert.filedAt, updatedAt: at };
    }
  }
  if (next) await store.put('certifications', next);
}

/** A certification's fields without its state's own. */
export function base(cert: Certification) {
  const { id, caseId, personId, diseaseCode, diseaseName, certifiedOn, begnDate, endDate, reReviewDueOn, physicianId, physicianName, updatedAt, correctsId, correctedById, manualReason } = cert;
  return { id, caseId, personId, diseaseCode, diseaseName, certifiedOn, begnDate, endDate, reReviewDueOn, physicianId, physicianName, updatedAt, correctsId, correctedById, manualReason };
}

/** Inserts new items (queued) in the caller's transaction, with their desks' view; answers them. */
export async function insertItems(tx: Orm, store: ServerStore, entries: readonly { id: string; message: OutboxMessage; meta: OutboxMeta }[], platform: string, now: Date): Promise<OutboxItem[]> {
  const items: OutboxItem[] = [];
  for (const e of entries) {
    const seq = Number(rowsOf<{ seq: string | number }>(await tx.execute(sql`select nextval('outbox_seq') as seq`))[0]!.seq);
    const item = newItem(e.message, e.meta, e.id, seq, now);
    await tx.execute(sql`
      insert into platform_outbox (id, seq, lane, platform, status, due, rev, item)
      values (${item.id}, ${seq}, ${item.lane}, ${platform}, ${item.status}, ${item.due ?? null}, ${item.rev}, ${JSON.stringify(item)}::jsonb)`);
    if (await laneBlocked(tx, item.lane, seq)) await store.putRecord('filings', filingRecord({ ...filingRowOf(item, platform), reason: BLOCKED_REASON }), [OFFICE_SHARE]);
    else await publishItem(store, item, platform);
    items.push(item);
  }
  return items;
}

export async function itemById(tx: Orm, id: string): Promise<{ item: OutboxItem; platform: string } | undefined> {
  return rowsOf<{ item: OutboxItem; platform: string }>(await tx.execute(sql`select item, platform from platform_outbox where id = ${id}`))[0];
}

/**
 * Writes a changed item if the stored one is still the one it was derived from (rev - 1), with its
 * desks' view and its certification's state. Answers whether it was written.
 */
export async function commitItem(tx: Orm, store: ServerStore, item: OutboxItem, now: Date): Promise<boolean> {
  return (await commitItems(tx, store, [item], now))[0]!;
}

/**
 * The same for several items at once: one statement writes them all (compare-and-set each), then
 * what changed for the desks is written item by item — nothing for a mere `sending`. An item named
 * twice in one call is written once, the first time (its second version derives from the first).
 */
export async function commitItems(tx: Orm, store: ServerStore, items: readonly OutboxItem[], now: Date): Promise<boolean[]> {
  const first = new Map<string, OutboxItem>();
  for (const item of items) if (!first.has(item.id)) first.set(item.id, item);
  const rows = [...first.values()].map((i) => ({ id: i.id, item: i, rev: i.rev, status: i.status, due: i.due ?? null }));
  const written = new Map(
    rowsOf<{ id: string; item: OutboxItem; platform: string }>(
      await tx.execute(sql`
        with given as (
          select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(id text, item jsonb, rev integer, status text, due double precision)
        ), old as (
          select o.id, o.item, o.platform from platform_outbox o join given g on g.id = o.id and o.rev = g.rev - 1
        ), changed as (
          update platform_outbox o set item = g.item, rev = g.rev, status = g.status, due = g.due
          from given g where o.id = g.id and o.rev = g.rev - 1
          returning o.id
        )
        select old.id, old.item, old.platform from old join changed using (id)`),
    ).map((r) => [r.id, r] as const),
  );
  const answers: boolean[] = [];
  const done = new Set<string>();
  for (const item of items) {
    const stored = written.get(item.id);
    if (!stored || done.has(item.id) || first.get(item.id) !== item) {
      answers.push(false);
      continue;
    }
    done.add(item.id);
    answers.push(true);
    await publishItem(store, item, stored.platform, stored.item);
    await settleCertification(store, item, now);
    if (setAsideOpen(item) !== setAsideOpen(stored.item)) await republishLane(tx, store, item, stored.platform);
  }
  return answers;
}

interface PendingCommit {
  item: OutboxItem;
  resolve: (written: boolean) => void;
  reject: (error: unknown) => void;
}

/** The runner's store: one platform's items (the platform messages are bound to), in the server's database. */
export class PgOutboxStore implements OutboxStore {
  private pending: PendingCommit[] = [];
  private flushing = false;

  constructor(
    private readonly h: Hospital,
    /** The platform the runner sends to now. */
    private readonly platform: () => string,
  ) {}

  /**
   * Lanes whose head — the first message still holding the lane — is due: a lane whose head is in
   * flight, waiting out a backoff or set aside is not offered (its later messages wait), so the
   * runner does not take it up again and again only to find it must wait.
   */
  async dueLanes(now: number, want = 1000, skip: ReadonlySet<string> = new Set()): Promise<{ due: DueEntry[]; nextDueAt?: number }> {
    const p = this.platform();
    const heads = sql`
      select distinct on (lane) lane, due from platform_outbox
      where platform = ${p}
        and (status in ('queued', 'sending', 'retrying', 'unknown')
          or (status = 'rejected' and (item -> 'state' ->> 'setAside') = 'true' and (item -> 'state' -> 'handled') is null))
      order by lane, seq`;
    const skipped = [...skip];
    const due = rowsOf<{ lane: string; due: number | string }>(
      await this.h.db.orm.execute(sql`
        select lane, due from (${heads}) h
        where due is not null and due <= ${now} and not (lane = any(${sql.param(skipped)}::text[]))
        order by due limit ${Math.min(want, 5000)}`),
    ).map((r) => ({ lane: r.lane, due: Number(r.due) }));
    const next = rowsOf<{ due: number | string | null }>(await this.h.db.orm.execute(sql`select min(due) as due from (${heads}) h where due > ${now}`))[0]?.due;
    return next === null || next === undefined ? { due } : { due, nextDueAt: Number(next) };
  }

  async inState(tag: SyncTag): Promise<OutboxItem[]> {
    return rowsOf<OutboxDbRow>(await this.h.db.orm.execute(sql`select item from platform_outbox where platform = ${this.platform()} and status = ${tag} order by seq`)).map((r) => r.item);
  }

  async laneItems(lane: string): Promise<OutboxItem[]> {
    return rowsOf<OutboxDbRow>(await this.h.db.orm.execute(sql`select item from platform_outbox where platform = ${this.platform()} and lane = ${lane} order by seq`)).map((r) => r.item);
  }

  /**
   * Compare-and-set writes, grouped: writes asked for while a transaction commits go together in
   * the next one, so two dozen lanes cost one durable commit, not two dozen.
   */
  commit(items: readonly OutboxItem[]): Promise<boolean[]> {
    const written = items.map((item) => new Promise<boolean>((resolve, reject) => this.pending.push({ item, resolve, reject })));
    this.flush();
    return Promise.all(written);
  }

  private flush(): void {
    if (this.flushing) return;
    this.flushing = true;
    void (async () => {
      // A turn of the event loop first: on PGlite a lane's write would otherwise run alone inside
      // the answer that asked for it, and no other lane's could join it.
      await new Promise((resolve) => setImmediate(resolve));
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0);
        try {
          const now = this.h.now();
          const results = await write(this.h, (store, tx) => commitItems(tx, store, batch.map((p) => p.item), now));
          batch.forEach((p, i) => p.resolve(results[i]!));
        } catch (error) {
          batch.forEach((p) => p.reject(error));
        }
      }
      this.flushing = false;
      if (this.pending.length > 0) this.flush();
    })();
  }

  /** The server's outbox carries no attachments (material bytes are not sent to the platform by this server). */
  async attachmentBase64(): Promise<string | undefined> {
    return undefined;
  }
}
