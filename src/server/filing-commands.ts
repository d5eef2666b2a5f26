/**
 * The 医保办's filing commands (filing.*): the server builds every platform message from its own
 * records and settings, validates it, and queues it in its outbox (outbox.ts) in the transaction
 * of the command, with the certification's new state and the desks' view of each message. The
 * desk sends only ids and what a person typed (a reason, a correction).
 */
import { sql } from 'drizzle-orm';
import type { Certification } from '../shared/domain/certification';
import type { FilingBatchRow, FilingRow } from '../shared/hospital/filings';
import { platformKeyLabel } from '../shared/hospital/filings';
import { OFFICE_SHARE } from '../shared/hospital/protocol';
import { filingMessage, revocationMessage, type FilingDraft } from '../shared/platform/filing-message';
import type { PlatformConfig } from '../shared/platform-config';
import type { OutboxItem, OutboxMessage, OutboxMeta } from '../shared/sync/outbox-item';
import { markHandled, rejectLocally, retryNow, type TransitionContext } from '../shared/sync/transitions';
import { DEFAULT_TIMING } from '../shared/sync/transitions';
import { validateMessage } from '../shared/sync/validate-message';
import { chinaDateOf } from '../shared/time';
import type { Handler } from './commands';
import { base, commitItem, insertItems, itemById } from './outbox';
import { rowsOf } from './rows';
import type { ServerStore } from './store';
import type { Hospital } from './hospital';
import type { Orm } from './database';

const OFFICE = ['office', 'admin'] as const;
const ADMIN = ['admin'] as const;

type Fail = { ok: false; message: string };

/** The platform messages go to now, or why nothing can be queued. */
async function platformOf(h: Hospital): Promise<{ ok: true; config: PlatformConfig; key: string } | Fail> {
  if (!h.platform) return { ok: false, message: '院内服务器未设置医保平台，无法备案' };
  return { ok: true, config: await h.platform.config(), key: await h.platform.key() };
}

/** The 2503 of a certification, from the server's records: the person, the physician's 医保医师代码, the institution. */
export async function certificationDraft(store: ServerStore, cert: Certification, config: PlatformConfig): Promise<{ ok: true; value: FilingDraft } | Fail> {
  const caseRow = await store.get('cases', cert.caseId);
  const person = caseRow && (await store.get('persons', caseRow.personId));
  if (!caseRow || !person) return { ok: false, message: '找不到该认定的案件或参保人' };
  if (!caseRow.psnNo) return { ok: false, message: '该参保人尚无人员编号，请先以身份证号查询（1101）后再备案' };
  const doctor = await store.get('physicians', cert.physicianId);
  const code = doctor?.paymentQualifications.find((q) => q.to === null && q.code)?.code ?? doctor?.paymentQualifications.find((q) => q.code)?.code;
  if (!code) return { ok: false, message: `认定医师库中没有 ${cert.physicianName} 的医保医师代码` };
  const { fixmedins_code: institutionCode, fixmedins_name: institutionName } = config.institution;
  if (!institutionCode || !institutionName) return { ok: false, message: '平台设置中缺少本院定点医药机构编号和名称' };
  return {
    ok: true,
    value: {
      psnNo: caseRow.psnNo,
      psnName: caseRow.personName,
      insutype: caseRow.insutype,
      insuplcAdmdvs: person.regionCode,
      diseaseCode: cert.diseaseCode,
      diseaseName: cert.diseaseName,
      hospIdeDate: cert.certifiedOn,
      begndate: cert.begnDate,
      enddate: cert.endDate ?? undefined,
      physicianCode: code,
      physicianName: cert.physicianName,
      institutionCode,
      institutionName,
      tel: person.tel,
      addr: person.addr,
    },
  };
}

/** The message's problems as one sentence, or null when it may be queued. */
function problemsOf(message: OutboxMessage): string | null {
  const issues = validateMessage(message);
  return issues.length ? issues.map((i) => `${i.label ?? i.path}：${i.message}`).join('；') : null;
}

