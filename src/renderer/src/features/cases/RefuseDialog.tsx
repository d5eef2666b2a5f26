import { Input, Modal, Typography } from 'antd';
import { useState } from 'react';
import type { WorkItem } from '../../../../shared/domain/work-item';
import { validateRefusalReason } from '../../../../shared/review/refusals';

/** Asks for the reason of a refusal (002: refusals are counted; three in a row lose the role). */
export function RefuseDialog({ item, warning, onCancel, onConfirm }: { item: WorkItem | null; warning: string | null; onCancel: () => void; onConfirm: (reason: string) => Promise<void> }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const close = () => {
    setReason('');
    setError(null);
    onCancel();
  };
  const confirm = async () => {
    const problem = validateRefusalReason(reason);
    if (problem) return setError(problem);
    setBusy(true);
    try {
      await onConfirm(reason.trim());
      setReason('');
      setError(null);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={item !== null} title="拒绝受理" okText="确认拒绝" cancelText="取消" okButtonProps={{ danger: true, loading: busy }} onOk={confirm} onCancel={close} destroyOnHidden>
      {item && (
        <Typography.Paragraph>
          {item.personName} · {item.diseaseName} · {item.stageLabel}
        </Typography.Paragraph>
      )}
      {warning && <Typography.Paragraph type="warning">{warning}</Typography.Paragraph>}
      <Input.TextArea
        autoFocus
        rows={3}
        maxLength={200}
        showCount
        placeholder="请填写拒绝受理的理由（如回避、外出、专业不符）"
        value={reason}
        status={error ? 'error' : undefined}
        onChange={(e) => (setReason(e.target.value), setError(null))}
      />
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
      <Typography.Paragraph type="secondary" className="worklist-hint">
        拒绝后案件将随机分配给其他符合条件的认定医师。
      </Typography.Paragraph>
    </Modal>
  );
}
