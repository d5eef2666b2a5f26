/**
 * The platform messages the hospital server sends for the 医保办 (filings 2503, revocations 2504,
 * 互认 extension messages), as the desks see them. The server's outbox holds the full items
 * (src/shared/sync/outbox-item.ts); every change of an item's state writes its `FilingRow` in the
 * same transaction, pulled by the 医保办's desks, so a batch's progress, a rejection's reason and
 * a certification's new state reach them at their next pull. Batches group the filings one
 * submission made.
 */
import { z } from 'zod';
import type { SyncState } from '../sync/states';

/** What became of one message, as the 医保办 reads it. */
export type FilingPhase =
  /** Waiting its turn (or behind an earlier message of the same person). */
  | 'queued'
  /** On the wire now. */
  | 'sending'
  /** Failed for a reason that passes (the link, the platform busy): tried again by itself. */
  | 'waiting'
  /** Sent, answer lost: the server asks the platform (5301) before anything is sent again. */
  | 'checking'
  | 'accepted'
  | 'rejected'
  /** Kept failing, or could not be built: set aside for a person, with the reason; its person's later messages wait behind it. */
  | 'set-aside'
  /** Dealt with by a person (dismissed, or replaced by a corrected filing). */
  | 'closed';

export const FILING_PHASE_LABELS: Record<FilingPhase, string> = {
  queued: '排队中',
  sending: '发送中',
  waiting: '等待重试',
  checking: '核实中',
  accepted: '平台已接受',
  rejected: '平台已拒绝',
  'set-aside': '已搁置，需处理',
  closed: '已处理',
};

export type FilingKind = 'filing' | 'revocation' | 'recognition';
export const FILING_KIND_LABELS: Record<FilingKind, string> = { filing: '备案（2503）', revocation: '撤销备案（2504）', recognition: '互认结果上传' };

/** One platform message the server holds, as a desk pulls it (table `filings`, the 医保办's share). */
export interface FilingRow {
  /** The server outbox item's id. */
  id: string;
  kind: FilingKind;
  infno: string;
  /** The batch it was submitted in; null for a message outside batches (a revocation, a 互认 message). */
  batchId: string | null;
  /** The certification it files or revokes; null for a 互认 message or a filing made without one. */
  certificationId: string | null;
  caseId: string | null;
  /** psn_no: the lane (a person's messages go strictly in order). */
  psnNo: string;
  psnName: string;
  /** One line: disease and period. */
  summary: string;
  /** The disease a filing or revocation concerns (opsp_dise_name), when known. */
  diseaseName?: string;
  /** The platform it was made for (platformKey): a message never goes to another platform. */
  platform: string;
  phase: FilingPhase;
  /** The platform's or the server's reason (rejected, set aside, waiting). */
  reason: string | null;
  /** trt_dcla_detl_sn of an accepted filing. */
  serial: string | null;
  /** Sends so far. */
  sends: number;
  /** When it is tried next (waiting, checking). */
  nextAttemptAt: string | null;
  queuedAt: string;
  queuedBy: string;
  /** When it reached accepted, rejected or set aside. */
  settledAt: string | null;
  updatedAt: string;
}

/** A batch of filings the 医保办 submitted at once (table `filingBatches`, the 医保办's share). */
export interface FilingBatchRow {
  id: string;
  /** 2026-P000012: the year and a counter. */
  batchNo: string;
  createdAt: string;
  createdBy: string;
  createdByName: string;
  platform: string;
  platformLabel: string;
  /** How many certifications were submitted (queued plus set aside at once). */
  total: number;
}

/** A batch's counts, from its filings. */
export interface BatchCounts {
  total: number;
  /** Sent and answered (accepted or rejected) or set aside. */
  done: number;
  accepted: number;
  rejected: number;
  setAside: number;
  /** Waiting for the link or the platform: waiting or checking. */
  waiting: number;
  queued: number;
  sending: number;
}

export function batchCounts(rows: readonly Pick<FilingRow, 'phase'>[]): BatchCounts {
  const c: BatchCounts = { total: rows.length, done: 0, accepted: 0, rejected: 0, setAside: 0, waiting: 0, queued: 0, sending: 0 };
  for (const { phase } of rows) {
    if (phase === 'accepted') c.accepted++;
    else if (phase === 'rejected') c.rejected++;
    else if (phase === 'set-aside' || phase === 'closed') c.setAside++;
    else if (phase === 'waiting' || phase === 'checking') c.waiting++;
    else if (phase === 'queued') c.queued++;
    else c.sending++;
  }
  c.done = c.accepted + c.rejected + c.setAside;
  return c;
}

/** An outbox item's state as the 医保办 reads it. */
export function filingPhase(state: SyncState): FilingPhase {
  switch (state.tag) {
    case 'queued':
      return 'queued';
    case 'sending':
      return 'sending';
    case 'retrying':
      return 'waiting';
    case 'unknown':
      return 'checking';
    case 'accepted':
      return 'accepted';
    case 'rejected':
      if (state.handled) return 'closed';
      return state.setAside ? 'set-aside' : 'rejected';
  }
}

/** The reason to show beside a phase, if any. */
export function filingReason(state: SyncState): string | null {
  switch (state.tag) {
    case 'retrying':
    case 'unknown':
    case 'rejected':
      return state.reason;
    default:
      return null;
  }
}

/** Filings submitted in one batch at most. */
export const MAX_BATCH = 500;

/**
 * The platform a message is bound to: the demo platform, or a real one by its address. A message
 * made for one is never sent to another; switching platforms leaves the old ones' messages held,
 * shown, until an administrator cancels them.
 */
export function platformKey(config: { mode: 'demo' | 'configured'; baseUrl?: string | null }): string {
  return config.mode === 'demo' ? 'demo' : `real:${(config.baseUrl ?? '').replace(/\/+$/, '')}`;
}

export function platformKeyLabel(key: string): string {
  return key === 'demo' ? '演示平台' : key.replace(/^real:/, '');
}

/** What the server says of its link to the platform (GET /platform/status). */
export interface ServerPlatformStatus {
  /** The platform the server sends to now. */
  platform: string;
  label: string;
  online: boolean;
  signedIn: boolean;
  lastSuccessAt: string | null;
  lastError: string | null;
  /** Platform clock minus the server's, from the last accepted answer. */
  clockOffsetMs: number | null;
  /** The runner's phase (working, idle, offline, halted) and whether this server process runs it. */
  runner: 'working' | 'idle' | 'offline' | 'halted' | 'stopped' | 'elsewhere';
  counts: { queued: number; inFlight: number; waiting: number; checking: number; needsPerson: number };
  nextAttemptAt: string | null;
  /** Messages made for another platform, still held (see platformKey). */
  heldForOther: { platform: string; label: string; count: number }[];
}

/**
 * POST /platform/query: a lookup the server makes at once and answers with the platform's reply
 * (shared/ipc/contract's platformSendResponse): 1101 (a person by ID number), 5301 (what the
 * platform holds for a person), 9001 (sign in now, to test the settings). Filings never go this way.
 */
export const PLATFORM_QUERY_INFNOS = ['1101', '5301', '9001'] as const;
export const platformQuerySchema = z.object({
  infno: z.enum(PLATFORM_QUERY_INFNOS),
  input: z.record(z.string(), z.unknown()),
  insuplcAdmdvs: z.string().max(12).optional(),
});
export type PlatformQuery = z.infer<typeof platformQuerySchema>;
