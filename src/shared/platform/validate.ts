/**
 * One way to check a message against the national tables, used by the workstation before an item
 * is queued and by the sandbox when a request arrives.
 *
 * Besides each transaction's field rules, every string of the message (values and key names,
 * known fields or not: what is sent is the message as written) must be text the platform can
 * carry: no control characters, no lone surrogates (see unsendableText). A NUL in an address made
 * a platform answer HTTP 5xx every time; such a message is refused here, before it is queued.
 */
import { envelopeRequestSchema, envelopeRequestSchemaFor, type EnvelopeRequest, type EnvelopeRules } from './envelope';
import { FIELD_LABELS, MULTILINE_FIELDS, present, unsendableText } from './fields';
import { formatIssuePath, toFieldIssues, describeFieldIssues, type FieldIssue } from './issues';
import { transactionFor, type TransactionLookupOptions, type TransactionSchema } from './transactions';

export type ValidationResult<T> =
  | { ok: true; value: T }
  | { ok: false; issues: FieldIssue[]; /** describeFieldIssues of the issues */ message: string };

const fail = (issues: FieldIssue[]): { ok: false; issues: FieldIssue[]; message: string } => ({
  ok: false,
  issues,
  message: describeFieldIssues(issues),
});

interface Visit {
  value: unknown;
  key: string | number | null;
  parent: Visit | null;
}

/** The path of a visit: keys from the root, after `base`; built only for an issue. */
function pathOf(visit: Visit, base: readonly (string | number)[]): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let at: Visit | null = visit; at && at.key !== null; at = at.parent) keys.push(at.key);
  return [...base, ...keys.reverse()];
}

/** The nearest field name at or above a visit (an array element belongs to its array's field). */
function fieldName(visit: Visit, base: readonly (string | number)[]): string | null {
  for (let at: Visit | null = visit; at; at = at.parent) if (typeof at.key === 'string') return at.key;
  for (let i = base.length - 1; i >= 0; i -= 1) if (typeof base[i] === 'string') return base[i] as string;
  return null;
}

/**
 * An issue for every string in `value` (and every key name) that the platform cannot carry;
 * `base` is where `value` sits in the envelope. Iterative, with paths built only for an issue,
 * so a deeply nested body neither exhausts the stack nor costs more than its size.
 */
export function unsendableTextIssues(value: unknown, base: readonly (string | number)[] = []): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const where = (visit: Visit) => formatIssuePath(pathOf(visit, base)) || '（整个报文）';
  const stack: Visit[] = [{ value, key: null, parent: null }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const v = visit.value;
    if (typeof v === 'string') {
      const name = fieldName(visit, base);
      const problem = unsendableText(v, name !== null && MULTILINE_FIELDS.has(name));
      if (problem) issues.push({ path: where(visit), label: name ? (FIELD_LABELS[name] ?? null) : null, message: problem });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i -= 1) stack.push({ value: v[i], key: i, parent: visit });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v);
      for (let i = entries.length - 1; i >= 0; i -= 1) {
        const [key, child] = entries[i]!;
        const problem = unsendableText(key);
        if (problem) issues.push({ path: where(visit), label: null, message: `其中一个字段名${problem}` });
        else stack.push({ value: child, key, parent: visit });
      }
    }
  }
  return issues;
}

/** Checks a transaction's `input` node; issue paths start with `input.`. */
export function validateInput(
  infno: string,
  input: unknown,
  options: TransactionLookupOptions = {},
): ValidationResult<{ transaction: TransactionSchema; input: Record<string, unknown> }> {
  const transaction = transactionFor(infno, options);
  if (!transaction) return fail([{ path: 'infno', label: '交易编号', message: `不支持的交易编号 ${infno}` }]);
  const parsed = transaction.input.safeParse(input);
  const text = unsendableTextIssues(input, ['input']);
  if (!parsed.success || text.length > 0) return fail([...(parsed.success ? [] : toFieldIssues(parsed.error, 'input')), ...text]);
  return { ok: true, value: { transaction, input: parsed.data as Record<string, unknown> } };
}

const schemas = new Map<string, ReturnType<typeof envelopeRequestSchemaFor>>();
function schemaFor(rules: EnvelopeRules) {
  const key = `${rules.infnoMaxLength ?? 5}|${rules.acceptShortMsgid ? 1 : 0}`;
  let schema = schemas.get(key);
  if (!schema) schemas.set(key, (schema = envelopeRequestSchemaFor(rules)));
  return schema;
}

export interface ValidRequest {
  envelope: EnvelopeRequest;
  transaction: TransactionSchema;
  /** The input as parsed by the transaction's schema (unknown keys dropped). */
  input: Record<string, unknown>;
}

/** Checks a whole request envelope: the envelope fields, then the input for its infno. */
export function validateRequest(
  body: unknown,
  options: TransactionLookupOptions & { envelope?: EnvelopeRules } = {},
): ValidationResult<ValidRequest> {
  const env = (options.envelope ? schemaFor(options.envelope) : envelopeRequestSchema).safeParse(body);
  // The envelope's own fields; the input's are checked with its transaction below.
  const text = body !== null && typeof body === 'object' && !Array.isArray(body) ? unsendableTextIssues({ ...body, input: null }) : [];
  if (!env.success || text.length > 0) return fail([...(env.success ? [] : toFieldIssues(env.error)), ...text]);
  const envelope = env.data;
  const checked = validateInput(envelope.infno, envelope.input, options);
  if (!checked.ok) return checked;
  const { transaction, input } = checked.value;
  if (transaction.carriesPsnNo && !present(envelope.insuplc_admdvs)) {
    return fail([{ path: 'insuplc_admdvs', label: '参保地医保区划', message: '交易输入含人员编号时必填' }]);
  }
  return { ok: true, value: { envelope, transaction, input } };
}
