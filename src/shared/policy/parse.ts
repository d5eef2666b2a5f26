/**
 * Turns untrusted JSON (a bundled file or one an administrator imports) into a PolicyPack, or
 * into a list of errors a person can read: where, and what is wrong, in Chinese.
 */
import { formatIssues, formatPath, fromJsonText, zhErrors } from './issues';
import { crossCheckPack } from './pack-checks';
import { policyPackBaseSchema, type PolicyPack } from './schema';

export type ParseResult = { ok: true; pack: PolicyPack } | { ok: false; errors: string[] };

/** Parses a policy pack (an object or JSON text); never throws. */
export function parsePolicyPack(json: unknown): ParseResult {
  const text = fromJsonText(json);
  if (!text.ok) return text;
  const input = text.value;
  const parsed = policyPackBaseSchema.safeParse(input, { error: zhErrors });
  if (!parsed.success) return { ok: false, errors: formatIssues(parsed.error.issues, input) };
  const issues = crossCheckPack(parsed.data);
  if (issues.length > 0) {
    return { ok: false, errors: issues.map((i) => `${formatPath(i.path, input)}：${i.message}`) };
  }
  return { ok: true, pack: parsed.data };
}

/** The schema with the cross-reference checks, for callers that compose it (e.g. an IPC contract). */
export const policyPackSchema = policyPackBaseSchema.superRefine((pack, ctx) => {
  for (const issue of crossCheckPack(pack)) ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path });
});
