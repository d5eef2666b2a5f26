import type { Certification } from '../../../../shared/domain/certification';
import type { User } from '../../../../shared/domain/user';
import { appendAudit } from '../../db/audit';
import type { WorkstationDb } from '../../db/db';
import type { DexieOutboxStore } from '../../sync/outbox-store';
import type { RepoResult } from '../cases/assignment-repo';
import type { FilingDefaults } from '../filings/filing-defaults';
import { filingMessage, type FilingDraft } from '../filings/filing-message';

/**
 * The 2503 draft of a decided certification, built with the 新建备案 form's own builder
 * (filing-message.ts) so there is one way to make a filing: the person from the case, the
 * certifying physician's 医保医师代码 from the registry, the institution from the platform settings.
 */
export async function certificationDraft(db: WorkstationDb, cert: Certification, defaults: FilingDefaults): Promise<RepoResult<FilingDraft>> {
  const caseRow = await db.cases.get(cert.caseId);
  const person = caseRow && (await db.persons.get(caseRow.personId));
  if (!caseRow || !person) return { ok: false, message: '找不到该认定的案件或参保人' };
  if (!caseRow.psnNo) return { ok: false, message: '该参保人尚无人员编号，请先在“备案”页以身份证号查询（1101）后备案' };
  const doctor = await db.physicians.get(cert.physicianId);
  const code = doctor?.paymentQualifications.find((q) => q.to === null && q.code)?.code ?? doctor?.paymentQualifications.find((q) => q.code)?.code;
  if (!code) return { ok: false, message: `认定医师库中没有 ${cert.physicianName} 的医保医师代码` };
  if (!defaults.institutionCode || !defaults.institutionName) return { ok: false, message: '平台设置中缺少本院定点医药机构编号和名称' };
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
      institutionCode: defaults.institutionCode,
      institutionName: defaults.institutionName,
      tel: person.tel,
      addr: person.addr,
    },
  };
}

/**
 * Queues the 2503 filing of a ready certification (医保办 or administrator): the outbox item,
 * the certification's move to `filing-queued` and the audit entry commit in one transaction,
 * so a certification can never be queued twice.
 */
export async function queueCertificationFiling(db: WorkstationDb, store: DexieOutboxStore, certId: string, actor: User, defaults: FilingDefaults, now = new Date()): Promise<RepoResult<{ outboxId: string }>> {
  if (actor.role !== 'office' && actor.role !== 'admin') return { ok: false, message: '只有医保办或管理员可以提交备案' };
  const cert = await db.certifications.get(certId);
  if (!cert) return { ok: false, message: '该认定不存在' };
  const draft = await certificationDraft(db, cert, defaults);
  if (!draft.ok) return draft;
  const message = filingMessage(draft.value);
  return db.transaction('rw', [db.certifications, db.outbox, db.audit], async () => {
    const current = await db.certifications.get(certId);
    if (current?.state !== 'ready') return { ok: false, message: '该认定已提交备案或不再有效' };
    const [item] = await store.enqueue([{ message, meta: { psnName: draft.value.psnName, summary: `${cert.diseaseName} ${cert.begnDate} 起`, createdBy: actor.displayName } }], actor.id, now);
    await db.certifications.put({ ...current, state: 'filing-queued', outboxId: item!.id, updatedAt: now.toISOString() });
    await appendAudit(db, { kind: 'certification.filingQueued', actorId: actor.id, at: now.toISOString(), subject: cert.caseId, detail: { certificationId: cert.id, outboxId: item!.id } });
    return { ok: true, value: { outboxId: item!.id } };
  });
}
