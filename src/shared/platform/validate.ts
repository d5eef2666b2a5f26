/**
 * One way to check a message against the national tables, used by the workstation before an item
 * is queued and by the sandbox when a request arrives.
 */
import { envelopeRequestSchema, envelopeRequestSchemaFor, type EnvelopeRequest, type EnvelopeRules } from './envelope';
import { present } from './fields';
import { toFieldIssues, describeFieldIssues, type FieldIssue } from './issues';
import { transactionFor, type TransactionLookupOptions, type TransactionSchema } from './transactions';

export type ValidationResult<T> =
  | { ok: true; value: T }
  | { ok: false; issues: FieldIssue[]; /** describeFieldIssues of the issues */ message: string };

const fail = (issues: FieldIssue[]): { ok: false; issues: FieldIssue[]; message: string } => ({
  ok: false,
  issues,
  message: describeFieldIssues(issues),
});

/** Checks a transaction's `input` node; issue paths start with `input.`. */
export function validateInput(
  infno: string,
  input: unknown,
  options: TransactionLookupOptions = {},
): ValidationResult<{ transaction: TransactionSchema; input: Record<string, unknown> }> {
  const transaction = transactionFor(infno, options);
  if (!transaction) return fail([{ path: 'infno', label: '交易编号', message: `不支持的交易编号 ${infno}` }]);
  const parsed = transaction.input.safeParse(input);
  if (!parsed.success) return fail(toFieldIssues(parsed.error, 'input'));
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
  if (!env.success) return fail(toFieldIssues(env.error));
  const envelope = env.data;
  const checked = validateInput(envelope.infno, envelope.input, options);
  if (!checked.ok) return checked;
  const { transaction, input } = checked.value;
  if (transaction.carriesPsnNo && !present(envelope.insuplc_admdvs)) {
    return fail([{ path: 'insuplc_admdvs', label: '参保地医保区划', message: '交易输入含人员编号时必填' }]);
  }
  return { ok: true, value: { envelope, transaction, input } };
}
