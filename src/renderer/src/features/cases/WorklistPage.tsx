import { Alert, App, Button, Card, Empty, Input, Segmented, Select, Space, Switch, Table, Tooltip, Typography, type GetRef, type InputRef } from 'antd';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { WorkItem } from '../../../../shared/domain/work-item';
import { refusalVerdict } from '../../../../shared/review/refusals';
import type { WorklistOrder, WorklistQuery } from '../../../../shared/review/worklist';
import { getDb } from '../../db/db';
import { useSession } from '../auth/session';
import { acceptAssignment, refuseAssignment } from './assignment-repo';
import { onWorkItemsChanged } from './lapse-sweep';
import { RefuseDialog } from './RefuseDialog';
import { useReviewContext } from './useReviewContext';
import { useWorklist } from './useWorklist';
import { columnsWidth, worklistColumns } from './worklist-columns';
import { queueStages, worklistQueue } from './worklist-queue';
import './worklist.css';
import { useCaseAwaiting } from '../../hospital/case-commands';
import { AwaitingConclusionsNote } from './AwaitingCases';
import { missingCalendarYear } from '../../../../shared/policy/calendar';
import { AWAITING_DUE } from '../../../../shared/review/deadlines';

type StateFilter = 'all' | 'offered' | 'accepted';
const ROW_HEIGHT = 52;

/**
 * The worklist of the logged-in user's queue (worklist-queue.ts), nearest deadline first:
 * 待审案件 for a physician (their open assignments: accept or refuse offers, then review), 院内复核
 * for the 医保办 (the office stages' shared queue; items start accepted, so nothing about offers
 * shows). Rows come a page at a time from the work-item indexes and the table renders only what
 * is on screen, so it stays quick with 100,000 cases stored. Keys: ↑/↓ move, Enter 打开,
 * A 受理, R 拒绝 (offers only), / 搜索.
 */
