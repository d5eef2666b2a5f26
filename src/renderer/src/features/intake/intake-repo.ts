import type { CaseRow, CaseStatus } from '../../../../shared/domain/case';
import type { InsuredPerson } from '../../../../shared/domain/insured';
import type { Material, MaterialKind } from '../../../../shared/domain/material';
import type { User } from '../../../../shared/domain/user';
import { OFFICE_ASSIGNEE } from '../../../../shared/domain/work-item';
import { buildIntakeCase, type ApplicantHistory, type IntakeInput, type IntakeMime, type IntakeProblem } from '../../../../shared/review/intake';
import { intakePerson, normalizeCertNo } from '../../../../shared/review/intake-person';
import { appendAudit } from '../../db/audit';
import type { WorkstationDb } from '../../db/db';
import { blobSha256, type AttachmentRow } from '../../sync/attachments-store';
import { assignmentTables, assignNext, freshSeed, newId, offerNext, type ReviewContext } from '../cases/assignment-repo';
import { dueOfRow, type CompletionDue } from '../../../../shared/review/deadlines';

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

/** Who a stage went to: a physician, or the 医保办's own queue. */
export interface Offeree {
  id: string;
  name: string;
}

/** Where a case stands after a draw. */
export interface DrawOutcome {
  status: CaseStatus;
  stageLabel: string;
  offeredTo: Offeree[];
  /** Why nobody was drawn; null when someone was. */
  unassignedReason: string | null;
}

export interface IntakeReceipt extends DrawOutcome {
  caseId: string;
  personId: string;
  personName: string;
  diseaseName: string;
  receivedOn: string;
  due: CompletionDue;
  materials: number;
  warnings: string[];
}

export type IntakeResult = { ok: true; value: IntakeReceipt } | { ok: false; message: string; problems: IntakeProblem[] };

/** The tables intake writes: assignment's plus the person, materials, their bytes and the person's certifications. */
export const intakeTables = (db: WorkstationDb) => [...assignmentTables(db), db.persons, db.materials, db.attachments, db.certifications];

const OFFICE_NAME = '医保办';

/** A file's type from its name when the system gives none (some scanners' PDFs arrive without one). */
export function mimeOf(name: string, type: string): string {
  if (type) return type;
  const ext = name.toLowerCase().split('.').pop();
  return ext === 'pdf' ? 'application/pdf' : ext === 'png' ? 'image/png' : ext === 'jpg' || ext === 'jpeg' ? 'image/jpeg' : '';
}

/** The person with this document number and what the workstation holds about them. Call inside a transaction, or through loadApplicant. */
async function readApplicant(db: WorkstationDb, certType: string, certNo: string): Promise<{ person: InsuredPerson | null; history: ApplicantHistory }> {
  const key = normalizeCertNo(certType, certNo);
  if (!key) return { person: null, history: { cases: [], certifications: [] } };
  const persons = await db.persons.where('certNo').equals(key).toArray();
  const ids = persons.map((p) => p.id);
  // By number as well as by person: a second person row for the same number must not hide an open case.
  const [byNumber, byPerson, certifications] = await Promise.all([
    db.cases.where('certNo').equals(key).toArray(),
    ids.length ? db.cases.where('personId').anyOf(ids).toArray() : [],
    ids.length ? db.certifications.where('personId').anyOf(ids).toArray() : [],
  ]);
  const cases = new Map<string, CaseRow>();
  for (const c of [...byNumber, ...byPerson]) cases.set(c.id, c);
  const person = persons.find((p) => p.certType === certType) ?? persons[0] ?? null;
  return { person, history: { cases: [...cases.values()], certifications } };
}

/** What the desk shows while the clerk types: the person known here, their held diseases and open applications. */
export function loadApplicant(db: WorkstationDb, certType: string, certNo: string) {
  return db.transaction('r', [db.persons, db.cases, db.certifications], () => readApplicant(db, certType, certNo));
}

/** The stage's reviewers by name and why nobody was drawn. Call inside a transaction on assignmentTables. */
async function drawOutcome(db: WorkstationDb, caseId: string, reviewerIds: readonly string[]): Promise<DrawOutcome> {
  const c = await db.cases.get(caseId);
  const profiles = await db.physicians.bulkGet(reviewerIds.filter((id) => id !== OFFICE_ASSIGNEE));
  const names = new Map(profiles.flatMap((p) => (p ? [[p.id, p.name] as const] : [])));
  const offeredTo = reviewerIds.map((id) => ({ id, name: id === OFFICE_ASSIGNEE ? OFFICE_NAME : (names.get(id) ?? id) }));
  let unassignedReason: string | null = null;
  if (offeredTo.length === 0) {
    const last = await db.audit.orderBy('seq').last();
    const message = last?.kind === 'case.unassigned' && last.subject === caseId ? last.detail['message'] : undefined;
    unassignedReason = typeof message === 'string' ? message : '政策包没有给出下一审核环节';
  }
  return { status: c?.status ?? 'unassigned', stageLabel: c?.stageLabel ?? '', offeredTo, unassignedReason };
}

