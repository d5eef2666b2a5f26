import { Button, Space, Tag, Tooltip, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { maskCertNo } from '../../../../shared/domain/insured';
import type { WorkItem } from '../../../../shared/domain/work-item';
import type { Calendar } from '../../../../shared/policy/calendar';
import { acceptanceLeftMs, AWAITING_DUE, dueOfRow, dueReason, dueState, dueText, PROVISIONAL_DUE, workingDaysLeft, type CompletionDue, type DueState } from '../../../../shared/review/deadlines';
import { chinaDateOf } from '../../../../shared/time';
import { useNow } from '../../lib/useNow';
import type { CaseAwaiting } from '../../hospital/case-commands';
import { CaseAwaitingTag } from './CaseAwaitingTag';

const DUE_COLOR: Record<DueState, string | undefined> = { overdue: 'red', 'due-soon': 'orange', 'on-time': undefined, none: undefined };

/** "35 小时 12 分" — hours and minutes are what a physician plans a 48-hour window by. */
export function formatHoursLeft(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h} 小时 ${m} 分` : `${m} 分`;
}

export function completionText(days: number): string {
  if (days > 0) return `办结剩 ${days} 个工作日`;
  if (days === 0) return '今日须办结';
  return `已逾期 ${-days} 个工作日`;
}

/** The completion deadline in two lines: what matters now, and the date it rests on. */
export function completionLines(due: CompletionDue, days: number | null, today: string): { main: string; sub: string } {
  switch (due.kind) {
    case 'paused':
    case 'none':
      return { main: dueText(due), sub: '' };
    case 'awaiting-calendar':
      // Short enough for the column: the year is in the reason on hover, the day's year is that year.
      return { main: AWAITING_DUE, sub: `缺 ${due.year} 年日历 · 最早 ${due.earliest.slice(5)}` };
    case 'date': {
      // No count when today lies in a year without a calendar: the date still says where it stands.
      const main = days !== null ? completionText(days) : today > due.dueOn ? '已逾期' : `办结截止 ${due.dueOn}`;
      return { main, sub: `截止 ${due.dueOn}${due.provisional ? ` · ${PROVISIONAL_DUE}` : ''}` };
    }
  }
}

function DeadlineCell({ item, calendar, offers }: { item: WorkItem; calendar: Calendar; offers: boolean }) {
  const now = useNow();
  const due = dueOfRow(item);
  const state = dueState(calendar, item, now);
  const days = due.kind === 'date' ? workingDaysLeft(calendar, due.dueOn, now, item.paused) : null;
  const left = offers && item.state === 'offered' ? acceptanceLeftMs(item.acceptBy, now) : null;
  const completion = completionLines(due, days, chinaDateOf(now));
  const main = left !== null ? (left > 0 ? `受理剩 ${formatHoursLeft(left)}` : '受理已超时') : completion.main;
  const sub = left !== null ? completion.main : completion.sub;
  const color = left === null && due.kind === 'awaiting-calendar' ? 'purple' : DUE_COLOR[state];
  return (
    <div className="worklist-deadline" title={dueReason(due) ?? undefined}>
      <Tag color={color} variant="filled">
        {main}
      </Tag>
      {sub && (
        <Typography.Text type="secondary" className="worklist-sub">
          {sub}
        </Typography.Text>
      )}
    </div>
  );
}

export interface OfferActions {
  onAccept: (item: WorkItem) => void;
  onRefuse: (item: WorkItem) => void;
}

export interface ColumnActions {
  /** Opens the case's review page. */
  onOpen: (item: WorkItem) => void;
  /**
   * 受理/拒绝, with the 状态 column and the acceptance countdown; absent for a queue without
   * offers (the 医保办's items start accepted).
   */
  offers?: OfferActions;
  busyId: string | null;
  /** Cases whose state waits for the server (or was refused by it): their rows say so. */
  awaiting?: ReadonlyMap<string, CaseAwaiting>;
}

export function worklistColumns(calendar: Calendar, actions: ColumnActions): ColumnsType<WorkItem> {
  const { offers } = actions;
  const awaitingOf = (item: WorkItem) => actions.awaiting?.get(item.caseId);
  const columns: ColumnsType<WorkItem> = [
    { title: '时限', key: 'deadline', width: 200, render: (_, item) => <DeadlineCell item={item} calendar={calendar} offers={offers !== undefined} /> },
    {
      title: '环节',
      key: 'stage',
      width: 160,
      render: (_, item) => (
        <Space size={[4, 2]} wrap>
          <Tag color={item.tieBreak ? 'purple' : 'blue'} variant="filled">
            {item.stageLabel}
          </Tag>
          {item.caseKind === 're-review' && <Tag variant="filled">复审申请</Tag>}
          {!offers && awaitingOf(item) && <CaseAwaitingTag awaiting={awaitingOf(item)!} short />}
        </Space>
      ),
    },
    {
      title: '参保人',
      key: 'person',
      width: 220,
      render: (_, item) => (
        <div>
          <Typography.Text strong>{item.personName}</Typography.Text>
          <Typography.Text type="secondary" className="worklist-sub">
            {maskCertNo(item.certNo)}
          </Typography.Text>
        </div>
      ),
    },
    {
      title: '病种',
      key: 'disease',
      width: 220,
      ellipsis: true,
      render: (_, item) => (
        <Tooltip title={item.diseaseCode}>
          <span>{item.diseaseName}</span>
        </Tooltip>
      ),
    },
    { title: '受理日期', dataIndex: 'receivedOn', key: 'receivedOn', width: 110 },
  ];
  if (offers) {
    columns.push({
      title: '状态',
      key: 'state',
      width: 150,
      render: (_, item) => {
        // An acceptance (or anything else) the server has not applied yet is not shown as settled.
        if (item.state === 'offered') return <Tag color="gold" variant="filled">待受理</Tag>;
        const a = awaitingOf(item);
        return a ? <CaseAwaitingTag awaiting={a} short /> : <Tag color="green" variant="filled">审核中</Tag>;
      },
    });
  }
  columns.push({
    title: '操作',
    key: 'actions',
    width: offers ? 200 : 90,
    render: (_, item) => {
      const open = (
        <Button size="small" onClick={(e) => (e.stopPropagation(), actions.onOpen(item))}>
          打开
        </Button>
      );
      if (!offers || item.state !== 'offered') return open;
      return (
        <Space size={4}>
          <Button size="small" type="primary" loading={actions.busyId === item.id} onClick={(e) => (e.stopPropagation(), offers.onAccept(item))}>
            受理
          </Button>
          <Button size="small" danger disabled={actions.busyId === item.id} onClick={(e) => (e.stopPropagation(), offers.onRefuse(item))}>
            拒绝
          </Button>
          {open}
        </Space>
      );
    },
  });
  return columns;
}

/** The table's scroll width: its columns side by side. */
export const columnsWidth = (columns: ColumnsType<WorkItem>): number => columns.reduce((sum, c) => sum + (typeof c.width === 'number' ? c.width : 0), 0);
