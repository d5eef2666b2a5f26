/**
 * The check every message passes before it may be queued: the national field rules of its
 * transaction (src/shared/platform — one way to validate, shared with the gateway and the
 * sandbox) plus the outbox's own rules. A bad field is reported at the desk, not days later by
 * the platform.
 */
import { NATIONAL_INFNOS, validateInput, type FieldIssue } from '../platform';
import { MESSAGE_INFNO, type OutboxMessage } from './outbox-item';

// A bound value is filled at send time; while validating it stands in as a value of the right
// shape, so the rest of the message is still checked field by field.
const PLACEHOLDER = { receipt: '0', attachment: '' } as const;

function withPlaceholders(message: OutboxMessage): Record<string, unknown> {
  const input = JSON.parse(JSON.stringify(message.input)) as Record<string, unknown>;
  for (const binding of message.bindings ?? []) {
    let node = input;
    for (const key of binding.path.slice(0, -1)) {
      if (node[key] === null || typeof node[key] !== 'object') node[key] = {};
      node = node[key] as Record<string, unknown>;
    }
    node[binding.path[binding.path.length - 1]!] = PLACEHOLDER[binding.from];
  }
  return input;
}

const issue = (path: string, label: string | null, message: string): FieldIssue => ({ path, label, message });

/** Every problem with `message`, as issues a clerk can read; empty when it may be queued. */
export function validateMessage(message: OutboxMessage): FieldIssue[] {
  const issues: FieldIssue[] = [];
  // The recognition extension's code is the province's (platform settings), so any code is
  // accepted for it except a national one, which would send it as a different transaction.
  const recognition = message.kind === 'recognition';
  if (recognition ? (NATIONAL_INFNOS as readonly string[]).includes(message.infno) : MESSAGE_INFNO[message.kind] !== message.infno) {
    const expected = recognition ? '本省互认扩展交易编号（不得与国家交易编号相同）' : MESSAGE_INFNO[message.kind];
    issues.push(issue('infno', '交易编号', `${message.kind} 报文的交易编号应为 ${expected}`));
  }
  if (!message.lane) issues.push(issue('lane', '人员编号', '必填'));
  const checked = validateInput(message.infno, withPlaceholders(message), recognition ? { recognitionInfno: message.infno } : {});
  if (!checked.ok) return [...issues, ...checked.issues];

  const { transaction } = checked.value;
  if (transaction.carriesPsnNo) {
    if (!message.insuplcAdmdvs || !/^\d{6}$/.test(message.insuplcAdmdvs)) {
      issues.push(issue('insuplc_admdvs', '参保地医保区划', '交易输入含人员编号时必填，应为 6 位数字'));
    }
    const data = message.input['data'] as Record<string, unknown> | undefined;
    if (data && data['psn_no'] !== message.lane) {
      issues.push(issue('input.data.psn_no', '人员编号', '与报文所属人员不一致'));
    }
  }
  return issues;
}
