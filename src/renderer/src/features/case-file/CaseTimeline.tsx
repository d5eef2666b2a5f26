import { ClockCircleOutlined } from '@ant-design/icons';
import { Empty, Space, Tag, Timeline, Typography } from 'antd';
import type { CaseFileEvent } from '../../../../shared/case-file/case-file';
import { chinaDateOf, formatChina } from '../../../../shared/time';
import { caseRoute } from './case-file-route';
import { TAG_COLOR } from './HoldingsPanel';

// Date-only facts are shown as the China date they were recorded on, whatever the machine's zone.
const when = (e: CaseFileEvent) => (e.precision === 'day' ? chinaDateOf(e.at) : formatChina(e.at, 'YYYY-MM-DD HH:mm'));

/** The case file's events, oldest first, each with who did it and, for platform messages, where it stands. */
export function CaseTimeline({ events }: { events: readonly CaseFileEvent[] }) {
  if (events.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无记录" />;
  return (
    <Timeline
      items={events.map((e) => ({
        key: e.id,
        color: e.tone,
        ...(e.future ? { icon: <ClockCircleOutlined /> } : {}),
        content: (
          <div data-testid="case-file-event">
            <Space size={8} wrap>
              <span className="case-file-event-title">{e.title}</span>
              {e.sync && <Tag color={TAG_COLOR[e.sync.tone]}>{e.sync.label}</Tag>}
              {e.future && <Tag>待到期</Tag>}
            </Space>
            {e.detail && <div>{e.detail}</div>}
            {e.sync?.receipt && e.kind !== 'filing-result' && e.kind !== 'revocation' && <div>备案流水号 {e.sync.receipt}</div>}
            {e.sync?.reason && e.sync.tone !== 'green' && !e.detail?.includes(e.sync.reason) && <Typography.Text type="danger">原因：{e.sync.reason}</Typography.Text>}
            <div className="case-file-event-meta">
              {when(e)}
              {e.actor ? ` · ${e.actor}` : ''}
              {e.kind === 'application' && e.caseId && (
                <>
                  {' · '}
                  <a href={`#${caseRoute(e.caseId)}`}>打开案件</a>
                </>
              )}
            </div>
          </div>
        ),
      }))}
    />
  );
}
