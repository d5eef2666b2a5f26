import { Alert, Descriptions, Input, Modal, Radio, Space, Typography } from 'antd';
import { useState } from 'react';
import type { PhysicianProfile } from '../../../../shared/domain/physician';
import { getDb } from '../../db/db';
import { errorText } from '../../lib/ipc';
import { clearFlag, reasonProblem, revokeForFlag } from './registry-repo';
import { formatChina } from '../../../../shared/time';

type Outcome = 'clear' | 'revoke';

const WHAT: Record<Outcome, string> = { clear: '解除标记的理由', revoke: '取消认定资格的说明' };

/**
 * The 医保办's decision on a refusal-limit flag (002: three refusals or lapses in a row lose the
 * role): keep the physician (解除标记, with the reason) or end their registry record today.
 */
export function FlagDialog({
  profile,
  institutionCode,
  activeRecords,
  actorId,
  onClose,
  onDone,
}: {
  profile: PhysicianProfile;
  institutionCode: string | undefined;
  /** Records in force today at this hospital: what 取消认定资格 would end. */
  activeRecords: number;
  actorId: string;
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const [outcome, setOutcome] = useState<Outcome>('clear');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const flag = profile.flag;

  const confirm = async () => {
    const problem = reasonProblem(reason, WHAT[outcome]);
    if (problem) return setError(problem);
    setBusy(true);
    try {
      const db = getDb();
      const r = outcome === 'clear' ? await clearFlag(db, profile.id, reason, actorId) : await revokeForFlag(db, profile.id, institutionCode, reason, actorId);
      if (!r.ok) return setError(r.message);
      onDone(outcome === 'clear' ? `已解除 ${profile.name} 的标记` : `已取消 ${profile.name} 的认定资格`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={`处理连续拒绝标记：${profile.name}`}
      okText={outcome === 'clear' ? '确认解除标记' : '确认取消资格'}
      cancelText="取消"
      okButtonProps={{ danger: outcome === 'revoke', loading: busy }}
      onOk={confirm}
      onCancel={onClose}
      destroyOnHidden
    >
      {flag ? (
        <Descriptions
          size="small"
          column={1}
          bordered
          style={{ marginBottom: 16 }}
          styles={{ label: { width: 96, whiteSpace: 'nowrap' } }}
          items={[
            { key: 'at', label: '标记时间', children: formatChina(flag.at, 'YYYY-MM-DD HH:mm') },
            { key: 'streak', label: '连续次数', children: <Typography.Text type="danger">连续 {flag.streak} 次拒绝或超时未受理</Typography.Text> },
            // The rule as the pack words it, without the pack's internal document number.
            { key: 'rule', label: '依据', children: flag.message.replace(/（来源：[^）]*）\s*$/, '') },
          ]}
        />
      ) : (
        <Alert type="info" showIcon title="该医师的标记已被处理。" style={{ marginBottom: 16 }} />
      )}
      <Typography.Paragraph type="secondary">标记期间该医师不参与随机抽取。请选择医保办的处理结果，并写明理由；理由与原标记一并记入审计日志。</Typography.Paragraph>
      <Radio.Group
        value={outcome}
        onChange={(e) => (setOutcome(e.target.value as Outcome), setError(null))}
        style={{ display: 'flex', flexDirection: 'column', gap: 8, marginBottom: 12 }}
        options={[
          { value: 'clear', label: '解除标记：保留认定资格，恢复参与抽取（如拒绝理由正当）' },
          {
            value: 'revoke',
            disabled: activeRecords === 0,
            label: activeRecords === 0 ? '取消认定资格：该医师目前没有在库的备案记录，无需取消' : '取消认定资格：今日起登记其在库的认定医师库记录失效',
          },
        ]}
      />
      <Space orientation="vertical" style={{ width: '100%' }} size={4}>
        <Input.TextArea
          autoFocus
          rows={3}
          maxLength={200}
          showCount
          aria-label={WHAT[outcome]}
          placeholder={outcome === 'clear' ? '如：三次均因外出会诊，已核实' : '如：经核实无正当理由'}
          value={reason}
          status={error ? 'error' : undefined}
          onChange={(e) => (setReason(e.target.value), setError(null))}
        />
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
      </Space>
    </Modal>
  );
}
