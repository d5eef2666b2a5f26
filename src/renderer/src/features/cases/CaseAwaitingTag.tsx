import { ClockCircleOutlined, StopOutlined } from '@ant-design/icons';
import { Tag, Tooltip } from 'antd';
import type { CaseAwaiting } from '../../hospital/case-commands';
import { linkDown } from '../../hospital/desk-sync';
import { useDeskStatus } from '../../hospital/useDeskStatus';
import { payloadSummary } from '../sync/DeskCommandsCard';

/** The tag's words: the label, and while the desk cannot reach the server, that the command has not left yet. */
export function awaitingTagText(a: CaseAwaiting, offline: boolean, short = false): string {
  if (a.state === 'refused') return short ? '未被服务器接受' : a.label;
  const label = short ? a.label.replace('待服务器确认', '待确认') : a.label;
  return offline ? `${label} · 待发送` : label;
}

/** What hovering the tag says: what was entered, where it is, and that the desk shows its own result until the server answers. */
export function awaitingTip(a: CaseAwaiting, offline: boolean): string {
  const entered = payloadSummary(a.command.kind, a.command.payload);
  if (a.state === 'refused') return `院内服务器未接受本工作站的这项操作${a.reason ? `：${a.reason}` : ''}。${entered ? `所填内容（${entered}）` : '所填内容'}已保留，请到“同步”查看。`;
  const where = offline ? '未连上院内服务器，联网后自动发送' : '正在发送到院内服务器';
  return `${entered ? `${entered}，` : ''}已保存在本机，${where}。服务器确认前，这里显示的是本工作站的结果，案件以院内服务器的结论为准。`;
}

/**
 * A case's state as far as the server has not confirmed it: 结论待服务器确认 (· 待发送 while cut
 * off), or, when the server refused the command, the refusal — a link to 同步, where it is listed
 * with the reason.
 */
export function CaseAwaitingTag({ awaiting, short = false }: { awaiting: CaseAwaiting; short?: boolean }) {
  const desk = useDeskStatus();
  const offline = desk ? linkDown(desk) : false;
  const text = awaitingTagText(awaiting, offline, short);
  const tip = awaitingTip(awaiting, offline);
  if (awaiting.state === 'refused') {
    return (
      <Tooltip title={tip}>
        <a href="#/sync" data-testid="case-awaiting" data-state="refused" aria-label={`${text}：${awaiting.reason ?? ''}`}>
          <Tag color="error" icon={<StopOutlined />} variant="filled">
            {text}
          </Tag>
        </a>
      </Tooltip>
    );
  }
  return (
    <Tooltip title={tip}>
      <Tag color="warning" icon={<ClockCircleOutlined />} variant="filled" data-testid="case-awaiting" data-state="pending">
        {text}
      </Tag>
    </Tooltip>
  );
}
