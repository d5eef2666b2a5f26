/**
 * 受理申请 over any `Store`: the person stored or updated, the case and its materials' rows, and
 * the first stage offered at once; and the 医保办's redraw of a case nobody could be drawn for.
 * Materials arrive already described (content hash, size, type, where their bytes are): hashing
 * and storing bytes belong to the caller, before or beside the transaction.
 */
import type { CaseRow, CaseStatus } from '../domain/case';
import type { InsuredPerson } from '../domain/insured';
import type { Material } from '../domain/material';
import { OFFICE_ASSIGNEE } from '../domain/work-item';
import { dueOfRow, type CompletionDue } from '../review/deadlines';
import { buildIntakeCase, type ApplicantHistory, type IntakeInput, type IntakeMaterialInput, type IntakeMime, type IntakeProblem } from '../review/intake';
import { intakePerson, normalizeCertNo } from '../review/intake-person';
import type { Store } from '../store/store';
import { offerNext } from './assignment';
import type { CaseContext, RuleResult } from './context';

/** One material as the desk describes it, its bytes already stored or on their way. */
export interface IntakeMaterial extends IntakeMaterialInput {
  sha256: string;
  /** Bears the treating hospital's stamp (002), as the clerk sees it on the paper. */
  stamped: boolean;
  /** Where the bytes are (the desk's attachments row); null when only the metadata exists here. */
  attachmentId: string | null;
}

export interface IntakeApplication extends Omit<IntakeInput, 'materials'> {
  materials?: readonly IntakeMaterial[];
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

const OFFICE_NAME = '医保办';

/** The person with this document number and what is held about them: their cases and certifications. */
export async function readApplicant(store: Store, certType: string, certNo: string): Promise<{ person: InsuredPerson | null; history: ApplicantHistory }> {
  const key = normalizeCertNo(certType, certNo);
  if (!key) return { person: null, history: { cases: [], certifications: [] } };
  const persons = (await store.find('persons', 'certNo', [key])).sort(byId);
  const ids = persons.map((p) => p.id);
  // By number as well as by person: a second person row for the same number must not hide an open case.
  const [byNumber, byPerson, certifications] = await Promise.all([
    store.find('cases', 'certNo', [key]),
    ids.length ? store.find('cases', 'personId', ids) : [],
    ids.length ? store.find('certifications', 'personId', ids) : [],
  ]);
  const cases = new Map<string, CaseRow>();
  for (const c of [...byNumber, ...byPerson]) cases.set(c.id, c);
  const person = persons.find((p) => p.certType === certType) ?? persons[0] ?? null;
  return { person, history: { cases: [...cases.values()], certifications } };
}

/** Where the case stands after a draw: the stage's reviewers by name, and why nobody was drawn. */
async function drawOutcome(store: Store, caseId: string, reviewerIds: readonly string[], unassignedReason: string | null): Promise<DrawOutcome> {
  const c = await store.get('cases', caseId);
  const profiles = await store.getMany('physicians', reviewerIds.filter((id) => id !== OFFICE_ASSIGNEE));
  const names = new Map(profiles.flatMap((p) => (p ? [[p.id, p.name] as const] : [])));
  const offeredTo = reviewerIds.map((id) => ({ id, name: id === OFFICE_ASSIGNEE ? OFFICE_NAME : (names.get(id) ?? id) }));
  return { status: c?.status ?? 'unassigned', stageLabel: c?.stageLabel ?? '', offeredTo, unassignedReason: offeredTo.length === 0 ? unassignedReason : null };
}

/**
 * 受理申请: stores (or updates) the insured person, the case and its materials' rows, and offers
 * the first stage at once. Every check comes before the first write, so a refused application
 * leaves nothing behind.
 */
export async function takeApplication(store: Store, cx: CaseContext, input: IntakeApplication, actor: { id: string }): Promise<IntakeResult> {
  const at = cx.now.toISOString();
  const refuse = (problems: IntakeProblem[]): IntakeResult => ({ ok: false, message: problems.map((p) => p.message).join('；'), problems });
  const files = input.materials ?? [];
  const { person: known, history } = await readApplicant(store, input.person.certType, input.person.certNo);
  const person = intakePerson(input.person, known, { id: cx.newId('psn'), now: at });
  if (!person.ok) return refuse(person.problems);
  const psnNo = person.person.psnNo;
  const holder = psnNo ? (await store.find('persons', 'psnNo', [psnNo])).sort(byId)[0] : undefined;
  if (holder && holder.certNo !== person.person.certNo) {
    return refuse([{ code: 'person', field: 'person', message: `人员编号 ${psnNo} 在本机属于另一参保人（${holder.name}），请核对后再受理` }]);
  }
  const materials = files.map((f) => ({ kind: f.kind, fileName: f.fileName, mime: f.mime, size: f.size, documentDate: f.documentDate, sourceInstitution: f.sourceInstitution }));
  const built = buildIntakeCase(cx, { ...input, materials }, person.person, history, { id: cx.newId('case'), now: cx.now });
  if (!built.ok) return refuse(built.problems);
  const { caseRow } = built;

  await store.put('persons', person.person);
  await store.put('cases', caseRow);
  const rows: Material[] = files.map((f) => ({
    id: cx.newId('mat'), caseId: caseRow.id, personId: caseRow.personId, kind: f.kind, recordType: null, title: f.fileName,
    sourceInstitution: f.sourceInstitution.trim(), documentDate: f.documentDate, mime: f.mime as IntakeMime, size: f.size,
    sha256: f.sha256, attachmentId: f.attachmentId, stamped: f.stamped, addedAt: at,
  }));
  for (const m of rows) await store.put('materials', m);
  await store.audit({
    kind: 'case.received', actorId: actor.id, at, subject: caseRow.id,
    detail: { personId: caseRow.personId, diseaseCode: caseRow.diseaseCode, kind: caseRow.kind, channel: caseRow.channel, receivedOn: caseRow.receivedOn, due: dueOfRow(caseRow), materials: rows.map((m) => m.id) },
  });
  const offer = await offerNext(store, cx, caseRow, null);
  const outcome = await drawOutcome(store, caseRow.id, offer.offered.map((a) => a.reviewerId), offer.unassignedReason);
  return {
    ok: true,
    value: { ...outcome, caseId: caseRow.id, personId: caseRow.personId, personName: caseRow.personName, diseaseName: caseRow.diseaseName, receivedOn: caseRow.receivedOn, due: dueOfRow(caseRow), materials: rows.length, warnings: built.warnings },
  };
}

/** Draws again for an unassigned case, e.g. once 设置 → 认定医师 has an eligible physician. */
export async function redrawCase(store: Store, cx: CaseContext, caseId: string, actor: { id: string }): Promise<RuleResult<DrawOutcome>> {
  const c = await store.get('cases', caseId);
  if (!c) return { ok: false, message: '案件不存在' };
  if (c.status !== 'unassigned') return { ok: false, message: '该案件已不在待分配状态' };
  await store.audit({ kind: 'case.redraw-requested', actorId: actor.id, at: cx.now.toISOString(), subject: caseId, detail: { stage: c.stage } });
  const offer = await offerNext(store, cx, c, null);
  return { ok: true, value: await drawOutcome(store, caseId, offer.offered.map((a) => a.reviewerId), offer.unassignedReason) };
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