const summaryOf = (c: Pick<Certification, 'diseaseName' | 'begnDate'>) => `${c.diseaseName} ${c.begnDate} 起`;

const ctxOf = (h: Hospital): TransitionContext => ({ now: h.now(), timing: DEFAULT_TIMING, random: Math.random });

/** Queues a certification's 2503 (state ready or refused before): answers the item id, or why not. */
async function queueFiling(tx: Orm, store: ServerStore, h: Hospital, cert: Certification, p: { config: PlatformConfig; key: string }, meta: OutboxMeta, id: string): Promise<{ ok: true; id: string } | Fail> {
  const draft = await certificationDraft(store, cert, p.config);
  if (!draft.ok) return draft;
  const message = filingMessage(draft.value);
  const problem = problemsOf(message);
  if (problem) return { ok: false, message: problem };
  const now = h.now();
  await insertItems(tx, store, [{ id, message, meta: { ...meta, psnName: draft.value.psnName, summary: summaryOf(cert), certificationId: cert.id, caseId: cert.caseId } }], p.key, now);
  await store.put('certifications', { ...base(cert), state: 'filing-queued', outboxId: id, updatedAt: now.toISOString() });
  return { ok: true, id };
}

/** A certification may be (re)submitted: ready, or refused with nothing of it still under way. */
async function submittable(tx: Orm, cert: Certification): Promise<string | null> {
  if (cert.state === 'ready') return null;
  if (cert.state !== 'filing-rejected') return cert.state === 'filing-queued' ? '已在备案队列中' : cert.state === 'filed' || cert.state === 'revoking' ? '已备案' : '已撤销，不能再次备案';
  const prior = await itemById(tx, cert.outboxId);
  if (prior && prior.item.state.tag !== 'rejected') return '上一次备案仍在处理中';
  return null;
}

const setAsideRow = (id: string, cert: Certification | undefined, certId: string, batchId: string, platform: string, by: string, at: string, reason: string): FilingRow => ({
  id,
  kind: 'filing',
  infno: '2503',
  batchId,
  certificationId: certId,
  caseId: cert?.caseId ?? null,
  psnNo: '',
  psnName: '',
  summary: cert ? summaryOf(cert) : certId,
  platform,
  phase: 'set-aside',
  reason,
  serial: null,
  sends: 0,
  nextAttemptAt: null,
  queuedAt: at,
  queuedBy: by,
  settledAt: at,
  updatedAt: at,
});

const record = (row: object) => row as unknown as Record<string, unknown> & { id: string };

type FilingKinds = 'filing.submit' | 'filing.revoke' | 'filing.correct' | 'filing.retry' | 'filing.dismiss' | 'filing.manual' | 'platform.cancel-held';