/**
 * 受理申请: stores (or updates) the insured person, the case, its materials and their bytes, and
 * offers the first stage at once (as assignNext does) — one transaction, so a refused or failed
 * intake leaves nothing behind. Files are hashed before it opens: an awaited digest inside would
 * let IndexedDB commit early.
 */
export async function takeApplication(db: WorkstationDb, ctx: ReviewContext, input: TakeApplicationInput, actor: Pick<User, 'id'>, now = new Date(), seed = freshSeed()): Promise<IntakeResult> {
  const files = input.files ?? [];
  const hashed = await Promise.all(files.map(async (f) => ({ ...f, mime: mimeOf(f.name, f.blob.type), size: f.blob.size, sha256: await blobSha256(f.blob) })));
  const at = now.toISOString();
  return db.transaction('rw', intakeTables(db), async (): Promise<IntakeResult> => {
    const refuse = (problems: IntakeProblem[]): IntakeResult => ({ ok: false, message: problems.map((p) => p.message).join('；'), problems });
    const { person: known, history } = await readApplicant(db, input.person.certType, input.person.certNo);
    const person = intakePerson(input.person, known, { id: newId('psn'), now: at });
    if (!person.ok) return refuse(person.problems);
    const psnNo = person.person.psnNo;
    const holder = psnNo ? await db.persons.where('psnNo').equals(psnNo).first() : undefined;
    if (holder && holder.certNo !== person.person.certNo) {
      return refuse([{ code: 'person', field: 'person', message: `人员编号 ${psnNo} 在本机属于另一参保人（${holder.name}），请核对后再受理` }]);
    }
    const materials = hashed.map((f) => ({ kind: f.kind, fileName: f.name, mime: f.mime, size: f.size, documentDate: f.documentDate, sourceInstitution: f.sourceInstitution }));
    const built = buildIntakeCase(ctx, { ...input, materials }, person.person, history, { id: newId('case'), now });
    if (!built.ok) return refuse(built.problems);
    const { caseRow } = built;

    await db.persons.put(person.person);
    await db.cases.put(caseRow);
    const rows: Material[] = [];
    for (const f of hashed) {
      let attachment: AttachmentRow | undefined = await db.attachments.where('sha256').equals(f.sha256).first();
      if (!attachment) {
        attachment = { id: newId('att'), sha256: f.sha256, name: f.name, type: f.mime, size: f.size, blob: f.blob, createdAt: at };
        await db.attachments.add(attachment);
      }
      rows.push({
        id: newId('mat'), caseId: caseRow.id, personId: caseRow.personId, kind: f.kind, recordType: null, title: f.name,
        sourceInstitution: f.sourceInstitution.trim(), documentDate: f.documentDate, mime: f.mime as IntakeMime, size: f.size,
        sha256: f.sha256, attachmentId: attachment.id, stamped: f.stamped, addedAt: at,
      });
    }
    await db.materials.bulkPut(rows);
    await appendAudit(db, {
      kind: 'case.received', actorId: actor.id, at, subject: caseRow.id,
      detail: { personId: caseRow.personId, diseaseCode: caseRow.diseaseCode, kind: caseRow.kind, channel: caseRow.channel, receivedOn: caseRow.receivedOn, due: dueOfRow(caseRow), materials: rows.map((m) => m.id) },
    });
    const offered = await offerNext(db, ctx, caseRow, now, seed, null);
    const outcome = await drawOutcome(db, caseRow.id, offered.map((a) => a.reviewerId));
    return {
      ok: true,
      value: { ...outcome, caseId: caseRow.id, personId: caseRow.personId, personName: caseRow.personName, diseaseName: caseRow.diseaseName, receivedOn: caseRow.receivedOn, due: dueOfRow(caseRow), materials: rows.length, warnings: built.warnings },
    };
  });
}

/** Cases nobody eligible could be drawn for, oldest deadline first (the 医保办 must act). */
export function unassignedCases(db: WorkstationDb, limit = 50): Promise<CaseRow[]> {
  return db.cases.where('[status+deadlineAt]').between(['unassigned', ''], ['unassigned', '\uffff']).limit(limit).toArray();
}

/** Draws again for an unassigned case, e.g. once 设置 → 认定医师 has an eligible physician. */
export async function redrawCase(db: WorkstationDb, ctx: ReviewContext, caseId: string, actor: Pick<User, 'id'>, now = new Date(), seed = freshSeed()): Promise<{ ok: true; value: DrawOutcome } | { ok: false; message: string }> {
  return db.transaction('rw', assignmentTables(db), async () => {
    const c = await db.cases.get(caseId);
    if (!c) return { ok: false as const, message: '案件不存在' };
    if (c.status !== 'unassigned') return { ok: false as const, message: '该案件已不在待分配状态' };
    await appendAudit(db, { kind: 'case.redraw-requested', actorId: actor.id, at: now.toISOString(), subject: caseId, detail: { stage: c.stage } });
    const r = await assignNext(db, ctx, caseId, now, seed);
    if (!r.ok) return r;
    return { ok: true as const, value: await drawOutcome(db, caseId, r.value.map((a) => a.reviewerId)) };
  });
}
