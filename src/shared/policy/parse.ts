/**
 * Turns untrusted JSON (a bundled file or one an administrator imports) into a PolicyPack, or
 * into a list of errors a person can read: where, and what is wrong, in Chinese.
 */
import zhCN from 'zod/v4/locales/zh-CN.js';
import { crossCheckPack } from './pack-checks';
import { policyPackBaseSchema, type PolicyPack } from './schema';

export type ParseResult = { ok: true; pack: PolicyPack } | { ok: false; errors: string[] };

const zhErrors = zhCN().localeError;

/** "diseases[3]（糖尿病）.code" — names the disease or rule so the administrator can find it. */
export function formatPath(path: readonly PropertyKey[], input: unknown): string {
  let out = '';
  let node: unknown = input;
  for (const key of path) {
    const k = typeof key === 'symbol' ? String(key) : key;
    out += typeof k === 'number' ? `[${k}]` : out === '' ? k : `.${k}`;
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[k] : undefined;
    if (typeof k === 'number' && node !== null && typeof node === 'object') {
      const label = (node as Record<string, unknown>).name ?? (node as Record<string, unknown>).id;
      if (typeof label === 'string') out += `（${label}）`;
    }
  }
  return out === '' ? '（整个文件）' : out;
}

/** Parses a policy pack; never throws. */
export function parsePolicyPack(json: unknown): ParseResult {
  let input = json;
  if (typeof json === 'string') {
    try {
      input = JSON.parse(json);
    } catch (e) {
      return { ok: false, errors: [`不是有效的 JSON：${e instanceof Error ? e.message : String(e)}`] };
    }
  }
  const parsed = policyPackBaseSchema.safeParse(input, { error: zhErrors });
  if (!parsed.success) {
    return { ok: false, errors: parsed.error.issues.map((i) => `${formatPath(i.path, input)}：${i.message}`) };
  }
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
