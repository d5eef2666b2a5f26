import { Alert, App, Button, Card, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { FILING_KIND_LABELS, FILING_PHASE_LABELS, type FilingRow, type ServerPlatformStatus } from '../../../../shared/hospital/filings';
import { formatChina } from '../../../../shared/time/china-time';
import { getDb } from '../../db/db';
import { queueCommand } from '../../hospital/desk-commands';
import { usePlatformStatus } from '../../hospital/usePlatformStatus';
import { errorText } from '../../lib/ipc';
import { useSession } from '../auth/session';
import { PlatformStatusDetails } from '../shell/PlatformStatusDetails';

const when = (at: string | null) => (at ? formatChina(at, 'MM-DD HH:mm:ss') : '—');
const NEEDS_PERSON: FilingRow['phase'][] = ['set-aside', 'rejected'];

/** The server's messages that need a person (set aside, or refused by the platform), from the 医保办's pulled table `filings`, latest first. */
export async function needsPersonFilings(): Promise<FilingRow[]> {
  const rows = await getDb().filings.where('phase').anyOf(NEEDS_PERSON).toArray();
  return rows.sort((a, b) => (b.settledAt ?? b.updatedAt).localeCompare(a.settledAt ?? a.updatedAt));
}

export interface PlatformCardProps {
  status?: ServerPlatformStatus;
  /** Why the server could not be asked, in Chinese. */
  failure?: string;
  /** The server's messages needing a person; undefined while loading, null where the desk does not hold them (physicians). */
  needs: FilingRow[] | null | undefined;
  /** Administrators cancel what is held for a platform no longer in use. */
  onCancelHeld?: (platform: string, note: string) => Promise<void>;
}

/** 同步 → 院内服务器与省级平台: the server's link, its messages needing a person, and those held for another platform. */
export function PlatformCard({ status, failure, needs, onCancelHeld }: PlatformCardProps) {
  const [cancelling, setCancelling] = useState<ServerPlatformStatus['heldForOther'][number]>();
  return (
    <Card size="small" title="院内服务器与省级平台" data-testid="platform-card">
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Text type="secondary">所有平台报文（备案 2503、撤销 2504、互认上传、查询）均由院内服务器统一发送；本工作站不直接连接平台。</Typography.Text>
        {failure && (
          <Alert type="warning" showIcon title={status ? `以下为上次取得的状态；现在无法询问院内服务器：${failure}` : `无法取得平台状态：${failure}`} />
        )}
        {status && <PlatformStatusDetails status={status} />}
        {needs !== null && (
          <div data-testid="needs-person">
            <Typography.Title level={5}>
              需人工处理的报文 <Tag color={needs?.length ? 'error' : 'default'}>{needs?.length ?? 0}</Tag>
            </Typography.Title>
            <Table<FilingRow>
              rowKey="id"
              size="small"
              loading={!needs}
              dataSource={needs ?? []}
              pagination={{ pageSize: 20, showSizeChanger: false, hideOnSinglePage: true }}
              locale={{ emptyText: '没有需人工处理的报文' }}
              columns={[
                { title: '参保人', width: 180, render: (_, r) => `${r.psnName}（${r.psnNo}）` },
                { title: '报文', width: 220, render: (_, r) => (<><div>{FILING_KIND_LABELS[r.kind]}</div><Typography.Text type="secondary">{r.summary}</Typography.Text></>) },
                { title: '状态', width: 120, render: (_, r) => <Tag color={r.phase === 'rejected' ? 'error' : 'warning'}>{FILING_PHASE_LABELS[r.phase]}</Tag> },
                { title: '原因', render: (_, r) => r.reason ?? '—' },
                { title: '时间', width: 130, render: (_, r) => when(r.settledAt ?? r.updatedAt) },
              ]}
            />
            {needs && needs.length > 0 && <Typography.Text type="secondary">请到“备案”页重新发送、更正或关闭这些报文。</Typography.Text>}
          </div>
        )}
        {status && status.heldForOther.length > 0 && (
          <div data-testid="held-for-other">
            <Typography.Title level={5}>为其他平台保留的报文</Typography.Title>
            <Typography.Paragraph type="secondary">平台地址更改前排队的报文只发往原平台，不会发往当前平台。管理员确认不再需要后可取消，取消后相应认定可重新提交备案。</Typography.Paragraph>
            {status.heldForOther.map((h) => (
              <Space key={h.platform} style={{ display: 'flex' }}>
                <Typography.Text>
                  {h.label}：{h.count} 条
                </Typography.Text>
                {onCancelHeld && (
                  <Button size="small" danger onClick={() => setCancelling(h)}>
                    取消这些报文…
                  </Button>
                )}
              </Space>
            ))}
          </div>
        )}
      </Space>
      {cancelling && onCancelHeld && <CancelHeldDialog held={cancelling} onCancel={onCancelHeld} onClose={() => setCancelling(undefined)} />}
    </Card>
  );
}

function CancelHeldDialog({ held, onCancel, onClose }: { held: ServerPlatformStatus['heldForOther'][number]; onCancel: (platform: string, note: string) => Promise<void>; onClose: () => void }) {
  const [note, setNote] = useState('');
  const [saving, setSaving] = useState(false);
  const { message } = App.useApp();
  const confirm = async () => {
    setSaving(true);
    try {
      await onCancel(held.platform, note.trim());
      message.success('已保存：取消请求将发送到院内服务器');
      onClose();
    } catch (e) {
      message.error(`未能保存：${errorText(e)}`);
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal open title={`取消为 ${held.label} 保留的 ${held.count} 条报文`} okText="确认取消" okButtonProps={{ danger: true, disabled: !note.trim(), loading: saving }} onOk={() => void confirm()} onCancel={onClose} destroyOnHidden>
      <Form layout="vertical">
        <Form.Item label="处理说明" required>
          <Input.TextArea aria-label="处理说明" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} placeholder="例如：原测试平台已停用，相关认定将向新平台重新备案" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** The card with its data: the server's status (polled), the pulled `filings` rows, and the admin's cancel as a queued command. */
export function ServerPlatformSection() {
  const { user } = useSession();
  const { value, failure } = usePlatformStatus();
  const holdsFilings = user.role !== 'physician';
  const needs = useLiveQuery(() => (holdsFilings ? needsPersonFilings() : Promise.resolve(null)), [holdsFilings]);
  const cancelHeld = async (platform: string, note: string) => {
    await queueCommand(getDb(), { kind: 'platform.cancel-held', payload: { platform, note }, userId: user.id });
  };
  return <PlatformCard status={value} failure={failure} needs={needs} onCancelHeld={user.role === 'admin' ? cancelHeld : undefined} />;
}
