import * as rules from '../../../../shared/cases/recognition';
import type { QueueMessage, RecognitionRequest as SharedRecognitionRequest } from '../../../../shared/cases/recognition';
import type { Recognition } from '../../../../shared/domain/recognition';
import type { User } from '../../../../shared/domain/user';
import { DEFAULT_RECOGNITION_INFNO } from '../../../../shared/platform/recognition';
import type { PolicyPack } from '../../../../shared/policy/schema';
import type { WorkstationDb } from '../../db/db';
import { dexieStore } from '../../db/dexie-store';
import type { DexieOutboxStore } from '../../sync/outbox-store';
import { newId, type RepoResult } from '../cases/assignment-repo';
import { withCommand } from '../../hospital/desk-commands';
import { worksThroughServer } from '../../hospital/desk-session';
import { platformClient } from '../../hospital/platform-link';
import { errorText } from '../../lib/ipc';

export { recognitionMessage } from '../../../../shared/cases/recognition';

/**
 * The province's transaction code for the 互认 extension, from the platform settings the hospital
 * server keeps, with `notice` saying in Chinese why the default is used when the server could not
 * be asked (offline, or an account that may not read the settings) — an offline desk still records
 * and queues.
 */
export async function readRecognitionInfno(): Promise<{ infno: string; notice?: string }> {
  try {
    const view = await platformClient().platformConfig();
    return { infno: view.config.recognitionInfno || DEFAULT_RECOGNITION_INFNO };
  } catch (e) {
    return { infno: DEFAULT_RECOGNITION_INFNO, notice: `未能从院内服务器读取互认交易编号（${errorText(e)}），暂用默认编号 ${DEFAULT_RECOGNITION_INFNO}` };
  }
}

/** The code alone (the notice goes to the console): for callers that show no notice. */
export async function loadRecognitionInfno(): Promise<string> {
  const { infno, notice } = await readRecognitionInfno();
  if (notice) console.warn(notice);
  return infno;
}

export interface RecognitionRequest extends Omit<SharedRecognitionRequest, 'physician'> {
  physician: Pick<User, 'id' | 'displayName' | 'department'>;
  now?: Date;
}

/**
 * Records a physician's 互认 decision on one outside result and queues it for the platform, in
 * one strict transaction (shared/cases/recognition.ts): the log entry, its outbox item and the
 * audit entry commit together or not at all. The outbox store's enqueue joins the transaction
 * (its tables are a subset); a message failing the field rules throws and nothing is kept.
 */
export async function saveRecognition(db: WorkstationDb, store: DexieOutboxStore, pack: PolicyPack, req: RecognitionRequest): Promise<RepoResult<{ recognition: Recognition; queued: boolean }>> {
  const { now = new Date(), ...request } = req;
  const queue: QueueMessage = async (entry, actorId, at) => (await store.enqueue([entry], actorId, at))[0]!.id;
  if (worksThroughServer()) {
    // The entry goes to the server's 互认 log as a command (same ids on both sides), made in the
    // same transaction as the desk's copy. The platform message is the server's to make and send:
    // the desk's copy names it by the id the server gives it (derived from the command id).
    const tables = [db.cases, db.outsideResults, db.physicians, db.persons, db.recognitions, db.audit];
    return withCommand(
      db,
      tables,
      {
        kind: 'recognition.record',
        payload: (v: { recognition: Recognition; queued: boolean }) => ({ caseId: req.caseId, resultId: req.resultId, decision: req.decision, infno: req.infno, outboxId: v.recognition.outboxId }),
        userId: req.physician.id,
        now,
      },
      (ids) => rules.saveRecognition(dexieStore(db), { now, newId: ids }, pack, request, async () => ids('rc')),
      () => req.caseId,
    );
  }
  return db.transaction('rw', [db.cases, db.outsideResults, db.physicians, db.persons, db.recognitions, db.outbox, db.audit], async () =>
    rules.saveRecognition(dexieStore(db), { now, newId }, pack, request, queue),
  );
}