export const filingHandlers: { [K in FilingKinds]: Handler<K> } = {
  'filing.submit': {
    roles: OFFICE,
    raw: true,
    async apply({ payload, store, tx, h, session, cases }) {
      const p = await platformOf(h);
      if (!p.ok) return p;
      if (new Set(payload.certificationIds).size !== payload.certificationIds.length) return { ok: false, message: '同一认定在批次中出现了两次' };
      const existing = rowsOf<{ id: string }>(await tx.execute(sql`select id from records where tbl = 'filingBatches' and id = ${payload.batchId}`))[0];
      if (existing) return { ok: false, message: '批次编号已被使用' };
      const cx = await cases();
      const at = cx.now.toISOString();
      const year = chinaDateOf(cx.now).slice(0, 4);
      const batchNo = `${year}-P${String(await store.nextCounter(`batch:${year}`)).padStart(6, '0')}`;
      const by = session.user.displayName;
      let queued = 0;
      let setAside = 0;
      for (const [i, certId] of payload.certificationIds.entries()) {
        const id = cx.newId(`fl${i}`);
        const cert = await store.get('certifications', certId);
        const why = !cert ? '该认定不存在' : await submittable(tx, cert);
        const r = why ? ({ ok: false, message: why } as Fail) : await queueFiling(tx, store, h, cert!, p, { createdBy: by, batchId: payload.batchId }, id);
        if (r.ok) queued++;
        else {
          // One bad certification never blocks the rest: it is set aside in the batch with its reason.
          setAside++;
          await store.putRecord('filings', record(setAsideRow(id, cert, certId, payload.batchId, p.key, by, at, r.message)), [OFFICE_SHARE]);
        }
      }
      const batch: FilingBatchRow = { id: payload.batchId, batchNo, createdAt: at, createdBy: session.user.id, createdByName: by, platform: p.key, platformLabel: platformKeyLabel(p.key), total: payload.certificationIds.length };
      await store.putRecord('filingBatches', record(batch), [OFFICE_SHARE]);
      await store.audit({ kind: 'filing.batch', actorId: session.user.id, at, subject: payload.batchId, detail: { batchNo, queued, setAside, platform: p.key } });
      return { ok: true, value: { batchNo, queued, setAside } };
    },
  },
  'filing.revoke': {
    roles: OFFICE,
    raw: true,
    async apply({ payload, store, tx, h, session, cases }) {
      const p = await platformOf(h);
      if (!p.ok) return p;
      const cert = await store.get('certifications', payload.certificationId);
      if (!cert) return { ok: false, message: '该认定不存在' };
      if (cert.state === 'revoking') return { ok: false, message: '该备案的撤销已在队列中' };
      if (cert.state === 'revoked') return { ok: false, message: '该备案已撤销' };
      if (cert.state !== 'filed') return { ok: false, message: '该认定尚未备案成功，无须撤销' };
      const cx = await cases();
      const r = await queueRevocation(tx, store, cert, payload.reason, p, session.user.displayName, cx.newId('rv'), cx.now);
      if (!r.ok) return r;
      await store.audit({ kind: 'filing.revoke', actorId: session.user.id, at: cx.now.toISOString(), subject: cert.caseId, detail: { certificationId: cert.id, outboxId: r.id, reason: payload.reason } });
      return { ok: true, value: { outboxId: r.id } };
    },
  },
  'filing.correct': {
    roles: OFFICE,
    raw: true,
    async apply({ payload, store, tx, h, session, cases }) {
      const p = await platformOf(h);
      if (!p.ok) return p;
      const cert = await store.get('certifications', payload.certificationId);
      if (!cert) return { ok: false, message: '该认定不存在' };
      if (cert.state !== 'filed') return { ok: false, message: cert.state === 'revoking' || cert.state === 'revoked' ? '该备案已撤销或正在撤销，不能更正' : '该认定尚未备案成功，请直接修改后提交备案' };
      const c = payload.changes;
      const cx = await cases();
      const at = cx.now.toISOString();
      const newId = cx.newId('crt');
      const corrected: Certification = {
        ...base(cert),
        id: newId,
        diseaseCode: c.diseaseCode ?? cert.diseaseCode,
        diseaseName: c.diseaseName ?? cert.diseaseName,
        begnDate: c.begnDate ?? cert.begnDate,
        endDate: c.endDate === undefined ? cert.endDate : c.endDate,
        correctsId: cert.id,
        correctedById: undefined,
        state: 'ready',
        updatedAt: at,
      };
      if (corrected.endDate !== null && corrected.endDate < corrected.begnDate) return { ok: false, message: '待遇结束日期不能早于开始日期' };
      // The revocation first, then the new filing, in the same person's order.
      const rv = await queueRevocation(tx, store, { ...cert, correctedById: newId }, payload.reason, p, session.user.displayName, cx.newId('rv'), cx.now);
      if (!rv.ok) return rv;
      await store.put('certifications', corrected);
      const filed = await queueFiling(tx, store, h, corrected, p, { createdBy: session.user.displayName, supersedes: cert.outboxId }, cx.newId('fl'));
      if (!filed.ok) return { ok: false, message: `更正后的备案无法生成：${filed.message}` };
      await store.audit({ kind: 'filing.correct', actorId: session.user.id, at, subject: cert.caseId, detail: { certificationId: cert.id, correctedBy: newId, reason: payload.reason, changes: { ...c } } });
      return { ok: true, value: { certificationId: newId, revocationId: rv.id, filingId: filed.id } };
    },
  },
  'filing.retry': {
    roles: OFFICE,
    raw: true,
    async apply({ payload, store, tx, h, session }) {
      const found = await itemById(tx, payload.filingId);
      if (!found) return { ok: false, message: '这条报文无法重新发送（它未能生成，请关闭后修正认定再提交）' };
      const { item, platform } = found;
      if (platform !== (await h.platform?.key())) return { ok: false, message: '这条报文是为另一平台生成的，不能发往当前平台' };
      if (!(item.state.tag === 'rejected' && item.state.setAside && !item.state.handled)) return { ok: false, message: '只有已搁置的报文可以重新发送' };
      if (!(await commitItem(tx, store, retryNow(item, ctxOf(h), session.user.displayName), h.now()))) return { ok: false, message: '这条报文刚被他人处理，请刷新后再试' };
      await store.audit({ kind: 'filing.retry', actorId: session.user.id, at: h.now().toISOString(), subject: item.id, detail: {} });
      return { ok: true };
    },
  },
  'filing.dismiss': {
    roles: OFFICE,
    raw: true,
    async apply({ payload, store, tx, h, session }) {
      const at = h.now().toISOString();
      const found = await itemById(tx, payload.filingId);
      if (!found) {
        // A certification that could not be made into a message: only its row exists.
        const row = rowsOf<{ data: FilingRow }>(await tx.execute(sql`select data from records where tbl = 'filings' and id = ${payload.filingId}`))[0]?.data;
        if (!row || row.phase !== 'set-aside') return { ok: false, message: '没有这条待处理的报文' };
        await store.putRecord('filings', record({ ...row, phase: 'closed', reason: `${row.reason ?? ''}（已处理：${payload.note}）`, updatedAt: at }), [OFFICE_SHARE]);
      } else {
        const { item } = found;
        if (item.state.tag !== 'rejected' || item.state.handled) return { ok: false, message: '只有被拒或已搁置、尚未处理的报文可以关闭' };
        const closed = markHandled({ ...item, state: { ...item.state, reason: `${item.state.reason}（已处理：${payload.note}）` } }, 'dismissed', ctxOf(h), undefined, session.user.displayName);
        if (!(await commitItem(tx, store, closed, h.now()))) return { ok: false, message: '这条报文刚被他人处理，请刷新后再试' };
      }
      await store.audit({ kind: 'filing.dismiss', actorId: session.user.id, at, subject: payload.filingId, detail: { note: payload.note } });
      return { ok: true };
    },
  },
  'filing.manual': {
    roles: ADMIN,
    raw: true,
    async apply({ payload, store, tx, h, session, cases }) {
      const p = await platformOf(h);
      if (!p.ok) return p;
      const { fixmedins_code: institutionCode, fixmedins_name: institutionName } = p.config.institution;
      const message = filingMessage({ ...payload.filing, institutionCode, institutionName });
      const problem = problemsOf(message);
      if (problem) return { ok: false, message: problem };
      const cx = await cases();
      const id = cx.newId('fl');
      await insertItems(tx, store, [{ id, message, meta: { psnName: payload.filing.psnName, summary: `${payload.filing.diseaseName} ${payload.filing.begndate} 起（无认定结论：${payload.reason}）`, createdBy: session.user.displayName } }], p.key, cx.now);
      await store.audit({ kind: 'filing.manual', actorId: session.user.id, at: cx.now.toISOString(), subject: id, detail: { reason: payload.reason, psnNo: payload.filing.psnNo, diseaseCode: payload.filing.diseaseCode } });
      return { ok: true, value: { outboxId: id } };
    },
  },
  'platform.cancel-held': {
    roles: ADMIN,
    raw: true,
    async apply({ payload, store, tx, h, session }) {
      if (payload.platform === (await h.platform?.key())) return { ok: false, message: '这是当前使用的平台，其报文不能在此取消' };
      const rows = rowsOf<{ item: OutboxItem }>(
        await tx.execute(sql`select item from platform_outbox where platform = ${payload.platform} and status in ('queued', 'retrying', 'rejected') order by seq`),
      );
      const ctx = ctxOf(h);
      let n = 0;
      for (const { item } of rows) {
        const reason = `原平台（${platformKeyLabel(payload.platform)}）已停用，报文未发送即取消：${payload.note}`;
        let next = item;
        if (item.state.tag === 'queued' || item.state.tag === 'retrying') next = rejectLocally(item, reason, ctx);
        else if (!(item.state.tag === 'rejected' && item.state.setAside && !item.state.handled)) continue;
        if (next.state.tag !== 'rejected') continue;
        next = markHandled(next, 'dismissed', ctx, undefined, session.user.displayName);
        if (!(await commitItem(tx, store, next, h.now()))) continue;
        n++;
        // Never sent: its certification may be submitted again, to the platform now in use.
        const certId = item.meta.certificationId;
        const cert = certId ? await store.get('certifications', certId) : undefined;
        if (cert?.state === 'filing-queued' && cert.outboxId === item.id) await store.put('certifications', { ...base(cert), state: 'ready', updatedAt: h.now().toISOString() });
        if (cert?.state === 'revoking' && cert.revocationId === item.id) await store.put('certifications', { ...base(cert), state: 'filed', outboxId: cert.outboxId, trtDclaDetlSn: cert.trtDclaDetlSn, filedAt: cert.filedAt, updatedAt: h.now().toISOString() });
      }
      // Items in flight or awaiting a check are left: only the old platform knows whether they landed.
      await store.audit({ kind: 'platform.cancel-held', actorId: session.user.id, at: h.now().toISOString(), subject: payload.platform, detail: { cancelled: n, note: payload.note } });
      return { ok: true, value: { cancelled: n } };
    },
  },
};

