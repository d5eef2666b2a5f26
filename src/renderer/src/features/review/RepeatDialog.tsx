import { Alert, Checkbox, Form, Input, Modal, Select, Typography } from 'antd';
import { useState } from 'react';
import type { OutsideResult } from '../../../../shared/domain/material';
import type { PolicyPack } from '../../../../shared/policy/schema';
import { repeatReasons } from '../../../../shared/review/recognition';

export interface RepeatChoice {
  reasonCode: string;
  patientInformed: boolean;
  note: string;
}

/**
 * 重复检查: one of the national reasons (国卫医发〔2022〕6号) or the province's extras, and the
 * physician's confirmation that the patient was told why — both required before saving. Mount it
 * keyed by the result so each opening starts empty.
 */
export function RepeatDialog({ pack, result, onCancel, onConfirm }: { pack: PolicyPack; result: OutsideResult | null; onCancel: () => void; onConfirm: (choice: RepeatChoice) => Promise<void> }) {
  const [reasonCode, setReasonCode] = useState<string | undefined>();
  const [informed, setInformed] = useState(false);
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<string[]>([]);
  const [saving, setSaving] = useState(false);

  const reasons = repeatReasons(pack);
  const options = [
    { label: '国家规定情形', options: reasons.filter((r) => r.scope === 'national').map((r) => ({ value: r.code, label: r.label })) },
    { label: '本省补充情形', options: reasons.filter((r) => r.scope === 'provincial').map((r) => ({ value: r.code, label: r.label })) },
  ].filter((g) => g.options.length > 0);

  const confirm = async () => {
    const missing = [...(reasonCode ? [] : ['请选择重复检查的理由']), ...(informed ? [] : ['须确认已向患者说明重复检查的原因'])];
    setErrors(missing);
    if (missing.length > 0 || !reasonCode) return;
    setSaving(true);
    try {
      await onConfirm({ reasonCode, patientInformed: informed, note: note.trim() });
    } finally {
      setSaving(false);
    }
  };

  return (
    <Modal open={result !== null} title="重复检查" okText="确认重复检查" cancelText="取消" onOk={confirm} onCancel={onCancel} confirmLoading={saving} destroyOnHidden>
      {result && (
        <Typography.Paragraph type="secondary">
          {result.item} · {result.sourceInstitution} · {result.reportDate}
        </Typography.Paragraph>
      )}
      <Form layout="vertical">
        <Form.Item label="理由" required>
          <Select aria-label="重复检查理由" placeholder="选择理由" value={reasonCode} onChange={setReasonCode} options={options} />
        </Form.Item>
        <Form.Item label="说明（可选）">
          <Input.TextArea aria-label="说明" rows={2} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
        </Form.Item>
        <Checkbox checked={informed} onChange={(e) => setInformed(e.target.checked)}>
          已向患者说明重复检查的原因
        </Checkbox>
      </Form>
      {errors.length > 0 && <Alert className="dialog-errors" type="error" showIcon title={errors.join('；')} />}
    </Modal>
  );
}
