import { Alert, App, Button, Card, Form, Input, Modal, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { commandLabels } from '../../../../shared/hospital/commands';
import type { ConflictRow } from '../../../../shared/hospital/protocol';
import type { Conclusion } from '../../../../shared/domain/review';
import { formatChina } from '../../../../shared/time/china-time';
import { getDb } from '../../db/db';
import { acknowledgeRefusal, type DeskCommand } from '../../hospital/desk-commands';
import { runOnline } from '../../hospital/desk-session';
import { errorText } from '../../lib/ipc';
import { useAction } from '../../lib/useAction';
import { useSession } from '../auth/session';
import { VERDICT_LABELS } from '../review/notice-text';
import { caseRoute } from '../case-file/case-file-route';

const when = (at: string | null) => (at ? formatChina(at, 'MM-DD HH:mm:ss') : '—');

/** What a person entered, in a line: the part of a command's payload worth reading again. */
export function payloadSummary(kind: string, payload: unknown): string {
  const p = (payload ?? {}) as Record<string, unknown>;
  if (kind === 'case.conclude') {
    const c = p.conclusion as Conclusion | undefined;
    if (!c) return '';
    const detail = c.verdict === 'reject' ? `：${c.reason}` : c.verdict === 'materials-missing' ? `：需补 ${c.missingItems.length} 项材料` : '';
    return `结论 ${VERDICT_LABELS[c.verdict]}${detail}`;
  }
  if (kind === 'offer.refuse') return `拒绝理由：${String(p.reason ?? '')}`;
  if (kind === 'case.take') {
    const person = p.person as { name?: string } | undefined;
    return `${person?.name ?? ''} ${String(p.diseaseCode ?? '')}`.trim();
  }
  if (kind === 'conflict.resolve') return String(p.note ?? '');
  return '';
}

type Filter = 'open' | 'refused' | 'all';

/**
 * 同步 → 本工作站的操作: the commands this desk made for the logged-in user, as the server
 * answered them. Waiting ones say why they wait; refused ones keep what was entered and the
 * server's reason until the user has read it (知道了 keeps the row, it only stops counting).
 */
export function DeskCommandsCard({ online }: { online: boolean }) {
  const { user } = useSession();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<Filter>('open');
  const rows = useLiveQuery(async () => {
    const mine = await getDb().deskCommands.where('[userId+state]').anyOf([[user.id, 'pending'], [user.id, 'refused'], ...(filter === 'open' ? [] : [[user.id, 'acknowledged']]), ...(filter === 'all' ? [[user.id, 'applied']] : [])]).toArray();
    const shown = filter === 'refused' ? mine.filter((c) => c.state !== 'pending') : mine;
    return shown.sort((a, b) => b.seq - a.seq).slice(0, 500);
  }, [user.id, filter]);
  const caseNames = useLiveQuery(async () => {
    const ids = [...new Set((rows ?? []).map((r) => r.caseId).filter((id): id is string => Boolean(id)))];
    const cases = await getDb().cases.bulkGet(ids);
    return new Map(cases.flatMap((c) => (c ? [[c.id, `${c.personName} · ${c.diseaseName}`] as const] : [])));
  }, [rows]);
  const pending = rows?.filter((r) => r.state === 'pending').length ?? 0;
  const refused = rows?.filter((r) => r.state === 'refused').length ?? 0;

  const stateTag = (c: DeskCommand) => {
    if (c.state === 'pending') return <Tag color={online ? 'processing' : 'warning'}>{online ? '发送中' : '待发送'}</Tag>;
    if (c.state === 'applied') return <Tag color="success">服务器已接受</Tag>;
    if (c.state === 'refused') return <Tag color="error">服务器未接受</Tag>;
    return <Tag>未接受 · 已知悉</Tag>;
  };

  return (
    <Card
      size="small"
      data-testid="desk-commands"
      title={
        <Space>
          <span>本工作站的操作</span>
          {pending > 0 && <Tag color={online ? 'processing' : 'warning'}>{pending} 项待发送到院内服务器</Tag>}
          {refused > 0 && <Tag color="error">{refused} 项未被接受</Tag>}
        </Space>
      }
      extra={<Segmented<Filter> value={filter} onChange={setFilter} options={[{ value: 'open', label: '待处理' }, { value: 'refused', label: '未接受' }, { value: 'all', label: '全部' }]} />}
    >
      {!online && pending > 0 && <Alert type="warning" showIcon style={{ marginBottom: 8 }} title="未连上院内服务器：这些操作已保存在本机，联网后自动发送，不会丢失。" />}
      <Table<DeskCommand>
        rowKey="id"
        size="small"
        loading={!rows}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: filter === 'open' ? '没有待发送或未被接受的操作' : '没有记录' }}
        columns={[
          { title: '时间', width: 130, render: (_, c) => when(c.at) },
          { title: '操作', width: 150, render: (_, c) => commandLabels[c.kind] ?? c.kind },
          {
            title: '案件',
            width: 200,
            render: (_, c) => {
              if (!c.caseId) return '—';
              const held = caseNames?.get(c.caseId);
              // A case still on this desk opens from here (its review page then sits under 同步).
              return held ? <a href={`#${caseRoute(c.caseId)}`}>{held}</a> : (c.caseLabel ?? '（已不在本工作站）');
            },
          },
          { title: '所填内容', render: (_, c) => payloadSummary(c.kind, c.payload) || '—' },
          { title: '状态', width: 120, render: (_, c) => stateTag(c) },
          {
            title: '服务器的答复',
            width: 320,
            render: (_, c) =>
              c.state === 'refused' || c.state === 'acknowledged' ? (
                <Space orientation="vertical" size={0}>
                  <Typography.Text type="danger" data-testid="refusal-reason">
                    {c.reason}
                  </Typography.Text>
                  {c.kind === 'case.conclude' && <Typography.Text type="secondary">所填结论已保留，并已转医保办处理。</Typography.Text>}
                </Space>
              ) : c.state === 'pending' ? (
                <Typography.Text type="secondary">{c.lastError ? `上次发送未成功：${c.lastError}` : c.attempts ? `已尝试 ${c.attempts} 次` : '—'}</Typography.Text>
              ) : (
                when(c.answeredAt)
              ),
          },
          {
            title: '',
            width: 90,
            render: (_, c) =>
              c.state === 'refused' ? (
                <Button size="small" onClick={() => void acknowledgeRefusal(getDb(), c.id).then(() => message.success('已知悉；记录仍保留在“未接受”中'), (e: unknown) => message.error(errorText(e)))}>
                  知道了
                </Button>
              ) : null,
          },
        ]}
      />
    </Card>
  );
}

