import { Alert, Button, Card, Space, Table, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { commandLabels } from '../../../../shared/hospital/commands';
import { formatChina } from '../../../../shared/time/china-time';
import { getDb } from '../../db/db';
import { caseAwaitingMap, unsettledCommands, type CaseAwaiting } from '../../hospital/case-commands';
import { caseRoute } from '../case-file/case-file-route';
import { payloadSummary } from '../sync/DeskCommandsCard';
import { CaseAwaitingTag } from './CaseAwaitingTag';

export interface AwaitingCaseRow {
  awaiting: CaseAwaiting;
  /** 参保人 · 病种, as the desk holds the case (or as it was when refused); null when the case left the desk. */
  name: string | null;
  /** Whether the desk still holds the case (it can be opened). */
  held: boolean;
}

/** Live: the cases whose state rests on this user's commands not yet applied by the server (or refused), newest first. */
export function useAwaitingCases(userId: string, kinds?: readonly CaseAwaiting['kind'][]): AwaitingCaseRow[] | undefined {
  return useLiveQuery(async () => {
    const mine = [...caseAwaitingMap(await unsettledCommands()).values()].filter((a) => a.command.userId === userId && (!kinds || kinds.includes(a.kind)));
    const cases = await getDb().cases.bulkGet(mine.map((a) => a.caseId));
    return mine
      .map((awaiting, i) => {
        const c = cases[i];
        return { awaiting, held: Boolean(c), name: c ? `${c.personName} · ${c.diseaseName}` : (awaiting.command.caseLabel ?? null) };
      })
      .sort((a, b) => b.awaiting.command.seq - a.awaiting.command.seq);
  }, [userId, kinds]);
}

const open = (caseId: string) => void (window.location.hash = caseRoute(caseId));
const CONCLUSIONS = ['case.conclude'] as const;
const SHOWN = 5;

/**
 * Above the worklist: conclusions this user made that the server has not applied yet (the case
 * has left the worklist, but it is not decided) or refused. Nothing when there are none.
 */
export function AwaitingConclusionsNote({ userId }: { userId: string }) {
  const rows = useAwaitingCases(userId, CONCLUSIONS);
  if (!rows || rows.length === 0) return null;
  const pending = rows.filter((r) => r.awaiting.state === 'pending').length;
  const refused = rows.length - pending;
  const title = [pending ? `${pending} 件案件的结论已保存在本机，待院内服务器确认后才算办结或转入下一环节` : null, refused ? `${refused} 件案件的结论未被院内服务器接受` : null].filter(Boolean).join('；');
  return (
    <Alert
      type={refused ? 'error' : 'warning'}
      showIcon
      className="worklist-note"
      data-testid="awaiting-conclusions"
      title={title}
      description={
        <Space size={[16, 4]} wrap>
          {rows.slice(0, SHOWN).map((r) => (
            <Space key={r.awaiting.command.id} size={4}>
              {r.held ? (
                <Typography.Link onClick={() => open(r.awaiting.caseId)}>{r.name ?? '（案件）'}</Typography.Link>
              ) : (
                <Typography.Text>{r.name ?? '（已不在本机的案件）'}</Typography.Text>
              )}
              <CaseAwaitingTag awaiting={r.awaiting} short />
            </Space>
          ))}
          {rows.length > SHOWN && <a href="#/sync">等 {rows.length} 件，见“同步”</a>}
        </Space>
      }
    />
  );
}

/** 工作台: every case whose state waits for the server because of this user's commands, or was refused by it. Nothing when there are none. */
export function AwaitingCasesCard({ userId }: { userId: string }) {
  const rows = useAwaitingCases(userId);
  if (!rows || rows.length === 0) return null;
  return (
    <Card size="small" title={`待院内服务器确认的案件（${rows.length}）`} data-testid="awaiting-cases" extra={<a href="#/sync">同步</a>}>
      <Table<AwaitingCaseRow>
        size="small"
        rowKey={(r) => r.awaiting.command.id}
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        dataSource={rows}
        columns={[
          { title: '参保人 · 病种', key: 'name', width: 220, render: (_, r) => r.name ?? '（已不在本机的案件）' },
          {
            title: '本工作站的操作',
            key: 'what',
            ellipsis: true,
            render: (_, r) => {
              const entered = payloadSummary(r.awaiting.command.kind, r.awaiting.command.payload);
              return `${commandLabels[r.awaiting.command.kind]}${entered ? `（${entered}）` : ''}`;
            },
          },
          { title: '操作时间', key: 'at', width: 120, render: (_, r) => formatChina(r.awaiting.command.at, 'MM-DD HH:mm') },
          { title: '状态', key: 'state', width: 210, render: (_, r) => <CaseAwaitingTag awaiting={r.awaiting} /> },
          {
            title: '',
            key: 'open',
            width: 70,
            render: (_, r) =>
              r.held ? (
                <Button size="small" onClick={() => open(r.awaiting.caseId)}>
                  打开
                </Button>
              ) : null,
          },
        ]}
      />
      {rows.some((r) => r.awaiting.state === 'pending') && (
        <Typography.Text type="secondary" className="panel-hint">
          这些操作已保存在本机；院内服务器确认前，案件显示的是本工作站的结果，不作为最终结论。
        </Typography.Text>
      )}
    </Card>
  );
}
