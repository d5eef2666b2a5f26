/**
 * How the case file names what became of a platform message. The 同步 and 备案 pages speak of
 * messages (排队中, 平台已接受); the case file speaks of what happened to the person's filing, so
 * an accepted 2503 reads 已备案 and an accepted 2504 reads 已撤销.
 */
import type { FilingRow } from '../hospital/filings';

/** Colours the page maps onto antd's Timeline and Tag colours. */
export type Tone = 'blue' | 'green' | 'red' | 'orange' | 'gray';

export interface SyncWord {
  label: string;
  tone: Tone;
  /** The platform's (or the server's) reason for a refusal, verbatim. */
  reason?: string;
  /** trt_dcla_detl_sn of an accepted filing: the receipt a later revocation needs. */
  receipt?: string;
}

const ACCEPTED: Record<FilingRow['kind'], string> = { filing: '已备案', revocation: '已撤销', recognition: '平台已接收' };

/** One of the server's messages (a `filings` row) in the case file's words. */
export function filingWord(row: Pick<FilingRow, 'kind' | 'phase' | 'reason' | 'serial'>): SyncWord {
  const reason = row.reason ? { reason: row.reason } : {};
  switch (row.phase) {
    case 'queued':
      return { label: '待上传', tone: 'blue', ...reason };
    case 'sending':
      return { label: '上传中', tone: 'blue' };
    case 'waiting':
      return { label: '待重试', tone: 'orange', ...reason };
    case 'checking':
      // Sent without an answer: it may be on the platform already, so it is checked, not resent.
      return { label: '待核实', tone: 'orange', ...reason };
    case 'accepted':
      return { label: ACCEPTED[row.kind], tone: 'green', ...(row.serial && row.kind === 'filing' ? { receipt: row.serial } : {}) };
    case 'rejected':
      return { label: '被拒绝', tone: 'red', ...reason };
    case 'set-aside':
      return { label: '未能发送，待处理', tone: 'red', ...reason };
    case 'closed':
      return { label: '已处理', tone: 'gray', ...reason };
  }
}
