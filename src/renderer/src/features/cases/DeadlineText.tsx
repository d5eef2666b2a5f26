import { Tag, Tooltip, Typography } from 'antd';
import { AWAITING_DUE, dueReason, dueText, PROVISIONAL_DUE, type CompletionDue } from '../../../../shared/review/deadlines';

interface Props {
  due: CompletionDue;
  /** Put before the date ("办结期限 "); the awaiting and no-limit texts stand alone. */
  prefix?: string;
  /** The pack's limit (002/004: 20 working days), said after a date. */
  limitDays?: number | null;
}

/**
 * A completion deadline wherever one shows (review header, receipt, lists): the date, the date
 * with the one provisional phrase, or — never a blank or a weekends-only guess — a tag saying the
 * deadline waits for a calendar, with why on hover and for screen readers.
 */
export function DeadlineText({ due, prefix = '', limitDays = null }: Props) {
  if (due.kind === 'awaiting-calendar') {
    return (
      <Tooltip title={dueReason(due)}>
        <Tag color="purple" variant="filled" data-testid="due-awaiting" aria-description={dueReason(due) ?? undefined}>
          {AWAITING_DUE}：待导入 {due.year} 年节假日日历
        </Tag>
      </Tooltip>
    );
  }
  if (due.kind !== 'date') return <span>{dueText(due)}</span>;
  return (
    <span>
      {prefix}
      {due.dueOn}
      {limitDays ? `（受理后 ${limitDays} 个工作日）` : ''}
      {due.provisional && (
        <Typography.Text type="warning" data-testid="due-provisional">
          {' '}
          · {PROVISIONAL_DUE}
        </Typography.Text>
      )}
    </span>
  );
}
