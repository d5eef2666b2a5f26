import { Alert, App, Checkbox, Form, Input, Modal, Radio, Space, Spin, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { filingQueryOutputSchema, type FilingRecord } from '../../../../shared/platform';
import type { OutboxItem } from '../../../../shared/sync/outbox-item';
import { errorText } from '../../lib/ipc';
import { markItemHandled, queueMessages } from '../../sync/sync-engine';
import { useSession } from '../auth/session';
import { revocationMessage } from '../filings/filing-message';

/** The person's active filings on the platform (5301), for choosing the one to revoke. */
async function activeFilings(item: OutboxItem): Promise<FilingRecord[]> {
  const result = await window.api.platform.send({ infno: '5301', input: { data: { psn_no: item.lane } }, insuplcAdmdvs: item.insuplcAdmdvs });
  if (!result.ok) throw new Error(result.error.message);
  const answer = result.value;
  if (answer.outcome === 'rejected') throw new Error(answer.errMsg);
  if (answer.outcome !== 'accepted') throw new Error(`平台暂时无法查询：${answer.message}`);
  return filingQueryOutputSchema.parse(answer.output).feedetail;
}

export interface RevokeFilingDialogProps {
  /** An accepted filing of ours (revoke it), or a rejected one (revoke what blocks it, then file it again). */
  item: OutboxItem;
  onClose: () => void;
}

/**
 * 撤销备案. For our own accepted filing the serial number is in its receipt. For a rejected filing
 * (重复备案, 互斥病种) the clerk picks the blocking filing from the platform's list (5301); the
 * revocation and, if wanted, the same filing again are queued together, in that order.
 */
export function RevokeFilingDialog({ item, onClose }: RevokeFilingDialogProps) {
  const { message } = App.useApp();
  const { user } = useSession();
  const own = item.state.tag === 'accepted';
  const ownSn = item.state.tag === 'accepted' ? item.state.receipt.values['trt_dcla_detl_sn'] : undefined;
  const [records, setRecords] = useState<FilingRecord[]>();
  const [loadError, setLoadError] = useState<string>();
  const [sn, setSn] = useState<string | undefined>(ownSn);
  const [memo, setMemo] = useState('');
  const [refile, setRefile] = useState(true);
  const [saving, setSaving] = useState(false);
  const code = (item.input['data'] as Record<string, unknown> | undefined)?.['opsp_dise_code'];

  useEffect(() => {
    if (own) return;
    activeFilings(item).then(
      (rows) => {
        setRecords(rows);
        setSn((rows.find((r) => r.opsp_dise_code === code) ?? rows[0])?.trt_dcla_detl_sn ?? undefined);
      },
      (e: unknown) => setLoadError(errorText(e)),
    );
  }, [item, own, code]);

  const confirm = async () => {
    if (!sn || !memo.trim()) return;
    setSaving(true);
    try {
      const revocation = { message: revocationMessage({ psnNo: item.lane, insuplcAdmdvs: item.insuplcAdmdvs ?? '', sn }, memo), meta: { psnName: item.meta.psnName, summary: `撤销备案 ${sn}`, createdBy: user.displayName } };
      const again = !own && refile ? [{ message: { kind: item.kind, infno: item.infno, lane: item.lane, input: item.input, insuplcAdmdvs: item.insuplcAdmdvs }, meta: { ...item.meta, createdBy: user.displayName, supersedes: item.id } }] : [];
      const queued = await queueMessages([revocation, ...again], user.id);
      if (!own) await markItemHandled(item.id, 'revoked', user.id, queued[1]?.id ?? queued[0]?.id);
      message.success(again.length ? '已保存：撤销与重新备案已排队，将按顺序上传' : '已保存：撤销已排队，将自动上传平台');
      onClose();
    } catch (error) {
      message.error(`未能保存：${errorText(error)}`);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open title="撤销备案" okText="保存撤销" onOk={() => void confirm()} onCancel={onClose} okButtonProps={{ disabled: !sn || !memo.trim(), loading: saving }} destroyOnHidden>
      <Space orientation="vertical" style={{ width: '100%' }}>
        <Typography.Text>
          参保人：{item.meta.psnName}（{item.lane}）
        </Typography.Text>
        {own ? (
          <Typography.Text>备案流水号：{ownSn ?? '（回执中没有流水号，无法撤销）'}</Typography.Text>
        ) : loadError ? (
          <Alert type="error" showIcon title={`无法查询该参保人在平台的有效备案（5301）：${loadError}`} />
        ) : !records ? (
          <Spin description="正在查询平台上的有效备案（5301）…" />
        ) : records.length === 0 ? (
          <Alert type="info" showIcon title="平台上该参保人没有有效备案，无需撤销；可直接更正后重新备案。" />
        ) : (
          <Radio.Group value={sn} onChange={(e) => setSn(e.target.value as string)} style={{ display: 'flex', flexDirection: 'column', gap: 8 }}>
            {records.map((r) => (
              <Radio key={r.trt_dcla_detl_sn ?? r.opsp_dise_code} value={r.trt_dcla_detl_sn} disabled={!r.trt_dcla_detl_sn}>
                {r.opsp_dise_name ?? r.opsp_dise_code}（{r.opsp_dise_code}），{r.begndate ?? '—'} 起，流水号 {r.trt_dcla_detl_sn ?? '平台未提供'}
              </Radio>
            ))}
          </Radio.Group>
        )}
        <Form layout="vertical">
          <Form.Item label="撤销原因" required>
            <Input.TextArea aria-label="撤销原因" value={memo} maxLength={500} onChange={(e) => setMemo(e.target.value)} placeholder="例如：诊断有误，撤销后重新备案" />
          </Form.Item>
        </Form>
        {!own && (
          <Checkbox checked={refile} onChange={(e) => setRefile(e.target.checked)}>
            撤销后重新提交本备案（内容不变，排在撤销之后上传）
          </Checkbox>
        )}
      </Space>
    </Modal>
  );
}
