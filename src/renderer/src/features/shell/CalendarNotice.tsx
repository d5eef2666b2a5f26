import { CalendarOutlined } from '@ant-design/icons';
import { Alert, Button, Tooltip } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { NO_DEADLINE, type CaseRow } from '../../../../shared/domain/case';
import { startOfChinaDay } from '../../../../shared/time';
import { getDb } from '../../db/db';
import { missingCalendarYear } from '../../../../shared/policy/calendar';
import { useHashRoute } from '../../lib/useHashRoute';
import { useSession } from '../auth/session';
import { useNow } from '../../lib/useNow';
import { usePolicy } from '../policy/policy-store';

/** Where the notice leads: 设置 → 政策 → 节假日日历. */
export const CALENDAR_SETTINGS_PATH = '/settings/policy/calendar';

/** The notice's words, for the header and for the policy page alike. */
export function calendarNoticeText(year: number): string {
  return `缺少 ${year} 年节假日日历：国务院办公厅每年秋季公布次年节假日安排，请在公布后导入；导入前，数到 ${year} 年的办结时限暂无法计算。`;
}

/**
 * A standing notice in the header for administrators and the 医保办 (who import calendars):
 * from 1 November, or whenever the current year is missing, until the year is imported. It
 * opens the import. Physicians never see it: the deadlines on their worklist say what they need.
 */
export function CalendarNotice({ compact = false }: { compact?: boolean }) {
  const { user } = useSession();
  const policy = usePolicy();
  const [, navigate] = useHashRoute('/workbench');
  // The minute clock the worklist shares: the notice appears on 1 November without a reload.
  const now = useNow(60_000);
  if (user.role === 'physician' || !policy) return null;
  const year = missingCalendarYear(policy.calendar, now);
  if (year === null) return null;
  return (
    <Tooltip title={calendarNoticeText(year)} trigger={['hover', 'focus']}>
      <Button size="small" danger icon={<CalendarOutlined />} data-testid="calendar-notice" onClick={() => navigate(CALENDAR_SETTINGS_PATH)} aria-label={`缺 ${year} 年节假日日历`}>
        {compact ? (
          <>
            缺 {year} 年<span className="sr-only">节假日</span>日历
          </>
        ) : (
          `缺 ${year} 年节假日日历`
        )}
      </Button>
    </Tooltip>
  );
}

const OPEN: CaseRow['status'][] = ['unassigned', 'in-review', 'office-review'];

/**
 * Open cases whose deadline waits for `year`'s calendar. While that year has no calendar no
 * deadline can be computed inside it, so they are exactly the open cases sorted from its first
 * day on (deadlineAt is the earliest possible day), short of NO_DEADLINE: an index count.
 */
function countAwaiting(year: number): Promise<number> {
  const from = startOfChinaDay(`${year}-01-01`).toISOString();
  const db = getDb();
  return Promise.all(OPEN.map((s) => db.cases.where('[status+deadlineAt]').between([s, from], [s, NO_DEADLINE], true, false).count())).then((n) => n.reduce((a, b) => a + b, 0));
}

/** 工作台's form of the notice: the full words, how many cases wait, and the way to the import. */
export function CalendarNoticeBanner() {
  const { user } = useSession();
  const policy = usePolicy();
  const [, navigate] = useHashRoute('/workbench');
  const now = useNow(60_000);
  const year = policy && user.role !== 'physician' ? missingCalendarYear(policy.calendar, now) : null;
  const waiting = useLiveQuery(() => (year === null ? 0 : countAwaiting(year)), [year]);
  if (year === null) return null;
  return (
    <Alert
      type="warning"
      showIcon
      data-testid="calendar-banner"
      title={`缺少 ${year} 年节假日日历${waiting ? `：${waiting} 件在办案件的办结时限待定` : ''}`}
      description={calendarNoticeText(year)}
      action={
        <Button size="small" type="primary" onClick={() => navigate(CALENDAR_SETTINGS_PATH)}>
          导入日历
        </Button>
      }
    />
  );
}