/** Queues the 2504 of a filed certification and marks it revoking. */
async function queueRevocation(
  tx: Orm,
  store: ServerStore,
  cert: Extract<Certification, { state: 'filed' }>,
  reason: string,
  p: { key: string },
  by: string,
  id: string,
  now: Date,
): Promise<{ ok: true; id: string } | Fail> {
  const filing = await itemById(tx, cert.outboxId);
  const caseRow = await store.get('cases', cert.caseId);
  const person = caseRow && (await store.get('persons', caseRow.personId));
  const psnNo = filing?.item.lane ?? caseRow?.psnNo;
  const insuplcAdmdvs = filing?.item.insuplcAdmdvs ?? person?.regionCode;
  if (!psnNo || !insuplcAdmdvs) return { ok: false, message: '找不到该备案的人员编号或参保地区划' };
  const message = revocationMessage({ psnNo, insuplcAdmdvs, sn: cert.trtDclaDetlSn }, reason);
  const problem = problemsOf(message);
  if (problem) return { ok: false, message: problem };
  await insertItems(tx, store, [{ id, message, meta: { psnName: caseRow?.personName ?? filing?.item.meta.psnName ?? '', summary: `撤销 ${summaryOf(cert)}（${reason}）`, createdBy: by, certificationId: cert.id, caseId: cert.caseId } }], p.key, now);
  await store.put('certifications', { ...base(cert), state: 'revoking', outboxId: cert.outboxId, trtDclaDetlSn: cert.trtDclaDetlSn, filedAt: cert.filedAt, revokeReason: reason, revocationId: id, updatedAt: now.toISOString() });
  return { ok: true, id };
}

