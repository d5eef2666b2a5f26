import { Alert, App, Button, Descriptions, Empty, Input, Modal, Progress, Space, Statistic, Table, Tag, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { Certification } from '../../../../shared/domain/certification';
import { batchCounts, type BatchCounts, type FilingBatchRow, type FilingRow } from '../../../../shared/hospital/filings';
import { getDb } from '../../db/db';
import type { DeskCommand } from '../../hospital/desk-commands';
import { errorText } from '../../lib/ipc';
import { useSession } from '../auth/session';
import { downloadBatchWorkbook, receiptRows } from './batch-export';
import { batchCommand, commandBatchId, commandFilingId, dismissFiling, retryFiling, useOpenFilingCommands } from './filing-commands';
import { CommandTag, PhaseTag, timeText } from './filing-ui';

/** A batch as the list shows it: the server's row with its filings' counts, or the desk's command not yet applied. */
export interface BatchListRow {
  id: string;
  batch: FilingBatchRow | null;
  counts: BatchCounts;
  total: number;
  command: DeskCommand | null;
}

export async function batchListRows(): Promise<BatchListRow[]> {
  const db = getDb();
  const batches = await db.filingBatches.orderBy('createdAt').reverse().toArray();
  const filings = await db.filings.where('batchId').anyOf(batches.map((b) => b.id)).toArray();
  const byBatch = new Map<string, FilingRow[]>();
  for (const f of filings) byBatch.set(f.batchId!, [...(byBatch.get(f.batchId!) ?? []), f]);
  const known = new Set(batches.map((b) => b.id));
  const submits = (await db.deskCommands.where('state').anyOf(['pending', 'refused']).toArray()).filter((c) => c.kind === 'filing.submit');
  const waiting: BatchListRow[] = submits
    .filter((c) => !known.has(commandBatchId(c) ?? ''))
    .sort((a, b) => b.seq - a.seq)
    .map((c) => ({ id: commandBatchId(c) ?? c.id, batch: null, counts: batchCounts([]), total: (c.payload as { certificationIds: string[] }).certificationIds.length, command: c }));
  return [
    ...waiting,
    ...batches.map((b) => {
      const counts = batchCounts(byBatch.get(b.id) ?? []);
      return { id: b.id, batch: b, counts, total: Math.max(b.total, counts.total), command: null };
    }),
  ];
}

function CountTags({ counts }: { counts: BatchCounts }) {
  return (
    <Space size={4} wrap>
      <Tag color="success">已接受 {counts.accepted}</Tag>
      <Tag color={counts.rejected ? 'error' : 'default'}>被拒 {counts.rejected}</Tag>
      <Tag color={counts.setAside ? 'volcano' : 'default'}>已搁置 {counts.setAside}</Tag>
      <Tag color={counts.waiting ? 'warning' : 'default'}>等待网络/平台 {counts.waiting}</Tag>
    </Space>
  );
}

/** 备案批次: every batch, newest first, with what became of its filings. */
export function BatchList({ onOpen }: { onOpen: (batchId: string) => void }) {
  const rows = useLiveQuery(batchListRows, []);
  return (
    <Table<BatchListRow>
      rowKey="id"
      size="small"
      loading={rows === undefined}
      dataSource={rows ?? []}
      pagination={{ pageSize: 20, hideOnSinglePage: true }}
      locale={{ emptyText: '还没有备案批次' }}
      onRow={(r) => ({ onClick: () => onOpen(r.id), style: { cursor: 'pointer' } })}
      columns={[
        { title: '批次号', key: 'no', width: 140, render: (_, r) => r.batch?.batchNo ?? <Typography.Text type="secondary">（待编号）</Typography.Text> },
        { title: '提交人', key: 'who', width: 100, render: (_, r) => r.batch?.createdByName ?? '本工作站' },
        { title: '提交时间', key: 'at', width: 160, render: (_, r) => timeText(r.batch?.createdAt ?? r.command?.at) },
        { title: '平台', key: 'platform', width: 120, render: (_, r) => r.batch?.platformLabel ?? '—' },
        {
          title: '进度',
          key: 'progress',
          width: 120,
          render: (_, r) => (r.command ? <CommandTag command={r.command} /> : `${r.counts.done}/${r.total} 已发送`),
        },
        { title: '结果', key: 'counts', render: (_, r) => (r.batch ? <CountTags counts={r.counts} /> : `${r.total} 条`) },
        {
          title: '',
          key: 'open',
          width: 70,
          render: (_, r) => (
            <a
              href={`#/filings/batches/${encodeURIComponent(r.id)}`}
              onClick={(e) => {
                e.stopPropagation();
              }}
            >
              查看
            </a>
          ),
        },
      ]}
    />
  );
}

interface BatchData {
  batch: FilingBatchRow | null;
  filings: FilingRow[];
  certifications: Map<string, Certification>;
  command: DeskCommand | null;
}

async function batchData(batchId: string): Promise<BatchData> {
  const db = getDb();
  const [batch, filings, command] = await Promise.all([db.filingBatches.get(batchId), db.filings.where('batchId').equals(batchId).toArray(), batchCommand(db, batchId)]);
  const certIds = filings.flatMap((f) => (f.certificationId ? [f.certificationId] : []));
  const certs = await db.certifications.bulkGet(certIds);
  filings.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt) || a.psnNo.localeCompare(b.psnNo) || a.id.localeCompare(b.id));
  return { batch: batch ?? null, filings, certifications: new Map(certs.flatMap((c) => (c ? [[c.id, c] as const] : []))), command: command ?? null };
}

