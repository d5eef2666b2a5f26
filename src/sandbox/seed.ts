/** Writes synthetic persons 0..n-1 into the database, skipping those already there. */
import type { Db } from './db';
import { first, literal, run, sql, trusted } from './sql';
import { syntheticPerson, type SyntheticPerson } from './persons';

const COLUMNS = [
  'psn_no', 'seq', 'certno', 'psn_name', 'gend', 'naty', 'brdy', 'insutype', 'insuplc_admdvs',
  'psn_type', 'psn_insu_date', 'emp_name', 'ec_token', 'card_no', 'card_sn',
] as const satisfies readonly (keyof SyntheticPerson)[];

const CHUNK = 500;

/** Returns how many persons were added. */
export async function seedPersons(db: Db, n: number, regionCode: string): Promise<number> {
  if (n <= 0) return 0;
  const count = async () => (await first<{ n: number }>(db, sql`select count(*)::int as n from persons where seq < ${n}`))!.n;
  const have = await count();
  if (have >= n) return 0;
  const columns = trusted(COLUMNS.join(', '));
  await db.transaction(async (tx) => {
    for (let start = 0; start < n; start += CHUNK) {
      const people = Array.from({ length: Math.min(CHUNK, n - start) }, (_, i) => syntheticPerson(start + i, regionCode));
      const tuples = people.map((p) => `(${COLUMNS.map((c) => literal(p[c])).join(', ')})`).join(', ');
      await run(tx, sql`insert into persons (${columns}) values ${trusted(tuples)} on conflict do nothing`);
    }
  });
  return (await count()) - have;
}
