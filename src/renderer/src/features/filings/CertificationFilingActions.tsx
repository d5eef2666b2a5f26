import { Alert, App, Button, DatePicker, Form, Input, Modal, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { Certification } from '../../../../shared/domain/certification';
import type { CommandPayload } from '../../../../shared/hospital/commands';
import type { User } from '../../../../shared/domain/user';
import { pickerDay } from '../../../../shared/time';
import { getDb } from '../../db/db';
import type { DeskCommand } from '../../hospital/desk-commands';
import { errorText } from '../../lib/ipc';
import { checkedPayload, commandsByCertification, correctFiling, openFilingCommands, revokeFiling, submitFilingBatch } from './filing-commands';
import { CommandTag } from './filing-ui';

const DATE = 'YYYY-MM-DD';

/** The desk's unanswered filing command on one certification, if any. */
function useCertificationCommand(certificationId: string): DeskCommand | null {
  return useLiveQuery(async () => commandsByCertification(await openFilingCommands(getDb())).get(certificationId) ?? null, [certificationId]) ?? null;
}

/**
 * What the 医保办 (or an administrator) may do with a certification's filing, as commands to the
 * hospital server: 提交备案 (ready, or refused by the platform), 撤销备案 and 更正备案 (filed). A
 * revocation under way (its state's tag says 撤销已排队) and a revoked filing offer nothing.
 */
export function CertificationFilingActions({ certification, user, onSubmitted }: { certification: Certification; user: User; onSubmitted?: (batchId: string) => void }) {
  const { message } = App.useApp();
  const command = useCertificationCommand(certification.id);
  const [dialog, setDialog] = useState<'revoke' | 'correct' | null>(null);
  const [busy, setBusy] = useState(false);
  if (user.role !== 'office' && user.role !== 'admin') return null;

  const submit = async () => {
    setBusy(true);
    try {
      const { batchId } = await submitFilingBatch(getDb(), user.id, [certification.id]);
      message.success('备案已保存并排队，将经院内服务器自动上传平台（2503）');
      onSubmitted?.(batchId);
    } catch (e) {
      message.error(`未能提交备案：${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };

  if (command?.state === 'pending') return <CommandTag command={command} />;
  const refused = command && <CommandTag command={command} />;
  const s = certification.state;
  return (
    <Space orientation="vertical" size={4}>
      {refused}
      {s === 'filing-rejected' && <Alert type="error" showIcon title="平台拒绝了备案" description={certification.rejectReason} />}
      {(s === 'ready' || s === 'filing-rejected') && (
        <Button type="primary" size="small" loading={busy} onClick={() => void submit()}>
          {s === 'ready' ? '提交备案（2503）' : '重新提交备案'}
        </Button>
      )}
      {s === 'filed' && (
        <Space size={4}>
          <Typography.Text type="secondary">备案流水号 {certification.trtDclaDetlSn}</Typography.Text>
          <Button size="small" onClick={() => setDialog('correct')}>
            更正备案
          </Button>
          <Button size="small" danger onClick={() => setDialog('revoke')}>
            撤销备案
          </Button>
        </Space>
      )}
      {s === 'revoked' && <Typography.Text type="secondary">已撤销：{certification.revokeReason}</Typography.Text>}
      {dialog === 'revoke' && <RevokeDialog certification={certification} user={user} onClose={() => setDialog(null)} />}
      {dialog === 'correct' && <CorrectDialog certification={certification} user={user} onClose={() => setDialog(null)} />}
    </Space>
  );
}

/** 撤销备案: the reason is required; queues `filing.revoke`. */
export function RevokeDialog({ certification, user, onClose }: { certification: Certification; user: User; onClose: () => void }) {
  const { message } = App.useApp();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      await revokeFiling(getDb(), user.id, certification.id, reason);
      message.success('撤销已保存，待发送到院内服务器');
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open title="撤销备案" okText="保存撤销" onOk={() => void confirm()} onCancel={onClose} okButtonProps={{ disabled: reason.trim().length < 2, loading: busy }} destroyOnHidden>
      <Typography.Paragraph type="secondary">
        撤销 {certification.diseaseName} 的备案（流水号 {'trtDclaDetlSn' in certification ? certification.trtDclaDetlSn : '—'}）：院内服务器向平台发送 2504，平台接受前原备案仍然有效。
      </Typography.Paragraph>
      <Input.TextArea rows={3} maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} placeholder="撤销原因（必填）" aria-label="撤销原因" />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />}
    </Modal>
  );
}

interface CorrectValues {
  begnDate: Dayjs;
  endDate: Dayjs | null;
  diseaseCode: string;
  diseaseName: string;
  reason: string;
}

/** 更正备案: the certification's fields carried over, what changed and why; queues `filing.correct`. */
export function CorrectDialog({ certification, user, onClose }: { certification: Certification; user: User; onClose: () => void }) {
  const { message } = App.useApp();
  const [form] = Form.useForm<CorrectValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const confirm = async () => {
    setError(null);
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const begnDate = v.begnDate.format(DATE);
    const endDate = v.endDate ? v.endDate.format(DATE) : null;
    const changes: CommandPayload<'filing.correct'>['changes'] = {
      ...(begnDate !== certification.begnDate ? { begnDate } : {}),
      ...(endDate !== certification.endDate ? { endDate } : {}),
      ...(v.diseaseCode.trim() !== certification.diseaseCode ? { diseaseCode: v.diseaseCode.trim() } : {}),
      ...(v.diseaseName.trim() !== certification.diseaseName ? { diseaseName: v.diseaseName.trim() } : {}),
    };
    if (Object.keys(changes).length === 0) {
      setError('没有改动：请修改需要更正的内容');
      return;
    }
    setBusy(true);
    try {
      await correctFiling(getDb(), user.id, checkedPayload('filing.correct', { certificationId: certification.id, reason: v.reason, changes }));
      message.success('更正已保存，待发送到院内服务器：原备案撤销后按更正内容重新备案');
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open width={560} title="更正备案" okText="保存更正" onOk={() => void confirm()} onCancel={onClose} okButtonProps={{ loading: busy }} destroyOnHidden>
      <Typography.Paragraph type="secondary">院内服务器先向平台撤销原备案（2504），再按更正后的内容重新备案（2503），同一参保人的报文按顺序发送。</Typography.Paragraph>
      <Form<CorrectValues>
        form={form}
        layout="vertical"
        initialValues={{
          begnDate: pickerDay(certification.begnDate),
          endDate: certification.endDate ? pickerDay(certification.endDate) : null,
          diseaseCode: certification.diseaseCode,
          diseaseName: certification.diseaseName,
          reason: '',
        }}
      >
        <Space size="middle">
          <Form.Item name="diseaseCode" label="病种编码" rules={[{ required: true, pattern: /^M\d{5}$/, message: '病种编码应为 M 加 5 位数字' }]}>
            <Input style={{ width: 140 }} />
          </Form.Item>
          <Form.Item name="diseaseName" label="病种名称" rules={[{ required: true, whitespace: true, message: '请填写病种名称' }]}>
            <Input style={{ width: 300 }} />
          </Form.Item>
        </Space>
        <Space size="middle">
          <Form.Item name="begnDate" label="待遇开始日期" rules={[{ required: true, message: '请选择开始日期' }]}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="endDate" label="待遇结束日期（空为长期）">
            <DatePicker allowClear />
          </Form.Item>
        </Space>
        <Form.Item name="reason" label="更正原因" rules={[{ required: true, whitespace: true, min: 2, message: '请写明原因' }]}>
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
