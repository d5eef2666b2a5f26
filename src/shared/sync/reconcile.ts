/**
 * Reconciliation: what to ask the platform about an item whose send has an unknown outcome, and
 * what the answer means. The platform does not deduplicate by msgid, so resending blind after a
 * timeout could file twice; instead the person's active filings are listed with 5301 first.
 *
 * - filing (2503): an active filing with the same disease (and start date) that no other item of
 *   ours already holds → it landed: accepted with that trt_dcla_detl_sn. None → send again.
 * - revocation (2504): the filing is no longer active → it landed. Still active → send again.
 * - upload (9101): sent again without asking. A repeated upload only stores a second copy of the
 *   same bytes under a new file_qury_no; nothing on the person's record refers to a copy until a
 *   later message names it, and our later messages use the receipt of the copy that answered, so
 *   the orphan changes no one's entitlement. There is also no query that lists uploads.
 * - recognition (the provincial 互认 extension): sent again without asking. The platform keys a
 *   record by our `hosp_rcgn_id` and answers a repeat with the first receipt (`dup_flag` 1), so a
 *   resend cannot create a second record; the extension has no query transaction to ask with.
 */
import type { OutboxItem } from './outbox-item';
import type { ReconcileDecision, SendResult } from './transitions';

export type ReconcilePlan =
  | { kind: 'query'; infno: '5301'; input: { data: { psn_no: string } }; insuplcAdmdvs?: string }
  | { kind: 'resend'; why: string };

/** One row of 5301's feedetail, as far as reconciliation reads it. */
export interface ActiveFiling {
  opsp_dise_code?: string;
  begndate?: string;
  trt_dcla_detl_sn?: string;
}

const data = (input: Record<string, unknown>): Record<string, unknown> =>
  (input['data'] && typeof input['data'] === 'object' ? input['data'] : {}) as Record<string, unknown>;

const text = (value: unknown): string | undefined =>
  typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;

/** Dates arrive as `yyyy-MM-dd` or with a time appended; compare the day. */
const day = (value: string | undefined): string | undefined => value?.slice(0, 10);

/** How to find out what became of `item`, whose resolved input was `sent`. */
export function reconcilePlan(item: OutboxItem, sent: Record<string, unknown>): ReconcilePlan {
  if (item.kind === 'upload') return { kind: 'resend', why: '文件上传可安全重发：重复上传只产生一份无人引用的副本' };
  if (item.kind === 'recognition') return { kind: 'resend', why: '互认记录可安全重发：平台按本院记录号去重，重复发送只返回首次回执' };
  const psnNo = text(data(sent)['psn_no']) ?? item.lane;
  return { kind: 'query', infno: '5301', input: { data: { psn_no: psnNo } }, insuplcAdmdvs: item.insuplcAdmdvs };
}

/** The rows of a 5301 answer, wherever the province puts the list. */
export function activeFilings(output: unknown): ActiveFiling[] {
  if (output === null || typeof output !== 'object') return [];
  const node = output as Record<string, unknown>;
  const list = node['feedetail'] ?? (node['data'] as Record<string, unknown> | undefined)?.['feedetail'];
  if (!Array.isArray(list)) return [];
  return list
    .filter((row): row is Record<string, unknown> => row !== null && typeof row === 'object')
    .map((row) => ({
      opsp_dise_code: text(row['opsp_dise_code']),
      begndate: text(row['begndate']),
      trt_dcla_detl_sn: text(row['trt_dcla_detl_sn']),
    }));
}

/**
 * What the 5301 answer says about `item`. `claimed` holds the trt_dcla_detl_sn values that other
 * items of the same person already hold, so one platform filing never accounts for two of ours
 * (a deliberate second filing of the same disease must not borrow the first one's receipt).
 */
export function decideReconcile(
  item: OutboxItem,
  sent: Record<string, unknown>,
  answer: SendResult,
  claimed: ReadonlySet<string>,
): ReconcileDecision {
  if (answer.outcome !== 'accepted') {
    const why = answer.outcome === 'rejected' ? answer.errMsg : answer.message;
    // A failed query changes nothing: the item stays unknown and is asked about again later. A
    // query the platform answered with a refusal (e.g. 参保人不存在) is marked: refused again and
    // again, it will not answer differently, and the item goes to a person (settleReconcile).
    return { result: 'failed', reason: `5301 查询未成功：${why}`, ...(answer.outcome === 'rejected' ? { refused: true as const } : {}) };
  }
  const rows = activeFilings(answer.output);
  const fields = data(sent);
  if (item.kind === 'filing') {
    const code = text(fields['opsp_dise_code']);
    const begin = day(text(fields['begndate']));
    const match = rows.find(
      (row) =>
        row.opsp_dise_code === code &&
        (begin === undefined || row.begndate === undefined || day(row.begndate) === begin) &&
        row.trt_dcla_detl_sn !== undefined &&
        !claimed.has(row.trt_dcla_detl_sn),
    );
    if (match?.trt_dcla_detl_sn) {
      return { result: 'found', receipt: { values: { trt_dcla_detl_sn: match.trt_dcla_detl_sn } }, detail: `平台已有此备案（${match.trt_dcla_detl_sn}）` };
    }
    return { result: 'absent', detail: '平台上没有此备案，将重新发送' };
  }
  if (item.kind === 'revocation') {
    const target = text(fields['trt_dcla_detl_sn']);
    if (!target) return { result: 'failed', reason: '撤销报文缺少备案流水号，无法核实' };
    if (rows.some((row) => row.trt_dcla_detl_sn === undefined)) {
      return { result: 'failed', reason: '平台的备案查询结果缺少备案流水号，无法核实撤销是否生效' };
    }
    if (rows.some((row) => row.trt_dcla_detl_sn === target)) return { result: 'absent', detail: '该备案仍然有效，将重新发送撤销' };
    return { result: 'found', receipt: { values: {} }, detail: '该备案已不再有效，撤销已生效' };
  }
  return { result: 'failed', reason: `无法核实 ${item.infno} 报文` };
}

/** The trt_dcla_detl_sn values already held by the accepted items of a lane, except `exceptId`'s. */
export function claimedReceipts(laneItems: readonly OutboxItem[], exceptId: string): Set<string> {
  const claimed = new Set<string>();
  for (const other of laneItems) {
    if (other.id === exceptId || other.kind !== 'filing' || other.state.tag !== 'accepted') continue;
    const sn = other.state.receipt.values['trt_dcla_detl_sn'];
    if (sn) claimed.add(sn);
  }
  return claimed;
}
