/** Writes synthetic persons 0..n-1 into the database, skipping those already there. */
import type { Db } from './db';
import { syntheticPerson, type SyntheticPerson } from './persons';

const COLUMNS = [
  'psn_no', 'seq', 'certno', 'psn_name', 'gend', 'naty', 'brdy', 'insutype', 'insuplc_admdvs',
  'psn_type', 'psn_insu_date', 'emp_name', 'ec_token', 'card_no', 'card_sn',
] as const satisfies readonly (keyof SyntheticPerson)[];

const CHUNK = 500;

/** Returns how many persons were added. */
export async function seedPersons(db: Db, n: number, regionCode: string): Promise<number> {
  if (n <= 0) return 0;
  const have = (await db.query<{ n: number }>('select count(*)::int as n from persons where seq < $1', [n])).rows[0]!.n;
  if (have >= n) return 0;
  let added = 0;
  await db.transaction(async (tx) => {
    for (let start = 0; start < n; start += CHUNK) {
      const people = Array.from({ length: Math.min(CHUNK, n - start) }, (_, i) => syntheticPerson(start + i, regionCode));
      const params: unknown[] = [];
      const tuples = people.map((p) => `(${COLUMNS.map((c) => `$${params.push(p[c])}`).join(', ')})`);
      const r = await tx.query(`insert into persons (${COLUMNS.join(', ')}) values ${tuples.join(', ')} on conflict do nothing`, params);
      added += r.affectedRows ?? 0;
    }
  });
  return added;
}