/**
 * 同步 → 待医保办处理的冲突: a decision the server refused because it lost a race (the offer lapsed
 * and went to another physician while this one worked offline). What the physician entered is
 * here; the 医保办 records what became of it.
 */
export function ConflictsCard() {
  const { message } = App.useApp();
  const [showResolved, setShowResolved] = useState(false);
  const rows = useLiveQuery(async () => {
    const all = await getDb().conflicts.toArray();
    return all.filter((c) => showResolved || !c.resolved).sort((a, b) => b.refusedAt.localeCompare(a.refusedAt));
  }, [showResolved]);
  const caseNames = useLiveQuery(async () => {
    const ids = [...new Set((rows ?? []).map((r) => r.caseId).filter((id): id is string => Boolean(id)))];
    const cases = await getDb().cases.bulkGet(ids);
    return new Map(cases.flatMap((c) => (c ? [[c.id, `${c.personName} · ${c.diseaseName}`] as const] : [])));
  }, [rows]);
  const [resolving, setResolving] = useState<ConflictRow>();
  const open = rows?.filter((r) => !r.resolved).length ?? 0;

  return (
    <Card
      size="small"
      data-testid="conflicts"
      title={
        <Space>
          <span>待医保办处理的冲突</span>
          {open > 0 && <Tag color="error">{open} 项</Tag>}
        </Space>
      }
      extra={
        <Segmented<'open' | 'all'> value={showResolved ? 'all' : 'open'} onChange={(v) => setShowResolved(v === 'all')} options={[{ value: 'open', label: '待处理' }, { value: 'all', label: '全部' }]} />
      }
    >
      <Table<ConflictRow>
        rowKey="id"
        size="small"
        loading={!rows}
        dataSource={rows}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{ emptyText: '没有冲突' }}
        columns={[
          { title: '案件', width: 200, render: (_, c) => (c.caseId ? (caseNames?.get(c.caseId) ?? c.caseId) : '—') },
          { title: '医师', width: 100, dataIndex: 'userName' },
          { title: '操作', width: 120, render: (_, c) => commandLabels[c.kind as keyof typeof commandLabels] ?? c.kind },
          { title: '所填内容', render: (_, c) => payloadSummary(c.kind, c.payload) || '—' },
          { title: '作出时间', width: 120, render: (_, c) => when(c.madeAt) },
          { title: '未被接受的原因', width: 280, render: (_, c) => <Typography.Text type="danger">{c.reason}</Typography.Text> },
          {
            title: '处理',
            width: 220,
            render: (_, c) =>
              c.resolved ? (
                <Typography.Text type="secondary">
                  {when(c.resolved.at)} 已处理：{c.resolved.note}
                </Typography.Text>
              ) : (
                <Button size="small" type="primary" onClick={() => setResolving(c)}>
                  处理…
                </Button>
              ),
          },
        ]}
      />
      {resolving && (
        <ResolveConflictModal
          conflict={resolving}
          caseName={resolving.caseId ? caseNames?.get(resolving.caseId) : undefined}
          onClose={(done) => {
            setResolving(undefined);
            if (done) message.success('已记录处理结果');
          }}
        />
      )}
    </Card>
  );
}

function ResolveConflictModal({ conflict, caseName, onClose }: { conflict: ConflictRow; caseName: string | undefined; onClose: (done: boolean) => void }) {
  const [form] = Form.useForm<{ note: string }>();
  const { busy, error, run } = useAction();

  const submit = async () => {
    const { note } = await form.validateFields();
    if (await run(() => runOnline('conflict.resolve', { conflictId: conflict.id, note: note.trim() }))) onClose(true);
  };

  return (
    <Modal open title="处理冲突" okText="记录处理结果" cancelText="取消" onOk={() => void submit()} onCancel={() => onClose(false)} confirmLoading={busy} destroyOnHidden>
      <Typography.Paragraph>
        {conflict.userName} 于 {when(conflict.madeAt)} 对 {caseName ?? conflict.caseId ?? '—'} 的“{payloadSummary(conflict.kind, conflict.payload) || commandLabels[conflict.kind as keyof typeof commandLabels]}”未被服务器接受：
        <Typography.Text type="danger">{conflict.reason}</Typography.Text>
      </Typography.Paragraph>
      <Typography.Paragraph type="secondary">案件现在由服务器上的当前分配继续办理。请写明如何处理（例如已与两位医师沟通、以现审核医师结论为准）。</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item name="note" label="处理结果" rules={[{ required: true, whitespace: true, message: '请写明处理结果' }]}>
          <Input.TextArea rows={3} maxLength={500} showCount autoFocus />
        </Form.Item>
      </Form>
    </Modal>
  );
}
