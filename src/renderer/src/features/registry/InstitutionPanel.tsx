import { Alert, App, Button, Form, Input, Select, Space, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect } from 'react';
import type { InstitutionFacts } from '../../../../shared/policy/physician';
import { KIND_LABELS, LEVEL_LABELS, type InstitutionKind, type InstitutionLevel } from '../../../../shared/policy/schema';
import { getDb } from '../../db/db';
import { useSession } from '../auth/session';
import { DEFAULT_INSTITUTION, INSTITUTION_KEY } from '../cases/useReviewContext';
import { canEditRegistry, saveInstitution, type InstitutionInput } from './registry-repo';
import { useRepoSubmit } from './useRepoSubmit';

const levels = Object.keys(LEVEL_LABELS) as InstitutionLevel[];
const kinds = Object.keys(KIND_LABELS) as InstitutionKind[];

const toForm = (f: InstitutionFacts): InstitutionInput => ({ code: f.code ?? '', name: f.name ?? '', level: f.level, kind: f.kind });

/**
 * 设置 → 本院信息: the hospital's code, name, level and kind, which checkPhysician reads (title
 * rule for grassroots centres, which institutions may certify, whose registry records count).
 */
export function InstitutionPanel() {
  const { user } = useSession();
  const { message } = App.useApp();
  const canEdit = canEditRegistry(user);
  const [form] = Form.useForm<InstitutionInput>();
  const stored = useLiveQuery(async () => ({ value: (await getDb().settings.get(INSTITUTION_KEY))?.value as InstitutionFacts | undefined }), []);
  const current = stored ? (stored.value ?? DEFAULT_INSTITUTION) : undefined;
  const code: string | undefined = Form.useWatch('code', form);
  const records = useLiveQuery(async () => (await getDb().physicians.toArray()).flatMap((p) => p.registry), []);

  useEffect(() => {
    if (current) form.setFieldsValue(toForm(current));
  }, [current, form]);

  const oldCode = current?.code;
  const stranded = oldCode && code && code.trim() !== oldCode ? (records ?? []).filter((r) => r.institutionCode === oldCode).length : 0;

  const { submit, busy, error } = useRepoSubmit(
    form,
    (v) => saveInstitution(getDb(), v, user.id),
    () => message.success('已保存本院信息'),
  );

  return (
    <Space orientation="vertical" style={{ maxWidth: 640, width: '100%' }} size={12}>
      <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
        认定医师资格检查使用本院的等级和类别（如基层医疗机构认定医师可放宽到中级职称、门诊特病须二级及以上或专科医院认定），并只计入登记在本院机构编码下的认定医师库记录。
      </Typography.Paragraph>
      {stored && !stored.value && (
        <Alert
          type="warning"
          showIcon
          title="尚未保存本院信息：当前使用演示假设"
          description={`${DEFAULT_INSTITUTION.name}，机构编码 ${DEFAULT_INSTITUTION.code}，${LEVEL_LABELS[DEFAULT_INSTITUTION.level]}${KIND_LABELS[DEFAULT_INSTITUTION.kind]}。请按本院实际情况填写并保存。`}
        />
      )}
      {!canEdit && <Alert type="info" showIcon title="只有医保办或管理员可以修改本院信息。" />}
      {error && <Alert type="error" showIcon title={error} />}
      <Form form={form} layout="vertical" requiredMark={false} disabled={!canEdit || !current}>
        <Form.Item
          name="code"
          label="机构编码"
          rules={[{ required: true, whitespace: true, message: '请填写机构编码' }]}
          extra="12 位定点医药机构编号，应与“平台”设置中的编号一致。"
        >
          <Input maxLength={12} />
        </Form.Item>
        <Form.Item name="name" label="机构名称" rules={[{ required: true, whitespace: true, message: '请填写机构名称' }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="level" label="医院等级" rules={[{ required: true, message: '请选择医院等级' }]}>
          <Select options={levels.map((l) => ({ value: l, label: LEVEL_LABELS[l] }))} />
        </Form.Item>
        <Form.Item name="kind" label="机构类别" rules={[{ required: true, message: '请选择机构类别' }]}>
          <Select options={kinds.map((k) => ({ value: k, label: KIND_LABELS[k] }))} />
        </Form.Item>
        {stranded > 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginBottom: 16 }}
            title={`认定医师库中有 ${stranded} 条记录登记在原机构编码 ${oldCode} 下`}
            description="修改编码后，这些记录不再计入本院，相关医师将显示为“未登记”；如编码确实变更，请在“认定医师”中为他们新增备案记录。"
          />
        )}
        {canEdit && (
          <Button type="primary" loading={busy} onClick={submit}>
            保存本院信息
          </Button>
        )}
      </Form>
      {current?.rights && (
        <Typography.Text type="secondary">已登记按病种的认定/治疗资格 {Object.keys(current.rights).length} 项，保存时保留。</Typography.Text>
      )}
    </Space>
  );
}
