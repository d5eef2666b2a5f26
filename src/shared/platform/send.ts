/**
 * One platform call and its answer, as the hospital server's gateway takes and gives them
 * (src/server/platform/gateway.ts), and as the server's sync runner sees them.
 */
import { z } from 'zod';

/**
 * One message to the provincial platform. The gateway wraps `input` in the national envelope (msgid,
 * inf_time, sign_no…), signs in with 9001 when needed, and answers with what became of it.
 */
export const platformSendRequest = z
  .object({
    infno: z.string().regex(/^[0-9A-Z]{4}$/, '交易编号应为 4 位'),
    input: z.record(z.string(), z.unknown()),
    /** insuplc_admdvs: required by the interface whenever input carries psn_no. */
    insuplcAdmdvs: z.string().regex(/^\d{6}$/).optional(),
    /** Response timeout for this call; the gateway's configured default otherwise. */
    timeoutMs: z.number().int().min(100).max(300_000).optional(),
  })
  .strict();

/**
 * What became of one message:
 * - accepted: infcode 0, `output` as the platform sent it;
 * - rejected: the platform answered infcode -1 — permanent, `errMsg` is its reason;
 * - transient: the request certainly did not take effect (connection refused before anything
 *   was sent, no sign-in could be obtained) — safe to retry as it is;
 * - unknown: the request may have been committed (timeout, reset, HTTP 5xx, a dropped or
 *   unreadable response) — the caller must reconcile (5301) before resending.
 */
export const platformSendResponse = z.discriminatedUnion('outcome', [
  z.object({
    outcome: z.literal('accepted'),
    msgid: z.string(),
    output: z.unknown(),
    infRefmsgid: z.string().optional(),
    /** platform clock minus ours, from respond_time; shown when large (architecture.md §6). */
    clockOffsetMs: z.number().optional(),
  }),
  z.object({ outcome: z.literal('rejected'), msgid: z.string(), errMsg: z.string(), infRefmsgid: z.string().optional() }),
  z.object({ outcome: z.literal('transient'), msgid: z.string().optional(), reason: z.string(), message: z.string() }),
  z.object({ outcome: z.literal('unknown'), msgid: z.string(), reason: z.string(), message: z.string() }),
]);

/** Which platform the workstation talks to, and whether it answered lately. */
export const platformStatusResponse = z.object({
  /** demo: the embedded sandbox (演示平台); configured: an endpoint set by an administrator. */
  mode: z.enum(['demo', 'configured']),
  label: z.string(),
  baseUrl: z.string(),
  signedIn: z.boolean(),
  lastOkAt: z.string().optional(),
  lastError: z.string().optional(),
  clockOffsetMs: z.number().optional(),
});

