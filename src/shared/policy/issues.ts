/** Readable validation errors for administrators: a located path and a Chinese message. */
import type { z } from 'zod';
import zhCN from 'zod/v4/locales/zh-CN.js';

/** zod's Chinese messages, passed per parse so the global zod configuration stays untouched. */
export const zhErrors = zhCN().localeError;

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

export const formatIssues = (issues: readonly z.core.$ZodIssue[], input: unknown): string[] =>
  issues.map((i) => `${formatPath(i.path, input)}：${i.message}`);

/** JSON text is parsed first; anything else is passed through. */
export function fromJsonText(json: unknown): { ok: true; value: unknown } | { ok: false; errors: string[] } {
  if (typeof json !== 'string') return { ok: true, value: json };
  try {
    return { ok: true, value: JSON.parse(json) as unknown };
  } catch (e) {
    return { ok: false, errors: [`不是有效的 JSON：${e instanceof Error ? e.message : String(e)}`] };
  }
}
