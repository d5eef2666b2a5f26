/**
 * Validation failures as sentences a clerk can act on: which field (its path in the message and
 * its Chinese name) and what is wrong, e.g. `input.data.psn_no（人员编号）: 必填`.
 */
import type { z } from 'zod';
import { FIELD_LABELS } from './fields';

export interface FieldIssue {
  /** Dotted path in the envelope, e.g. `input.data.psn_no` or `input.feedetail[0].begndate`. */
  path: string;
  /** The field's Chinese name, when known. */
  label: string | null;
  message: string;
}

type IssueLike = Pick<z.core.$ZodIssue, 'path' | 'message' | 'code'>;

export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function lastKey(path: readonly PropertyKey[]): string | null {
  for (let i = path.length - 1; i >= 0; i -= 1) {
    const key = path[i];
    if (typeof key === 'string') return key;
  }
  return null;
}

/** Zod issues (or a ZodError) as FieldIssues with Chinese labels; `prefix` is prepended to paths. */
export function toFieldIssues(issues: readonly IssueLike[] | z.ZodError, prefix = ''): FieldIssue[] {
  const list = Array.isArray(issues) ? issues : (issues as z.ZodError).issues;
  return list.map((issue) => {
    const full = [...(prefix ? prefix.split('.') : []), ...issue.path];
    const key = lastKey(issue.path) ?? lastKey(full);
    const label = key ? (FIELD_LABELS[key] ?? null) : null;
    let message = issue.message;
    // zod's own English messages for shapes we do not build ourselves.
    if (issue.code === 'unrecognized_keys') message = '含有不允许的字段';
    else if (issue.code === 'invalid_union') message = '格式不正确';
    return { path: formatIssuePath(full) || '（整个报文）', label, message };
  });
}

export interface DescribeOptions {
  /** Path prepended to every issue, e.g. `input` when validating only the input node. */
  prefix?: string;
  /** Cut the text to this many characters (the response's err_msg holds 200), saying how many were left out. */
  maxLength?: number;
}

/** One line naming every failing field, joined by "；". */
export function describeFieldIssues(
  issues: readonly IssueLike[] | z.ZodError | readonly FieldIssue[],
  options: DescribeOptions = {},
): string {
  const list = isFieldIssueList(issues) ? issues : toFieldIssues(issues, options.prefix);
  const parts = list.map((i) => `${i.path}${i.label ? `（${i.label}）` : ''}: ${i.message}`);
  const full = parts.join('；');
  const max = options.maxLength;
  if (max === undefined || full.length <= max) return full;
  // Keep whole issues while they fit, then say how many more there are.
  let out = '';
  let kept = 0;
  for (const part of parts) {
    const rest = parts.length - kept - 1;
    const tail = rest > 0 ? `；等另 ${rest} 处错误` : '';
    const next = out === '' ? part : `${out}；${part}`;
    if (next.length + tail.length > max) break;
    out = next;
    kept += 1;
  }
  if (kept === 0) return `${parts[0]!.slice(0, Math.max(0, max - 1))}…`;
  const left = parts.length - kept;
  return left > 0 ? `${out}；等另 ${left} 处错误` : out;
}

function isFieldIssueList(value: unknown): value is readonly FieldIssue[] {
  return (
    Array.isArray(value) &&
    value.every((v) => v !== null && typeof v === 'object' && typeof (v as FieldIssue).path === 'string')
  );
}
