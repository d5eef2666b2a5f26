import { ClockCircleOutlined, StopOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import { FILING_PHASE_LABELS, type FilingPhase } from '../../../../shared/hospital/filings';
import { formatChina } from '../../../../shared/time';
import type { DeskCommand } from '../../hospital/desk-commands';

export const PHASE_COLORS: Record<FilingPhase, string> = {
  queued: 'default',
  sending: 'processing',
  waiting: 'warning',
  checking: 'warning',
  accepted: 'success',
  rejected: 'error',
  'set-aside': 'volcano',
  closed: 'default',
};

export function PhaseTag({ phase }: { phase: FilingPhase }) {
  return (
    <Tag color={PHASE_COLORS[phase]} data-phase={phase}>
      {FILING_PHASE_LABELS[phase]}
    </Tag>
  );
}

export const timeText = (at: string | null | undefined) => (at ? formatChina(at, 'YYYY-MM-DD HH:mm:ss') : '—');

/** Where a filing command stands at the desk: not yet answered by the hospital server, or refused with its reason. */
export function CommandTag({ command }: { command: DeskCommand }) {
  if (command.state === 'refused' || command.state === 'acknowledged') {
    return (
      <Tooltip title={`院内服务器未接受这项操作${command.reason ? `：${command.reason}` : ''}`}>
        <Tag color="error" icon={<StopOutlined />} data-testid="filing-command" data-state="refused">
          未被院内服务器接受{command.reason ? `：${command.reason}` : ''}
        </Tag>
      </Tooltip>
    );
  }
  if (command.state !== 'pending') return null;
  return (
    <Tooltip title="已保存在本机，连上院内服务器后自动发送；服务器受理后由它向平台发送。">
      <Tag color="warning" icon={<ClockCircleOutlined />} data-testid="filing-command" data-state="pending">
        待发送到院内服务器
      </Tag>
    </Tooltip>
  );
}

/** The 备案 page's addresses: #/filings (待备案), #/filings/batches, #/filings/batches/<id>, #/filings/new. */
export type FilingsRoute = { tab: 'ready' } | { tab: 'batches'; batchId: string | null } | { tab: 'new' };

export function filingsRoute(path: string): FilingsRoute {
  const batch = /^\/filings\/batches(?:\/([^/]+))?\/?$/.exec(path);
  if (batch) return { tab: 'batches', batchId: batch[1] ? decodeURIComponent(batch[1]) : null };
  if (/^\/filings\/new\/?$/.test(path)) return { tab: 'new' };
  return { tab: 'ready' };
}

export const batchPath = (batchId: string) => `/filings/batches/${encodeURIComponent(batchId)}`;
