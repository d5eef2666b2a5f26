/**
 * SQL text with every value written as an escaped literal, run through PGlite's simple protocol.
 *
 * Why not bind parameters: in PGlite a parameterised query goes through the extended protocol
 * and cost 1.5–5× a simple-protocol one in our measurements (0.25–0.4 ms against 0.5–2.7 ms per
 * statement, warm and cold), and the sandbox must take hundreds of filings per second. Values
 * still never reach SQL as raw text: the `sql` tag escapes each one (standard_conforming_strings
 * is on, checked at start), and fragments must themselves come from the tag or from `trusted`.
 */
import type { Db } from './db';

const FRAGMENT = Symbol('sql');

export interface Sql {
  readonly [FRAGMENT]: true;
  readonly text: string;
}

export type SqlValue = string | number | boolean | null | undefined | Date | Sql | readonly (string | number)[];

const fragment = (text: string): Sql => ({ [FRAGMENT]: true, text });

/** A fixed piece of SQL written in this code base (identifiers, column lists); never user input. */
export const trusted = (text: string): Sql => fragment(text);

/** The literal for one value. Lists become `(a, b)` for `in`; an empty list never matches. */
export function literal(value: SqlValue): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'object' && FRAGMENT in value) return value.text;
  if (Array.isArray(value)) return value.length === 0 ? '(null)' : `(${value.map((v) => literal(v)).join(', ')})`;
  if (value instanceof Date) return `'${value.toISOString()}'::timestamptz`;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = String(value);
  // PostgreSQL text cannot hold NUL; refuse rather than let the server truncate.
  if (text.includes('\u0000')) throw new RangeError('text contains NUL');
  return `'${text.replaceAll("'", "''")}'`;
}

export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): Sql {
  let text = strings[0]!;
  values.forEach((v, i) => {
    text += literal(v) + strings[i + 1]!;
  });
  return fragment(text);
}

/** Rows of the (last) statement. */
export async function rows<T>(db: Pick<Db, 'exec'>, q: Sql): Promise<T[]> {
  const results = await db.exec(q.text);
  return (results[results.length - 1]?.rows ?? []) as T[];
}

export async function first<T>(db: Pick<Db, 'exec'>, q: Sql): Promise<T | null> {
  return (await rows<T>(db, q))[0] ?? null;
}

export async function run(db: Pick<Db, 'exec'>, q: Sql): Promise<void> {
  await db.exec(q.text);
}

/** Fails when literals would not mean what `literal` assumes. */
export async function checkLiteralSemantics(db: Pick<Db, 'exec'>): Promise<void> {
  const r = await first<{ standard_conforming_strings: string }>(db, sql`show standard_conforming_strings`);
  if (r?.standard_conforming_strings !== 'on') throw new Error('standard_conforming_strings must be on');
}