/**
 * One batch, live: its progress and counts, each filing's phase with the platform's serial number
 * or the reason, 重新发送 and 关闭 on the ones a person must deal with, and the receipts in Excel.
 */
export function BatchView({ batchId, onBack }: { batchId: string; onBack: () => void }) {
  const { user } = useSession();
  const { message } = App.useApp();
  const data = useLiveQuery(() => batchData(batchId), [batchId]);
  const open = useOpenFilingCommands();
  const [closing, setClosing] = useState<FilingRow | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);

  const openFor = new Map<string, DeskCommand>();
  for (const c of open ?? []) {
    const id = commandFilingId(c);
    if (id && (c.state === 'pending' || !openFor.has(id))) openFor.set(id, c);
  }

  const back = (
    <Button size="small" onClick={onBack}>
      返回批次列表
    </Button>
  );
  if (!data) return null;
  const { batch, filings, certifications, command } = data;

  if (!batch) {
    const total = (command?.payload as { certificationIds?: string[] } | undefined)?.certificationIds?.length ?? 0;
    return (
      <Space orientation="vertical" style={{ width: '100%' }}>
        {back}
        {!command ? (
          <Empty description="本工作站没有这个备案批次" />
        ) : command.state === 'pending' ? (
          <Alert type="warning" showIcon title={`待发送到院内服务器（${total} 条）`} description="批次已保存在本机，连上院内服务器后自动发送；服务器受理后在这里显示每条备案的进度。" />
        ) : command.state === 'applied' ? (
          <Alert type="info" showIcon title={`院内服务器已受理（${total} 条）`} description="正在等待下一次同步带回批次的进度。" />
        ) : (
          <Alert type="error" showIcon title="院内服务器未接受这个批次" description={command.reason ?? '未说明原因'} />
        )}
      </Space>
    );
  }

  const counts = batchCounts(filings);
  const total = Math.max(batch.total, counts.total);
  const percent = total ? Math.round((counts.done / total) * 100) : 0;
  const exportIt = async () => {
    try {
      await downloadBatchWorkbook(batch, receiptRows(filings, certifications));
    } catch (e) {
      message.error(`未能导出：${errorText(e)}`);
    }
  };
  const retry = async (f: FilingRow) => {
    try {
      await retryFiling(getDb(), user.id, f.id);
      message.success('已请求重新发送，待发送到院内服务器');
    } catch (e) {
      message.error(errorText(e));
    }
  };
  const dismiss = async () => {
    if (!closing) return;
    setBusy(true);
    try {
      await dismissFiling(getDb(), user.id, closing.id, note);
      message.success('已关闭，待发送到院内服务器');
      setClosing(null);
      setNote('');
    } catch (e) {
      message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="batch-view">
      <Space>
        {back}
        <Button onClick={() => void exportIt()} disabled={filings.length === 0}>
          导出回执（Excel）
        </Button>
      </Space>
      <Descriptions size="small" bordered column={4}>
        <Descriptions.Item label="批次号">{batch.batchNo}</Descriptions.Item>
        <Descriptions.Item label="提交人">{batch.createdByName}</Descriptions.Item>
        <Descriptions.Item label="提交时间">{timeText(batch.createdAt)}</Descriptions.Item>
        <Descriptions.Item label="平台">{batch.platformLabel}</Descriptions.Item>
      </Descriptions>
      {command && command.state !== 'applied' && <CommandTag command={command} />}
      <Progress percent={percent} format={() => `${counts.done}/${total}`} status={counts.done === total && total > 0 ? (counts.rejected || counts.setAside ? 'exception' : 'success') : 'active'} />
      <Space size="large" wrap data-testid="batch-counts">
        <Statistic title="已发送" value={counts.done} suffix={`/ ${total}`} />
        <Statistic title="已接受" value={counts.accepted} />
        <Statistic title="被拒" value={counts.rejected} />
        <Statistic title="已搁置" value={counts.setAside} />
        <Statistic title="等待网络/平台" value={counts.waiting} />
        <Statistic title="排队/发送中" value={counts.queued + counts.sending} />
      </Space>
      <Table<FilingRow>
        rowKey="id"
        size="small"
        dataSource={filings}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: '院内服务器尚未带回这个批次的备案' }}
        columns={[
          {
            title: '参保人',
            key: 'person',
            width: 190,
            render: (_, f) => (
              <>
                <div>{f.psnName}</div>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {f.psnNo}
                </Typography.Text>
              </>
            ),
          },
          { title: '内容', dataIndex: 'summary' },
          { title: '状态', key: 'phase', width: 130, render: (_, f) => <PhaseTag phase={f.phase} /> },
          {
            title: '备案流水号 / 原因',
            key: 'serial',
            render: (_, f) => (f.serial ? <Typography.Text copyable>{f.serial}</Typography.Text> : f.reason ? <Typography.Text type={f.phase === 'waiting' || f.phase === 'checking' ? 'secondary' : 'danger'}>{f.reason}</Typography.Text> : '—'),
          },
          { title: '发送次数', dataIndex: 'sends', width: 80 },
          { title: '更新时间', key: 'at', width: 160, render: (_, f) => timeText(f.updatedAt) },
          {
            title: '操作',
            key: 'actions',
            width: 190,
            render: (_, f) => {
              const c = openFor.get(f.id);
              if (c?.state === 'pending') return <CommandTag command={c} />;
              if (f.phase !== 'set-aside' && f.phase !== 'rejected') return c ? <CommandTag command={c} /> : null;
              return (
                <Space size={4} wrap>
                  {c && <CommandTag command={c} />}
                  {f.phase === 'set-aside' && (
                    <Button size="small" onClick={() => void retry(f)}>
                      重新发送
                    </Button>
                  )}
                  <Button size="small" onClick={() => setClosing(f)}>
                    关闭
                  </Button>
                </Space>
              );
            },
          },
        ]}
      />
      <Modal
        open={closing !== null}
        title={`关闭：${closing?.psnName ?? ''} ${closing?.summary ?? ''}`}
        okText="关闭这条报文"
        onOk={() => void dismiss()}
        onCancel={() => setClosing(null)}
        okButtonProps={{ disabled: !note.trim(), loading: busy }}
        destroyOnHidden
      >
        <Typography.Paragraph type="secondary">关闭后这条报文不再发送；其认定可以重新提交备案。请写明处理结果。</Typography.Paragraph>
        <Input.TextArea rows={3} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} placeholder="处理结果" aria-label="处理结果" />
      </Modal>
    </Space>
  );
}
