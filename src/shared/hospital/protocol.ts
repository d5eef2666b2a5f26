/**
 * The contract between a desk and the hospital server (architecture.md §10): what a desk pushes
 * (commands: what a person did, each with an id made at the desk) and what it pulls (its share of
 * the records, by cursor). The server validates every request with these schemas; the desk builds
 * its requests and reads the answers through them.
 */
import { z } from 'zod';
import { roles } from '../domain/user';
import { sha256Hex } from '../hash/sha256';
import { TABLE_NAMES } from '../store/store';

/** Share keys: whose desks hold a record. */
export const OFFICE_SHARE = 'office';
export const ALL_SHARE = 'all';
export const physicianShare = (physicianId: string) => `physician:${physicianId}`;

/** The share keys a user's desk pulls: the 医保办 and administrators hold the hospital's working set. */
export function shareKeys(user: { id: string; role: (typeof roles)[number] }): string[] {
  return user.role === 'physician' ? [ALL_SHARE, physicianShare(user.id)] : [ALL_SHARE, OFFICE_SHARE];
}

/** Tables a desk receives: the case records, the accounts' public part and the shared settings. */
export const PULLED_TABLES = [
  // The rules' tables (the Store's), as the server holds them.
  ...TABLE_NAMES,
  'users',
  /** The settings the hospital shares (policy packs, calendars, the hospital's facts), by key. */
  'settings',
  /** Refused decisions for the 医保办 to resolve (ConflictRow). */
  'conflicts',
  /** The server's platform messages as the 医保办 reads them (filings.ts FilingRow), and the batches they were submitted in. */
  'filings',
  'filingBatches',
] as const;
export type PulledTable = (typeof PULLED_TABLES)[number];

const commandId = z.string().regex(/^[A-Za-z0-9._:-]{8,80}$/, '命令编号无效');
const isoInstant = z.string().datetime({ offset: true });

export const commandSchema = z.object({
  id: commandId,
  kind: z.string().min(1).max(60),
  /** When the person acted, at the desk. */
  at: isoInstant,
  /** The case the command is about and the version the person saw, when it concerns one. */
  caseId: z.string().max(120).optional(),
  baseVersion: z.number().int().min(0).optional(),
  payload: z.unknown(),
});
export type Command = z.infer<typeof commandSchema>;

export const MAX_COMMANDS_PER_PUSH = 500;

export const pushRequestSchema = z.object({
  commands: z.array(commandSchema).min(1).max(MAX_COMMANDS_PER_PUSH),
});
export type PushRequest = z.infer<typeof pushRequestSchema>;

export const commandResultSchema = z.discriminatedUnion('state', [
  z.object({ id: z.string(), state: z.literal('applied'), value: z.unknown().optional() }),
  z.object({ id: z.string(), state: z.literal('refused'), reason: z.string() }),
]);
export type CommandResult = z.infer<typeof commandResultSchema>;

export const pushResponseSchema = z.object({ results: z.array(commandResultSchema) });
export type PushResponse = z.infer<typeof pushResponseSchema>;

export const changeSchema = z.discriminatedUnion('op', [
  z.object({ op: z.literal('put'), seq: z.number().int(), table: z.enum(PULLED_TABLES), id: z.string(), version: z.number().int(), row: z.record(z.string(), z.unknown()) }),
  /** A row deleted, or (table 'cases' / 'persons') a case or person that left this desk's share with every row that belongs to it. */
  z.object({ op: z.literal('remove'), seq: z.number().int(), table: z.enum(PULLED_TABLES), id: z.string() }),
]);
export type Change = z.infer<typeof changeSchema>;

export const MAX_PULL_LIMIT = 2000;

export const pullResponseSchema = z.object({
  changes: z.array(changeSchema),
  /** Pass it back as `cursor` next time, once these changes are written. */
  cursor: z.number().int().min(0),
  more: z.boolean(),
  /** The newest audit entry: a desk keeps the heads it has seen, so a rewritten chain shows. */
  auditHead: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
});
export type PullResponse = z.infer<typeof pullResponseSchema>;

export const caseRowsSchema = z.object({ held: z.boolean(), rows: z.array(changeSchema) });
/** GET /sync/case/:id — a case's rows as they now are, for a desk to replace its own copy with. */
export type CaseRows = z.infer<typeof caseRowsSchema>;

/** POST /blobs/held `{ hashes }` → the ones the server holds bytes for, within the desk's share (at most MAX_HELD_HASHES). */
export const MAX_HELD_HASHES = 500;
export const heldBlobsRequestSchema = z.object({ hashes: z.array(z.string().regex(/^[0-9a-f]{64}$/)).min(1).max(MAX_HELD_HASHES) });
export const heldBlobsResponseSchema = z.object({ held: z.array(z.string()) });

/** At most this many cases in one POST /sync/cases. */
export const MAX_CASE_ROWS = 200;
export const caseRowsRequestSchema = z.object({ ids: z.array(z.string().min(1).max(120)).min(1).max(MAX_CASE_ROWS) });
export const manyCaseRowsSchema = z.object({ cases: z.array(caseRowsSchema.extend({ id: z.string() })) });
/** POST /sync/cases `{ ids }` — the same for several cases at once (what a desk refreshes after a push). */
export type ManyCaseRows = z.infer<typeof manyCaseRowsSchema>;

/** Drift check: the sha256 of the desk's case ids, sorted and joined with '\n'. */
export const casesHash = (ids: readonly string[]) => sha256Hex([...ids].sort().join('\n'));

export const driftRequestSchema = z.object({
  casesHash: z.string().regex(/^[0-9a-f]{64}$/),
  /** The newest audit entry this desk saw: it must still be in the chain, unchanged. */
  auditHead: z.object({ seq: z.number().int().min(1), hash: z.string() }).nullable().optional(),
});
export const driftResponseSchema = z.object({
  ok: z.boolean(),
  cases: z.number().int(),
  /** False when the entry the desk saw is gone or different: the server's chain was rewritten. */
  auditOk: z.boolean(),
});

export const publicUserSchema = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(roles),
  department: z.string().nullable(),
  disabled: z.boolean(),
  mustChangePassword: z.boolean(),
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});
export type PublicUser = z.infer<typeof publicUserSchema>;

export const loginRequestSchema = z.object({ username: z.string().max(64), password: z.string().max(256) });
export const loginResponseSchema = z.object({ token: z.string(), expiresAt: z.string(), user: publicUserSchema });
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const enrolRequestSchema = z.object({ code: z.string().min(6).max(64), name: z.string().trim().min(1).max(60) });
export const enrolResponseSchema = z.object({ deskId: z.string(), token: z.string(), serverId: z.string() });

/** Headers: the desk's credential on every request; the session's after login. */
export const DESK_HEADER = 'x-opsp-desk';

/** A decision the server refused (it lost a race), kept for the 医保办 with what the person entered. */
export interface ConflictRow {
  id: string;
  kind: string;
  caseId: string | null;
  userId: string;
  userName: string;
  deskId: string;
  madeAt: string;
  refusedAt: string;
  reason: string;
  payload: unknown;
  /** How the 医保办 resolved it; null while open. */
  resolved: { by: string; at: string; note: string } | null;
}
