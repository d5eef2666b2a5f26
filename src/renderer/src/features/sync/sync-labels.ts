import type { AttemptRecord, MessageKind, OutboxItem } from '../../../../shared/sync/outbox-item';
import type { SyncState } from '../../../../shared/sync/states';
import { formatChina } from '../../../../shared/time';

/** What each state is called at the desk, and its tag colour. */
export function stateLabel(state: SyncState): { text: string; color: string } {
  switch (state.tag) {
    case 'queued':
      return { text: '排队中', color: 'default' };
    case 'sending':
      return { text: '发送中', color: 'processing' };
    case 'retrying':
      return { text: '等待重试', color: 'warning' };
    case 'unknown':
      return { text: '待核实', color: 'purple' };
    case 'accepted':
      return { text: '平台已接受', color: 'success' };
    case 'rejected':
      if (state.handled) return { text: '已处理', color: 'default' };
      return state.source === 'platform' ? { text: '平台已拒绝', color: 'error' } : { text: '未能发送', color: 'error' };
  }
}

export const kindLabels: Record<MessageKind, string> = {
  filing: '慢特病备案（2503）',
  revocation: '撤销备案（2504）',
  upload: '文件上传（9101）',
  recognition: '检查检验结果互认',
};

const attemptResults: Record<AttemptRecord['result'], string> = {
  accepted: '平台已接受',
  rejected: '被拒绝',
  transient: '未发出（可重试）',
  unknown: '结果未知',
  found: '核实：平台已有此记录',
  absent: '核实：平台没有此记录',
  failed: '核实未成功',
  interrupted: '发送中断',
  'retry-now': '人工要求立即重试',
};

const ops: Record<AttemptRecord['op'], string> = { send: '发送', reconcile: '向平台核实（5301）', recover: '启动恢复', manual: '人工操作' };

export const attemptText = (a: AttemptRecord): string => `${ops[a.op]}：${attemptResults[a.result]}`;

export const timeText = (iso: string | undefined): string => (iso ? formatChina(iso, 'MM-DD HH:mm:ss') : '—');

/** "12:30:05（约 40 秒后）" for a scheduled time. */
export function whenText(iso: string | undefined, now = Date.now()): string {
  if (!iso) return '—';
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  const clock = formatChina(iso, 'HH:mm:ss');
  if (seconds <= 0) return `${clock}（即将）`;
  if (seconds < 120) return `${clock}（约 ${seconds} 秒后）`;
  return `${clock}（约 ${Math.round(seconds / 60)} 分钟后）`;
}

/** The next scheduled attempt of an item, if any. */
export function nextAttempt(item: OutboxItem): string | undefined {
  if (item.state.tag === 'retrying') return item.state.nextAttemptAt;
  if (item.state.tag === 'unknown') return item.state.nextCheckAt;
  return undefined;
}

/** The line that says what the item is about, e.g. "高血压3级（极高危） 2025-06-01 起". */
export function itemSummary(item: OutboxItem): string {
  if (item.meta.summary) return item.meta.summary;
  const data = (item.input['data'] ?? {}) as Record<string, unknown>;
  if (item.kind === 'filing') return `${String(data['opsp_dise_name'] ?? '')} ${String(data['begndate'] ?? '')} 起`;
  if (item.kind === 'revocation') return `撤销备案 ${String(data['trt_dcla_detl_sn'] || '（待原备案回执）')}`;
  return '';
}

/** The status groups the 同步 page filters by. */
export const groups = {
  attention: { label: '需处理', tags: ['rejected'] },
  waiting: { label: '等待上传', tags: ['queued', 'retrying'] },
  inFlight: { label: '在途/待核实', tags: ['sending', 'unknown'] },
  accepted: { label: '已接受', tags: ['accepted'] },
  all: { label: '全部', tags: [] },
} as const;
export type GroupKey = keyof typeof groups;
