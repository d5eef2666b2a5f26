/**
 * The desk's view of the provincial platform, which only the hospital server talks to: its link
 * status (GET /platform/status), its settings (GET/PUT /platform/config) and the few lookups it
 * makes at once for a clerk (POST /platform/query: 1101, 5301, 9001). The schemas check what the
 * server answers (HospitalClient's platform methods parse with them); platform-link.ts finds this
 * desk's client for code outside React.
 */
import { z } from 'zod';
import type { ServerPlatformStatus } from '../../../shared/hospital/filings';

const count = z.number().int().min(0);

export const serverPlatformStatusSchema: z.ZodType<ServerPlatformStatus> = z.object({
  platform: z.string(),
  label: z.string(),
  online: z.boolean(),
  signedIn: z.boolean(),
  lastSuccessAt: z.string().nullable(),
  lastError: z.string().nullable(),
  clockOffsetMs: z.number().nullable(),
  runner: z.enum(['working', 'idle', 'offline', 'halted', 'stopped', 'elsewhere']),
  counts: z.object({ queued: count, inFlight: count, waiting: count, checking: count, needsPerson: count }),
  nextAttemptAt: z.string().nullable(),
  heldForOther: z.array(z.object({ platform: z.string(), label: z.string(), count })),
});

/** Platform clock minus the server's beyond this confuses deadlines and msgids: shown as a warning. */
export const CLOCK_WARN_MS = 60_000;

/** "相差 3 分钟" / "相差 45 秒", for a clock offset. */
export function offsetText(ms: number): string {
  const abs = Math.abs(ms);
  const ahead = ms > 0 ? '快' : '慢';
  return abs >= 60_000 ? `平台时间比院内服务器${ahead} ${Math.round(abs / 60_000)} 分钟` : `平台时间比院内服务器${ahead} ${Math.round(abs / 1000)} 秒`;
}
