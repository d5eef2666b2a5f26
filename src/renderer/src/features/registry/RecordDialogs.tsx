import { Alert, DatePicker, Form, Input, Modal, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import type { PhysicianProfile } from '../../../../shared/domain/physician';
import { checkDepartmentQuota, type InstitutionFacts } from '../../../../shared/policy/physician';
import type { PolicyPack } from '../../../../shared/policy/schema';
import { getDb } from '../../db/db';
import { addRegistryRecord, invalidateRegistryRecord } from './registry-repo';
import { useRepoSubmit } from './useRepoSubmit';
import { pickerDay } from '../../../../shared/time';

const DATE = 'YYYY-MM-DD';

interface AddValues {
  institutionCode: string;
  department: string;
  registeredOn: Dayjs;
  expiresOn?: Dayjs | null;
}

/** 新增备案: a 认定医师库 record at this hospital, with the department's quota in view (000: ≤ 2). */
export function AddRecordModal({
  profile,
  profiles,
  pack,
  institution,
  today,
  actorId,
  onClose,
  onDone,
}: {
  profile: PhysicianProfile;
  profiles: readonly PhysicianProfile[];
  pack: PolicyPack;
  institution: InstitutionFacts;
  today: string;
  actorId: string;
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const [form] = Form.useForm<AddValues>();
  const department = Form.useWatch('department', form) ?? profile.department;
  const code = Form.useWatch('institutionCode', form) ?? institution.code;
  const others = profiles.filter((p) => p.id !== profile.id).flatMap((p) => p.registry);
  const quota = department.trim() ? checkDepartmentQuota(pack, others, { ...institution, code: code?.trim() || institution.code }, department, today) : null;

  const { submit, busy, error } = useRepoSubmit(
    form,
    (v) => addRegistryRecord(
      getDb(),
      profile.id,
      { institutionCode: v.institutionCode, department: v.department, registeredOn: v.registeredOn.format(DATE), expiresOn: v.expiresOn ? v.expiresOn.format(DATE) : null },
      actorId,
    ),
    () => onDone(`已为 ${profile.name} 新增认定医师库记录`),
  );

  return (
    <Modal open title={`新增认定医师库记录：${profile.name}`} okText="登记" cancelText="取消" onOk={submit} onCancel={onClose} confirmLoading={busy} destroyOnHidden>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form
        form={form}
        layout="vertical"
        requiredMark={false}
        initialValues={{ institutionCode: institution.code ?? '', department: profile.department, registeredOn: pickerDay(today), expiresOn: null }}
      >
        <Form.Item name="institutionCode" label="机构编码" rules={[{ required: true, whitespace: true, message: '请填写机构编码' }]} extra="默认为本院信息中的机构编码；登记在其他编码下的记录不计入本院。">
          <Input />
        </Form.Item>
        <Form.Item name="department" label="备案科室" rules={[{ required: true, whitespace: true, message: '请填写备案科室' }]}>
          <Input />
        </Form.Item>
        <Form.Item name="registeredOn" label="登记日期" rules={[{ required: true, message: '请选择登记日期' }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="expiresOn" label="到期日期" extra="不填表示长期有效。">
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
      </Form>
      {quota && (
        <Alert
          type={quota.status === 'ok' || quota.status === 'unlimited' ? 'info' : 'warning'}
          showIcon
          title={quota.message}
          description={quota.status === 'full' || quota.status === 'over' ? '再登记将超过每科室一般不超过的人数，请确认确有需要。' : undefined}
        />
      )}
    </Modal>
  );
}

interface InvalidateValues {
  invalidOn: Dayjs;
  reason: string;
}

/** 登记失效: the record stays in the registry with its invalid date and reason (000). */
export function InvalidateRecordModal({
  profile,
  index,
  today,
  actorId,
  onClose,
  onDone,
}: {
  profile: PhysicianProfile;
  index: number;
  today: string;
  actorId: string;
  onClose: () => void;
  onDone: (text: string) => void;
}) {
  const [form] = Form.useForm<InvalidateValues>();
  const record = profile.registry[index];

  const { submit, busy, error } = useRepoSubmit(
    form,
    (v) => invalidateRegistryRecord(getDb(), profile.id, index, { invalidOn: v.invalidOn.format(DATE), reason: v.reason }, actorId),
    () => onDone(`已登记 ${profile.name} 的备案记录失效`),
  );

  return (
    <Modal open title={`登记失效：${profile.name}`} okText="登记失效" okButtonProps={{ danger: true }} cancelText="取消" onOk={submit} onCancel={onClose} confirmLoading={busy} destroyOnHidden>
      {record && (
        <Typography.Paragraph>
          {record.department} · {record.institutionCode} · {record.registeredOn} 登记{record.expiresOn ? `，${record.expiresOn} 到期` : ''}
        </Typography.Paragraph>
      )}
      <Typography.Paragraph type="secondary">记录不会删除：失效日期和原因留在认定医师库中，自失效日期起该医师不再参与本院认定。</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" requiredMark={false} initialValues={{ invalidOn: pickerDay(today), reason: '' }}>
        <Form.Item name="invalidOn" label="失效日期" rules={[{ required: true, message: '请选择失效日期' }]}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Form.Item name="reason" label="失效原因" rules={[{ required: true, whitespace: true, message: '请填写失效原因' }]}>
          <Input.TextArea rows={3} maxLength={200} showCount placeholder="如：调离本院、职称或执业范围变更、取消认定资格" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
