import { ReloadOutlined } from '@ant-design/icons';
import { App, Button, Card, Modal, Segmented, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { OutboxItem } from '../../../../shared/sync/outbox-item';
import { needsAttention } from '../../../../shared/sync/states';
import { getDb } from '../../db/db';
import { errorText } from '../../lib/ipc';
import { useOnline } from '../../lib/useOnline';
import { markItemHandled, retryItemNow } from '../../sync/sync-engine';
import { useSyncStatus } from '../../sync/useSyncStatus';
import { useSession } from '../auth/session';
import { FilingForm } from '../filings/FilingForm';
import { draftOf } from '../filings/filing-message';
import { AttemptHistory } from './AttemptHistory';
import { ConflictsCard, DeskCommandsCard } from './DeskCommandsCard';
import { worksThroughServer } from '../../hospital/desk-session';
import { useDeskStatus } from '../../hospital/useDeskStatus';
import { linkDown } from '../../hospital/desk-sync';
import { ItemExplanation } from './ItemExplanation';
import { adviceFor } from './rejection-advice';
import { RevokeFilingDialog } from './RevokeFilingDialog';
import { SyncSummary } from './SyncSummary';
import { groups, itemSummary, kindLabels, nextAttempt, stateLabel, whenText, type GroupKey } from './sync-labels';

// Lists of finished items are long-lived history; the page shows the latest ones.
const HISTORY_LIMIT = 500;

async function itemsOf(group: GroupKey): Promise<OutboxItem[]> {
  const outbox = getDb().outbox;
  switch (group) {
    case 'attention':
      return (await outbox.where('status').equals('rejected').toArray()).filter((i) => needsAttention(i.state)).sort((a, b) => b.seq - a.seq);
    case 'waiting':
    case 'inFlight':
      return (await Promise.all(groups[group].tags.map((tag) => outbox.where('status').equals(tag).toArray()))).flat().sort((a, b) => a.seq - b.seq);
    case 'accepted':
      return (await outbox.where('status').equals('accepted').reverse().sortBy('seq')).slice(0, HISTORY_LIMIT);
    case 'all':
      return outbox.orderBy('seq').reverse().limit(HISTORY_LIMIT).toArray();
  }
}

/** 同步: every platform message by state, what the platform said, what happens next, and what a person can do. */
export default function SyncPage() {
  const { message } = App.useApp();
  const { user } = useSession();
  const online = useOnline();
  const status = useSyncStatus();
  const desk = useDeskStatus();
  const [group, setGroup] = useState<GroupKey>('all');
  const items = useLiveQuery(() => itemsOf(group), [group]);
  const accepted = useLiveQuery(() => getDb().outbox.where('status').equals('accepted').count(), [], 0);
  const [correcting, setCorrecting] = useState<OutboxItem>();
  const [revoking, setRevoking] = useState<OutboxItem>();

  const act = (work: Promise<unknown>, done: string) =>
    work.then(
      () => message.success(done),
      (e: unknown) => message.error(errorText(e)),
    );
  const retryAll = async () => {
    const outbox = getDb().outbox;
    const due = [...(await outbox.where('status').equals('retrying').toArray()), ...(await outbox.where('status').equals('unknown').toArray())];
    await Promise.all(due.map((i) => retryItemNow(i.id, user.id)));
    return due.length;
  };

  const actions = (item: OutboxItem) => {
    const s = item.state;
    if (s.tag === 'retrying' || s.tag === 'unknown') {
      return (
        <Button size="small" icon={<ReloadOutlined />} onClick={() => void act(retryItemNow(item.id, user.id), '已安排立即重试')}>
          立即重试
        </Button>
      );
    }
    if (s.tag === 'accepted' && item.kind === 'filing') {
      return (
        <Button size="small" onClick={() => setRevoking(item)}>
          撤销备案
        </Button>
      );
    }
    if (s.tag !== 'rejected' || s.handled) return null;
    const { remedies } = adviceFor(s);
    return (
      <Space size={4} wrap>
        {item.kind === 'filing' && remedies.includes('correct') && (
          <Button size="small" type="primary" onClick={() => setCorrecting(item)}>
            更正后重新备案
          </Button>
        )}
        {item.kind === 'filing' && remedies.includes('revoke') && (
          <Button size="small" onClick={() => setRevoking(item)}>
            撤销备案
          </Button>
        )}
        <Button size="small" type="text" onClick={() => void act(markItemHandled(item.id, 'dismissed', user.id), '已标记为已处理')}>
          标记已处理
        </Button>
      </Space>
    );
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="sync-page">
      {worksThroughServer() && <DeskCommandsCard online={desk ? !linkDown(desk) : online} />}
      {worksThroughServer() && user.role !== 'physician' && <ConflictsCard />}
      <SyncSummary status={status} online={online} accepted={accepted} />
      <Card
        size="small"
        title={
          <Segmented<GroupKey>
            value={group}
            onChange={setGroup}
            options={(Object.keys(groups) as GroupKey[]).map((key) => ({ value: key, label: groups[key].label }))}
          />
        }
        extra={
          <Tooltip title="所有等待重试和待核实的报文立即再试一次">
            <Button icon={<ReloadOutlined />} onClick={() => void act(retryAll(), '已安排全部立即重试')}>
              全部立即重试
            </Button>
          </Tooltip>
        }
      >
        <Table<OutboxItem>
          rowKey="id"
          size="small"
          scroll={{ x: 1450 }}
          loading={!items}
          dataSource={items}
          pagination={{ pageSize: 50, showSizeChanger: false, showTotal: (n) => `共 ${n} 条` }}
          expandable={{ expandedRowRender: (item) => <AttemptHistory item={item} /> }}
          locale={{ emptyText: '没有报文' }}
          columns={[
            { title: '序号', dataIndex: 'seq', width: 70 },
            { title: '参保人', width: 200, render: (_, i) => `${i.meta.psnName ?? ''}（${i.lane}）` },
            { title: '报文', width: 200, render: (_, i) => (<><div>{kindLabels[i.kind]}</div><Typography.Text type="secondary">{itemSummary(i)}</Typography.Text></>) },
            {
              title: '状态',
              width: 110,
              render: (_, i) => {
                const s = stateLabel(i.state);
                return <Tag color={s.color}>{s.text}</Tag>;
              },
            },
            { title: '说明', width: 380, render: (_, i) => <ItemExplanation item={i} /> },
            { title: '下次尝试', width: 170, render: (_, i) => whenText(nextAttempt(i)) },
            { title: '发送次数', dataIndex: 'sends', width: 80 },
            { title: '操作', width: 250, render: (_, i) => actions(i) },
          ]}
        />
      </Card>
      {correcting && (
        <Modal open width={1000} title="更正后重新备案" footer={null} onCancel={() => setCorrecting(undefined)} destroyOnHidden>
          <Typography.Paragraph type="secondary">原备案已被平台拒绝，不会生效。请更正后保存：将作为一条新备案上传，原记录标记为已处理。</Typography.Paragraph>
          <FilingForm
            initial={draftOf(correcting)}
            supersedes={correcting.id}
            submitText="保存更正后的备案"
            onSaved={(saved) => {
              void markItemHandled(correcting.id, 'refiled', user.id, saved.id);
              setCorrecting(undefined);
            }}
          />
        </Modal>
      )}
      {revoking && <RevokeFilingDialog item={revoking} onClose={() => setRevoking(undefined)} />}
    </Space>
  );
}