export default function WorklistPage() {
  const { user } = useSession();
  const queue = useMemo(() => worklistQueue(user), [user]);
  const ctx = useReviewContext();
  const { message } = App.useApp();
  const [stage, setStage] = useState<string | null>(null);
  const [disease, setDisease] = useState<string | null>(null);
  const [state, setState] = useState<StateFilter>('all');
  const [dueSoon, setDueSoon] = useState(false);
  const [awaitingCalendar, setAwaitingCalendar] = useState(false);
  const [search, setSearch] = useState('');
  const [order, setOrder] = useState<WorklistOrder>('asc');
  const [selection, setSelection] = useState<{ key: string; index: number }>({ key: '', index: 0 });
  const [busyId, setBusyId] = useState<string | null>(null);
  const [refusing, setRefusing] = useState<{ item: WorkItem; warning: string | null } | null>(null);
  const tableRef = useRef<GetRef<typeof Table>>(null);
  const searchRef = useRef<InputRef>(null);

  const query = useMemo<WorklistQuery>(
    () => ({ assigneeId: queue.assigneeId, stage, diseaseCode: disease, state: state === 'all' ? null : state, dueSoon, awaitingCalendar, search: search.trim() || undefined, order }),
    [queue.assigneeId, stage, disease, state, dueSoon, awaitingCalendar, search, order],
  );
  const list = useWorklist(query, ctx?.calendar);
  // One read of the desk's unsettled commands for the whole table: rows look their case up.
  const awaiting = useCaseAwaiting();
  // The selection belongs to one query: a new filter starts again at the top.
  const queryKey = JSON.stringify(query);
  const selected = selection.key === queryKey ? selection.index : 0;
  const setSelected = (index: number) => setSelection({ key: queryKey, index });
  const { reload } = list;

  // The app-wide lapse sweep or a deadline refresh (both in the shell) moved items: show the queue anew.
  useEffect(() => onWorkItemsChanged(reload), [reload]);

  const accept = useCallback(
    async (item: WorkItem) => {
      setBusyId(item.id);
      const r = await acceptAssignment(getDb(), item.id, user.id);
      setBusyId(null);
      if (r.ok) message.success(`已受理：${item.personName} · ${item.diseaseName}`);
      else message.error(r.message);
      reload();
    },
    [message, reload, user.id],
  );

  const openRefuse = useCallback(
    async (item: WorkItem) => {
      if (!ctx) return;
      // What the streak would be after this refusal, so the physician is warned before the limit.
      const history = await getDb().assignments.where('[reviewerId+offeredAt]').between([user.id, ''], [user.id, '\uffff']).toArray();
      const after = history.map((a) => (a.id === item.id ? { ...a, state: 'refused' as const, closedAt: new Date().toISOString() } : a));
      const profile = await getDb().physicians.get(user.id);
      const counted = refusalVerdict(ctx.pack, after, profile?.streakFrom);
      // The server's count covers refusals and lapses this desk no longer holds.
      const v = profile?.refusalStreak === undefined ? counted : { ...counted, streak: Math.max(counted.streak, profile.refusalStreak + 1) };
      const warning = v.limit !== null && v.streak >= v.limit - 1 ? `这将是您连续第 ${v.streak} 次未受理；连续 ${v.limit} 次将被取消认定专家资格。` : null;
      setRefusing({ item, warning });
    },
    [ctx, user.id],
  );

  const refuse = async (reason: string) => {
    if (!ctx || !refusing) return;
    const r = await refuseAssignment(getDb(), ctx, refusing.item.id, user.id, reason);
    if (!r.ok) message.error(r.message);
    else if (r.value.flagged) message.warning('已拒绝。您已达到连续拒绝受理上限，认定专家资格待医保办处理。');
    else message.success('已拒绝，案件将分配给其他认定医师');
    setRefusing(null);
    reload();
  };

  // The review page lives at #/cases/<caseId> (features/review).
  const open = useCallback((item: WorkItem) => void (window.location.hash = `/cases/${encodeURIComponent(item.caseId)}`), []);
  const offers = queue.offers;
  const columns = useMemo(
    () => (ctx ? worklistColumns(ctx.calendar, { onOpen: open, offers: offers ? { onAccept: accept, onRefuse: openRefuse } : undefined, busyId, awaiting }) : []),
    [ctx, accept, openRefuse, open, offers, busyId, awaiting],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if ((e.target as HTMLElement).closest('input, textarea, .ant-select')) return;
    const item = list.rows[selected];
    const move = (to: number) => {
      const i = Math.max(0, Math.min(list.rows.length - 1, to));
      setSelected(i);
      tableRef.current?.scrollTo({ index: i });
      if (i >= list.rows.length - 20) list.loadMore();
      e.preventDefault();
    };
    const offered = offers && item?.state === 'offered' ? item : null;
    if (e.key === 'ArrowDown' || e.key === 'j') move(selected + 1);
    else if (e.key === 'ArrowUp' || e.key === 'k') move(selected - 1);
    else if (e.key === 'Enter' && item) {
      open(item);
      e.preventDefault();
    } else if (e.key === '/') {
      searchRef.current?.focus();
      e.preventDefault();
    } else if (offered && (e.key === 'a' || e.key === 'A')) void accept(offered);
    else if (offered && (e.key === 'r' || e.key === 'R')) {
      void openRefuse(offered);
      e.preventDefault();
    }
  };

  if (!ctx) return <Card loading className="worklist" />;
  const packStages = queueStages(ctx.pack, queue);
  const stages = packStages.map((s) => ({ value: s.id, label: s.label }));
  const diseases = ctx.pack.diseases.map((d) => ({ value: d.code, label: d.name }));
  const count = list.total !== null ? `共 ${list.total} 件` : `已载入 ${list.rows.length} 件${list.more ? '，继续滚动载入更多' : ''}`;

  return (
    <div className="worklist" tabIndex={0} onKeyDown={onKeyDown} aria-label={`${queue.title}列表`}>
      <div className="worklist-head">
        <Typography.Title level={4}>{queue.title}</Typography.Title>
        <Typography.Text type="secondary">{queue.description}</Typography.Text>
      </div>
      <Space className="worklist-toolbar" wrap size={[8, 8]}>
        <Input.Search ref={searchRef} allowClear placeholder="姓名、身份证号或个人编号" style={{ width: 280 }} onSearch={setSearch} onChange={(e) => e.target.value === '' && setSearch('')} aria-label="搜索" />
        {offers && <Segmented<StateFilter> value={state} onChange={setState} options={[{ value: 'all', label: '全部' }, { value: 'offered', label: '待受理' }, { value: 'accepted', label: '审核中' }]} />}
        <Select allowClear placeholder="环节" style={{ width: 170 }} value={stage} onChange={(v) => setStage(v ?? null)} options={stages} aria-label="环节" />
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder="病种" style={{ width: 220 }} value={disease} onChange={(v) => setDisease(v ?? null)} options={diseases} aria-label="病种" />
        <Space size={4}>
          <Switch size="small" checked={dueSoon} onChange={setDueSoon} aria-label="临近时限" />
          <Typography.Text>临近时限</Typography.Text>
        </Space>
        {(awaitingCalendar || (ctx && missingCalendarYear(ctx.calendar, new Date()) !== null)) && (
          <Tooltip title="办结时限要数到尚未导入节假日日历的年份，暂无法计算的案件">
            <Space size={4}>
              <Switch size="small" checked={awaitingCalendar} onChange={setAwaitingCalendar} aria-label={AWAITING_DUE} />
              <Typography.Text>{AWAITING_DUE}</Typography.Text>
            </Space>
          </Tooltip>
        )}
        <Tooltip title="按时限排序">
          <Button size="small" onClick={() => setOrder(order === 'asc' ? 'desc' : 'asc')}>
            {order === 'asc' ? '时限 ↑ 最近在前' : '时限 ↓ 最远在前'}
          </Button>
        </Tooltip>
        <Typography.Text type="secondary">{count}</Typography.Text>
      </Space>
      <AwaitingConclusionsNote userId={user.id} />
      {offers && ctx.pack.process.acceptanceWindowHours && (
        <Alert
          type="info"
          showIcon
          className="worklist-note"
          title={`${ctx.pack.title}：分配后 ${ctx.pack.process.acceptanceWindowHours.value} 小时内须受理或拒绝，逾期将重新分配${ctx.pack.process.refusalLimit ? `；连续 ${ctx.pack.process.refusalLimit.value} 次未受理将取消认定专家资格` : ''}。`}
        />
      )}
      <Table<WorkItem>
        ref={tableRef}
        virtual
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={list.rows}
        loading={list.loading && list.rows.length === 0}
        pagination={false}
        scroll={{ x: columnsWidth(columns), y: 560 }}
        rowClassName={(_, i) => (i === selected ? 'worklist-row worklist-row-selected' : 'worklist-row')}
        onRow={(item, i) => ({ onClick: () => setSelected(i ?? 0), onDoubleClick: () => open(item), style: { height: ROW_HEIGHT } })}
        onScroll={(e) => {
          const el = e.currentTarget;
          if (el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 20) list.loadMore();
        }}
        locale={{ emptyText: <Empty description={search || stage || disease || dueSoon || awaitingCalendar || state !== 'all' ? '没有符合条件的案件' : queue.kind === 'office' && packStages.length === 0 ? `当前政策包（${ctx.pack.title}）未设医保办院内复核环节` : queue.emptyText} /> }}
      />
      <Typography.Text type="secondary" className="worklist-hint">
        快捷键：↑/↓ 选择 · Enter 打开{offers ? ' · A 受理 · R 拒绝' : ''} · / 搜索{list.tookMs !== null ? ` · 查询 ${Math.round(list.tookMs)} ms` : ''}
      </Typography.Text>
      <RefuseDialog item={refusing?.item ?? null} warning={refusing?.warning ?? null} onCancel={() => setRefusing(null)} onConfirm={refuse} />
    </div>
  );
}
