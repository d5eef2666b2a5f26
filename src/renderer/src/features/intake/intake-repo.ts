import * as rules from '../../../../shared/cases/intake';
import type { DrawOutcome, IntakeMaterial, IntakeResult } from '../../../../shared/cases/intake';
import type { CaseRow } from '../../../../shared/domain/case';
import type { MaterialKind } from '../../../../shared/domain/material';
import type { User } from '../../../../shared/domain/user';
import type { IntakeInput } from '../../../../shared/review/intake';
import type { WorkstationDb } from '../../db/db';
import { dexieStore } from '../../db/dexie-store';
import { blobSha256, type AttachmentRow } from '../../sync/attachments-store';
import { assignmentTables, commandContext, deskContext, freshSeed, newId, type ReviewContext } from '../cases/assignment-repo';
import type { CaseContext } from '../../../../shared/cases/context';
import type { CommandPayload } from '../../../../shared/hospital/commands';
import { withCommand } from '../../hospital/desk-commands';
import { worksThroughServer, runOnline } from '../../hospital/desk-session';

export type { DrawOutcome, IntakeReceipt, IntakeResult, Offeree } from '../../../../shared/cases/intake';

/** One uploaded file and what the desk says about it. */
export interface IntakeFile {
  blob: Blob;
  name: string;
  kind: MaterialKind;
  documentDate: string | null;
  sourceInstitution: string;
  /** Bears the treating hospital's stamp (002), as the clerk sees it on the paper. */
  stamped: boolean;
}

export interface TakeApplicationInput extends Omit<IntakeInput, 'materials'> {
  files?: readonly IntakeFile[];
}

/** The tables intake writes: assignment's plus the person, materials, their bytes and the person's certifications. */
export const intakeTables = (db: WorkstationDb) => [...assignmentTables(db), db.persons, db.materials, db.attachments, db.certifications];

/** A file's type from its name when the system gives none (some scanners' PDFs arrive without one). */
export function mimeOf(name: string, type: string): string {
  if (type) return type;
  const ext = name.toLowerCase().split('.').pop();
  return ext === 'pdf' ? 'application/pdf' : ext === 'png' ? 'image/png' : ext === 'jpg' || ext === 'jpeg' ? 'image/jpeg' : '';
}

/** What the desk shows while the clerk types: the person known here, their held diseases and open applications. */
export function loadApplicant(db: WorkstationDb, certType: string, certNo: string) {
  return db.transaction('r', [db.persons, db.cases, db.certifications], async () => rules.readApplicant(dexieStore(db), certType, certNo));
}

/**
 * 受理申请 (shared/cases/intake.ts): stores (or updates) the insured person, the case, its
 * materials and their bytes, and offers the first stage at once — one transaction, so a refused
 * or failed intake leaves nothing behind. Files are hashed before it opens: an awaited digest
 * inside would let IndexedDB commit early. Bytes are stored once per content, and only when the
 * application is taken.
 */
export async function takeApplication(db: WorkstationDb, ctx: ReviewContext, input: TakeApplicationInput, actor: Pick<User, 'id'>, now = new Date(), seed = freshSeed()): Promise<IntakeResult> {
  const { files = [], ...application } = input;
  const hashed = await Promise.all(files.map(async (f) => ({ ...f, mime: mimeOf(f.name, f.blob.type), size: f.blob.size, sha256: await blobSha256(f.blob) })));
  const at = now.toISOString();
  const take = async (cx: CaseContext): Promise<IntakeResult> => {
    const attachments = new Map<string, AttachmentRow>();
    const fresh: AttachmentRow[] = [];
    for (const f of hashed) {
      if (attachments.has(f.sha256)) continue;
      let row = await db.attachments.where('sha256').equals(f.sha256).first();
      if (!row) {
        row = { id: newId('att'), sha256: f.sha256, name: f.name, type: f.mime, size: f.size, blob: f.blob, createdAt: at };
        fresh.push(row);
      }
      attachments.set(f.sha256, row);
    }
    const materials: IntakeMaterial[] = hashed.map((f) => ({
      kind: f.kind, fileName: f.name, mime: f.mime, size: f.size, documentDate: f.documentDate, sourceInstitution: f.sourceInstitution,
      sha256: f.sha256, stamped: f.stamped, attachmentId: attachments.get(f.sha256)!.id,
    }));
    sent = { ...application, materials };
    const r = await rules.takeApplication(dexieStore(db), cx, sent, actor);
    if (r.ok) for (const row of fresh) await db.attachments.add(row);
    return r;
  };
  let sent: rules.IntakeApplication | undefined;
  if (worksThroughServer()) {
    // The desk keeps the case at once; the server draws the reviewer when the command reaches it
    // (at once when the link is up), and its answer replaces this desk's copy of the case.
    const r = await withCommand(
      db,
      intakeTables(db),
      { kind: 'case.take', payload: () => sent as CommandPayload<'case.take'>, userId: actor.id, now },
      (ids) => take(commandContext(ctx, now, ids)),
      (v) => v.caseId,
    );
    return r as IntakeResult;
  }
  return db.transaction('rw', intakeTables(db), async () => take(deskContext(ctx, now, seed)));
}

/** Cases nobody eligible could be drawn for, oldest deadline first (the 医保办 must act). */
export function unassignedCases(db: WorkstationDb, limit = 50): Promise<CaseRow[]> {
  return db.cases.where('[status+deadlineAt]').between(['unassigned', ''], ['unassigned', '\uffff']).limit(limit).toArray();
}

/** Draws again for an unassigned case, e.g. once 设置 → 认定医师 has an eligible physician. */
export async function redrawCase(db: WorkstationDb, ctx: ReviewContext, caseId: string, actor: Pick<User, 'id'>, now = new Date(), seed = freshSeed()): Promise<{ ok: true; value: DrawOutcome } | { ok: false; message: string }> {
  if (worksThroughServer()) {
    // Only the server draws: this waits for its answer.
    try {
      return { ok: true, value: (await runOnline('case.redraw', { caseId })) as DrawOutcome };
    } catch (e) {
      return { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
  }
  return db.transaction('rw', assignmentTables(db), async () => rules.redrawCase(dexieStore(db), deskContext(ctx, now, seed), caseId, actor));
}
