import type { PersonRows } from '../../../../shared/case-file/case-file';
import type { InsuredPerson } from '../../../../shared/domain/insured';
import { OFFICE_ASSIGNEE } from '../../../../shared/domain/work-item';
import { parseSearch } from '../../../../shared/review/worklist';
import type { FilingRow } from '../../../../shared/hospital/filings';
import type { WorkstationDb } from '../../db/db';

/** A search lists a page of people, not the table: a two-character surname prefix can match thousands. */
export const SEARCH_LIMIT = 50;

const byNameThenId = (a: InsuredPerson, b: InsuredPerson) => a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id);

/**
 * Insured persons by what the desk types (the same rules as the worklist's search): digits search
 * ID numbers and psn_no by prefix, anything else names by prefix — each through its own index on
 * `persons`; at most `limit`, by name. Fewer than two characters search nothing.
 */
export async function searchPersons(db: WorkstationDb, text: string, limit = SEARCH_LIMIT): Promise<InsuredPerson[]> {
  const key = parseSearch(text);
  if (!key) return [];
  // A psn_no or a non-resident document number may hold letters: Latin text searches the numbers as well as names.
  const numbers = key.kind === 'number' || /^[0-9A-Za-z-]+$/.test(key.value);
  // Stored numbers are upper-case (an ID number's X, a psn_no's letters); a scanner or a hurried hand may not be.
  const number = key.value.toUpperCase();
  const [byName, byCert, byPsn] = await Promise.all([
    key.kind === 'name' ? db.persons.where('name').startsWith(key.value).limit(limit).toArray() : [],
    numbers ? db.persons.where('certNo').startsWith(number).limit(limit).toArray() : [],
    numbers ? db.persons.where('psnNo').startsWith(number).limit(limit).toArray() : [],
  ]);
  const seen = new Map<string, InsuredPerson>();
  for (const p of [...byName, ...byCert, ...byPsn]) seen.set(p.id, p);
  return [...seen.values()].sort(byNameThenId).slice(0, limit);
}

/** How many persons the workstation knows, so an empty search can say there is nobody yet. */
export const countPersons = (db: WorkstationDb): Promise<number> => db.persons.count();

/**
 * Everything the workstation holds about one person, read by index in one transaction so the
 * file is never half old, half new:
 * - cases by `personId`; assignments, reviews and recognitions by `caseId` of those cases;
 * - certifications by `personId`;
 * - the hospital server's messages for the person (`filings`, which only the 医保办's desks hold):
 *   by psn_no, and by the certifications' and 互认 records' own message ids (a message queued
 *   under a psn_no corrected since);
 * - names of the physicians and users involved, by id (never the whole roster).
 */
export async function loadPersonRows(db: WorkstationDb, personId: string): Promise<PersonRows | null> {
  return db.transaction('r', [db.persons, db.cases, db.assignments, db.reviews, db.recognitions, db.certifications, db.filings, db.physicians, db.users], async () => {
    const person = await db.persons.get(personId);
    if (!person) return null;
    const cases = await db.cases.where('personId').equals(personId).toArray();
    const caseIds = cases.map((c) => c.id);
    const lane: Promise<FilingRow[]> = person.psnNo ? db.filings.where('psnNo').equals(person.psnNo).toArray() : Promise.resolve([]);
    const [assignments, reviews, recognitions, certifications, laneRows] = await Promise.all([
      db.assignments.where('caseId').anyOf(caseIds).toArray(),
      db.reviews.where('caseId').anyOf(caseIds).toArray(),
      db.recognitions.where('caseId').anyOf(caseIds).toArray(),
      db.certifications.where('personId').equals(personId).toArray(),
      lane,
    ]);
    const seen = new Set(laneRows.map((i) => i.id));
    const referenced = [...certifications.flatMap((c) => ('outboxId' in c ? [c.outboxId] : [])), ...certifications.flatMap((c) => (c.state === 'revoking' ? [c.revocationId] : [])), ...recognitions.flatMap((r) => (r.outboxId ? [r.outboxId] : []))];
    const elsewhere = [...new Set(referenced)].filter((id) => !seen.has(id));
    const extra = elsewhere.length ? (await db.filings.bulkGet(elsewhere)).filter((i): i is FilingRow => i !== undefined) : [];
    const filings = [...laneRows, ...extra].sort((a, b) => (a.queuedAt < b.queuedAt ? -1 : a.queuedAt > b.queuedAt ? 1 : a.id < b.id ? -1 : 1));

    const ids = [...new Set([...assignments.flatMap((a) => [a.reviewerId, ...(a.draw.mode === 'direct' ? [a.draw.by] : [])]), ...recognitions.map((r) => r.physicianId)])].filter((id) => id !== OFFICE_ASSIGNEE);
    const [physicians, users] = await Promise.all([db.physicians.bulkGet(ids), db.users.bulkGet(ids)]);
    const names = new Map<string, string>();
    for (const u of users) if (u) names.set(u.id, u.displayName);
    for (const p of physicians) if (p) names.set(p.id, p.name);
    return { person, cases, assignments, reviews, recognitions, certifications, filings, names };
  });
}
