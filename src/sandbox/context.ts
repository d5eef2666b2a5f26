/**
 * What every transaction handler is given: the database, the policy pack, the settings, and two
 * small caches that keep per-request work off the database (sessions, persons).
 */
import type { SyntheticPerson } from '../shared/demo/population';
import { buildRefMsgid, formatCompactTime, type EnvelopeRequest } from '../shared/platform/index';
import type { PolicyPack } from '../shared/policy/index';
import type { Dialect } from '../shared/platform/dialect';
import { nextSerial, type Db } from './db';
import { first, sql, trusted, type Sql } from './sql';

export interface SandboxSettings {
  /** How the platform speaks the interface (authentication, encryption, sign-in, answer types). */
  dialect: Dialect;
  regionCode: string;
  recognitionInfno: string;
  maxFileBytes: number;
  sessionTtlMs: number;
  /** How long a 9101 upload or a 1309 catalogue stays downloadable. */
  downloadTtlMs: number;
}

export interface SessionRow {
  sign_no: string;
  fixmedins_code: string;
  opter_no: string;
  signed_in_at: Date;
  expires_at: Date;
  signed_out_at: Date | null;
}

/** A persons row as stored: the synthetic person's fields, widened to what the database holds. */
export type PersonRow = Omit<SyntheticPerson, 'seq' | 'psn_cert_type' | 'gend' | 'insutype'> & {
  seq: number | null;
  gend: string;
  insutype: string;
};

export interface SandboxContext {
  db: Db;
  filesDir: string;
  pack: PolicyPack;
  settings: SandboxSettings;
  now: () => Date;
  sessions: Map<string, SessionRow>;
  persons: Map<string, PersonRow>;
}

/** A request that passed envelope and input validation. */
export interface TxRequest<I = Record<string, unknown>> {
  envelope: EnvelopeRequest;
  input: I;
  receivedAt: Date;
  /** The 9001 session, for every transaction but 9001. */
  session: SessionRow | null;
}

export type TxResult = { output: unknown } | { file: { bytes: Buffer; filename: string } };

export type TxHandler = (ctx: SandboxContext, req: TxRequest) => Promise<TxResult>;

/** A platform-side refusal: answered with infcode -1 and this message. */
export class Refusal extends Error {
  override name = 'Refusal';
}

/** A new 30-character platform number (trt_dcla_detl_sn, file_qury_no, sign_no, rcgn_sn). */
export async function platformSerial(ctx: SandboxContext): Promise<string> {
  return buildRefMsgid(ctx.settings.regionCode, ctx.now(), await nextSerial(ctx.db));
}

/** The same number as SQL, for taking it inside the statement that stores it. */
export function platformSerialSql(ctx: SandboxContext): Sql {
  const prefix = `${ctx.settings.regionCode}${formatCompactTime(ctx.now())}`;
  return sql`${prefix} || lpad((nextval('platform_serial') % 10000000000)::text, 10, '0')`;
}

export const PERSON_COLUMNS = trusted(
  'psn_no, seq, certno, psn_name, gend, naty, brdy, insutype, insuplc_admdvs, psn_type, psn_insu_date, emp_name, ec_token, card_no, card_sn',
);

/** The person with this psn_no, from the cache or the database; null when unknown. */
export async function findPerson(ctx: SandboxContext, psnNo: string): Promise<PersonRow | null> {
  const cached = ctx.persons.get(psnNo);
  if (cached) return cached;
  const row = await first<PersonRow>(ctx.db, sql`select ${PERSON_COLUMNS} from persons where psn_no = ${psnNo}`);
  if (row) ctx.persons.set(psnNo, row);
  return row;
}
