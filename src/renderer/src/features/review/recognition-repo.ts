import type { PhysicianProfile } from '../../../../shared/domain/physician';
import type { Recognition, RecognitionDecision } from '../../../../shared/domain/recognition';
import type { User } from '../../../../shared/domain/user';
import { DEFAULT_RECOGNITION_INFNO } from '../../../../shared/platform/recognition';
import type { PolicyPack } from '../../../../shared/policy/schema';
import { recognitionMessageData, recordRecognition } from '../../../../shared/review/recognition';
import type { OutboxMessage } from '../../../../shared/sync/outbox-item';
import { appendAudit } from '../../db/audit';
import type { WorkstationDb } from '../../db/db';
import type { DexieOutboxStore } from '../../sync/outbox-store';
import type { RepoResult } from '../cases/assignment-repo';

/**
 * The province's transaction code for the 互认 extension, from the platform settings (main holds
 * them); the default when main cannot be asked, so an offline desk still records and queues.
 */
export async function loadRecognitionInfno(): Promise<string> {
  try {
    const r = await window.api.platform.getConfig({});
    if (r.ok && r.value.config.recognitionInfno) return r.value.config.recognitionInfno;
  } catch {
    // Main unreachable: the default stands; validation still refuses a national code.
  }
  return DEFAULT_RECOGNITION_INFNO;
}

export interface RecognitionRequest {
  caseId: string;
  resultId: string;
  decision: RecognitionDecision;
  physician: Pick<User, 'id' | 'displayName' | 'department'>;
  infno: string;
  now?: Date;
}

/** The outbox message of a log entry; null when the person has no psn_no yet (the platform requires it). */
export function recognitionMessage(rec: Recognition, data: Record<string, string | undefined>, infno: string, insuplcAdmdvs: string): OutboxMessage | null {
  const psnNo = data['psn_no'];
  if (!psnNo) return null;
  // Absent optional fields are left out rather than sent as undefined/"": the content hash and
  // the platform's duplicate check both compare exactly what was sent.
  const clean = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined && v !== ''));
  return { kind: 'recognition', infno, lane: psnNo, insuplcAdmdvs, input: { data: clean } };
}

/**
 * Records a physician's 互认 decision on one outside result and queues it for the platform, in
 * one strict transaction: the log entry, its outbox item and the audit entry commit together or
 * not at all. One decision per result and physician; a decision is never edited. Without a
 * psn_no the entry is kept locally and says so (outboxId null).
 */
export async function saveRecognition(db: WorkstationDb, store: DexieOutboxStore, pack: PolicyPack, req: RecognitionRequest): Promise<RepoResult<{ recognition: Recognition; queued: boolean }>> {
  const now = req.now ?? new Date();
  const [caseRow, result, stored] = await Promise.all([db.cases.get(req.caseId), db.outsideResults.get(req.resultId), db.physicians.get(req.physician.id)]);
  if (!caseRow || !result || result.caseId !== caseRow.id) return { ok: false, message: '该检查检验结果不属于本案件' };
  const profile: Pick<PhysicianProfile, 'id' | 'name' | 'department' | 'paymentQualifications'> = stored ?? {
    id: req.physician.id,
    name: req.physician.displayName,
    department: req.physician.department ?? '',
    paymentQualifications: [],
  };
  const made = recordRecognition(pack, { id: `rcg-${globalThis.crypto.randomUUID()}`, result, caseRow, decision: req.decision, physician: profile, now });
  if (!made.ok) return made;
  const person = await db.persons.get(caseRow.personId);
  const message = recognitionMessage(made.recognition, recognitionMessageData(made.recognition, result, caseRow, profile), req.infno, person?.regionCode ?? caseRow.regionCode);
  if (message && !profile.paymentQualifications.some((q) => q.code)) return { ok: false, message: '认定医师库中没有您的医保医师代码，无法上传互认记录；请联系医保办登记' };

  return db.transaction('rw', [db.recognitions, db.outbox, db.audit], async () => {
    const earlier = await db.recognitions.where('resultId').equals(result.id).filter((r) => r.physicianId === req.physician.id).count();
    if (earlier > 0) return { ok: false, message: '您已对该结果作出互认决定，不能修改' };
    // The store's enqueue joins this transaction (its tables are a subset), so all three commit together.
    const items = message ? await store.enqueue([{ message, meta: { psnName: caseRow.personName, summary: `${result.item} ${made.recognition.decision.decision === 'repeated' ? '重复检查' : '互认'}`, createdBy: req.physician.displayName } }], req.physician.id, now) : [];
    const recognition: Recognition = { ...made.recognition, outboxId: items[0]?.id ?? null };
    await db.recognitions.add(recognition);
    await appendAudit(db, {
      kind: 'recognition.recorded',
      actorId: req.physician.id,
      at: recognition.at,
      subject: caseRow.id,
      detail: { recognitionId: recognition.id, resultId: result.id, item: result.item, decision: recognition.decision, withinValidity: recognition.withinValidity, outboxId: recognition.outboxId },
    });
    return { ok: true, value: { recognition, queued: items.length > 0 } };
  });
}
