/**
 * The 互认 log over any `Store`: a physician's decision on one outside result, recorded once and
 * queued for the platform (HR01, or the province's code) together with its audit entry. The
 * platform outbox is the caller's (the desk's IndexedDB outbox, the server's own), reached through
 * `queue`, which must write in the same transaction.
 */
import type { PhysicianProfile } from '../domain/physician';
import type { Recognition, RecognitionDecision } from '../domain/recognition';
import type { PolicyPack } from '../policy/schema';
import { recognitionMessageData, recordRecognition } from '../review/recognition';
import type { Store } from '../store/store';
import type { OutboxMessage, OutboxMeta } from '../sync/outbox-item';
import type { RuleContext, RuleResult } from './context';

export interface RecognitionRequest {
  caseId: string;
  resultId: string;
  decision: RecognitionDecision;
  /** The user deciding; their registry profile, when there is one, supplies the rest. */
  physician: { id: string; displayName: string; department?: string | undefined };
  /** The province's transaction code for the 互认 extension. */
  infno: string;
}

/** Queues one platform message in the caller's transaction (it may throw to abort it); answers the outbox item's id. */
export type QueueMessage = (entry: { message: OutboxMessage; meta: OutboxMeta }, actorId: string, now: Date) => Promise<string>;

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
 * Records a physician's 互认 decision on one outside result and queues it for the platform: the
 * log entry, its outbox item and the audit entry, all in the caller's transaction. One decision
 * per result and physician; a decision is never edited. Without a psn_no the entry is kept and
 * says so (outboxId null).
 */
export async function saveRecognition(
  store: Store,
  cx: Pick<RuleContext, 'now' | 'newId'>,
  pack: PolicyPack,
  req: RecognitionRequest,
  queue: QueueMessage,
): Promise<RuleResult<{ recognition: Recognition; queued: boolean }>> {
  const { now } = cx;
  const [caseRow, result, stored] = await Promise.all([store.get('cases', req.caseId), store.get('outsideResults', req.resultId), store.get('physicians', req.physician.id)]);
  if (!caseRow || !result || result.caseId !== caseRow.id) return { ok: false, message: '该检查检验结果不属于本案件' };
  const profile: Pick<PhysicianProfile, 'id' | 'name' | 'department' | 'paymentQualifications'> = stored ?? {
    id: req.physician.id,
    name: req.physician.displayName,
    department: req.physician.department ?? '',
    paymentQualifications: [],
  };
  const made = recordRecognition(pack, { id: cx.newId('rcg'), result, caseRow, decision: req.decision, physician: profile, now });
  if (!made.ok) return made;
  const person = await store.get('persons', caseRow.personId);
  const message = recognitionMessage(made.recognition, recognitionMessageData(made.recognition, result, caseRow, profile), req.infno, person?.regionCode ?? caseRow.regionCode);
  if (message && !profile.paymentQualifications.some((q) => q.code)) return { ok: false, message: '认定医师库中没有您的医保医师代码，无法上传互认记录；请联系医保办登记' };

  const earlier = (await store.find('recognitions', 'resultId', [result.id])).filter((r) => r.physicianId === req.physician.id);
  if (earlier.length > 0) return { ok: false, message: '您已对该结果作出互认决定，不能修改' };
  const summary = `${result.item} ${made.recognition.decision.decision === 'repeated' ? '重复检查' : '互认'}`;
  const outboxId = message ? await queue({ message, meta: { psnName: caseRow.personName, summary, createdBy: req.physician.displayName } }, req.physician.id, now) : null;
  const recognition: Recognition = { ...made.recognition, outboxId };
  await store.put('recognitions', recognition);
  await store.audit({
    kind: 'recognition.recorded',
    actorId: req.physician.id,
    at: recognition.at,
    subject: caseRow.id,
    detail: { recognitionId: recognition.id, resultId: result.id, item: result.item, decision: recognition.decision, withinValidity: recognition.withinValidity, outboxId: recognition.outboxId },
  });
  return { ok: true, value: { recognition, queued: outboxId !== null } };
}
