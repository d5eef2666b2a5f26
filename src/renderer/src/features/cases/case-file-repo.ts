import { caseFile, type CaseFile } from '../../../../shared/case-file/timeline';
import type { InsuredPerson } from '../../../../shared/domain/insured';
import type { PolicyPack } from '../../../../shared/policy/schema';
import { parseSearch } from '../../../../shared/review/worklist';
import type { WorkstationDb } from '../../db/db';

/**
 * Finds insured persons by name, ID number or psn_no prefix (the 档案 search box), through the
 * persons table's indexes; at most `limit`, by name.
 */
export async function findPersons(db: WorkstationDb, text: string, limit = 50): Promise<InsuredPerson[]> {
  const key = parseSearch(text);
  if (!key) return [];
  if (key.kind === 'name') return db.persons.where('name').startsWith(key.value).limit(limit).toArray();
  const [byCert, byPsn] = await Promise.all([
    db.persons.where('certNo').startsWith(key.value).limit(limit).toArray(),
    db.persons.where('psnNo').startsWith(key.value).limit(limit).toArray(),
  ]);
  const seen = new Map<string, InsuredPerson>();
  for (const p of [...byCert, ...byPsn]) seen.set(p.id, p);
  return [...seen.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).slice(0, limit);
}

/** Everything the workstation holds about one person, as their case file. */
export async function loadCaseFile(db: WorkstationDb, pack: PolicyPack, personId: string, today: string): Promise<CaseFile | null> {
  return db.transaction('r', [db.persons, db.cases, db.assignments, db.reviews, db.recognitions, db.certifications, db.physicians, db.users], async () => {
    const person = await db.persons.get(personId);
    if (!person) return null;
    const cases = await db.cases.where('personId').equals(personId).toArray();
    const caseIds = cases.map((c) => c.id);
    const [assignments, reviews, recognitions, certifications, physicians, users] = await Promise.all([
      db.assignments.where('caseId').anyOf(caseIds).toArray(),
      db.reviews.where('caseId').anyOf(caseIds).toArray(),
      db.recognitions.where('caseId').anyOf(caseIds).toArray(),
      db.certifications.where('personId').equals(personId).toArray(),
      db.physicians.toArray(),
      db.users.toArray(),
    ]);
    const names = new Map<string, string>([['office', '医保办'], ...users.map((u) => [u.id, u.displayName] as [string, string]), ...physicians.map((p) => [p.id, p.name] as [string, string])]);
    return caseFile(pack, { person, cases, assignments, reviews, recognitions, certifications }, today, names);
  });
}
