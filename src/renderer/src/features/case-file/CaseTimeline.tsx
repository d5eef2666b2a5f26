import { ClockCircleOutlined } from '@ant-design/icons';
import { Empty, Space, Tag, Timeline, Typography } from 'antd';
import type { CaseFileEvent } from '../../../../shared/case-file/case-file';
import { chinaDateOf, formatChina } from '../../../../shared/time';
import { caseRoute } from './case-file-route';
import { TAG_COLOR } from './HoldingsPanel';
import { assignmentOf, madeByCommand, type CaseAwaiting } from '../../hospital/case-commands';
import { CaseAwaitingTag } from '../cases/CaseAwaitingTag';

/**
 * The waiting command an event shows the effect of: a row the command made on this desk (its id
 * carries the command's), the decision a conclusion reached here, or the acceptance or refusal of
 * the assignment it names. Instants are not compared: desk and server clocks differ.
 */
export function awaitingOfEvent(e: CaseFileEvent, awaiting: ReadonlyMap<string, CaseAwaiting> | undefined): CaseAwaiting | null {
  const all = (e.caseId ? awaiting?.get(e.caseId)?.pending : undefined) ?? [];
  const made = (a: CaseAwaiting) => {
    if (madeByCommand(a, e.id)) return true;
    if (e.kind === 'decision') return a.kind === 'case.conclude';
    const assignment = assignmentOf(a);
    const step = a.kind === 'offer.accept' ? 'acceptance' : a.kind === 'offer.refuse' ? 'refusal' : null;
    return assignment !== null && e.kind === step && e.id.startsWith(`${assignment}:`);
  };
  return all.find(made) ?? null;
}

// Date-only facts are shown as the China date they were recorded on, whatever the machine's zone.
const when = (e: CaseFileEvent) => (e.precision === 'day' ? chinaDateOf(e.at) : formatChina(e.at, 'YYYY-MM-DD HH:mm'));

/** The case file's events, oldest first, each with who did it and, for platform messages, where it stands. */
export function CaseTimeline({ events, awaiting }: { events: readonly CaseFileEvent[]; awaiting?: ReadonlyMap<string, CaseAwaiting> }) {
  if (events.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="暂无记录" />;
  return (
    <Timeline
      items={events.map((e) => {
        const waiting = awaitingOfEvent(e, awaiting);
        // A decision made on this desk alone is not 办结 until the server has applied it.
        const title = waiting && e.kind === 'decision' ? e.title.replace(/^办结：/, '本工作站的结果：') : e.title;
        return {
          key: e.id,
          color: waiting ? 'gray' : e.tone,
          ...(e.future || waiting ? { icon: <ClockCircleOutlined /> } : {}),
          content: (
            <div data-testid="case-file-event">
              <Space size={8} wrap>
                <span className="case-file-event-title">{title}</span>
                {waiting && <CaseAwaitingTag awaiting={waiting} short />}
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
        };
      })}
    />
  );
}
