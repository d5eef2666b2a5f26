import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, AutoComplete, Button, DatePicker, Drawer, Form, Input, Radio, Select, Space, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo } from 'react';
import type { PhysicianProfile } from '../../../../shared/domain/physician';
import type { User } from '../../../../shared/domain/user';
import { TITLE_LABELS, TITLE_ORDER, type PolicyPack } from '../../../../shared/policy/schema';
import { getDb } from '../../db/db';
import { saveProfile } from './registry-repo';
import { useRepoSubmit } from './useRepoSubmit';
import { LICENCE_LABELS } from './registry-status';
import { pickerDay } from '../../../../shared/time';

const DATE = 'YYYY-MM-DD';

interface Values {
  physicianId: string;
  licence: PhysicianProfile['licence'];
  title: PhysicianProfile['title'];
  department: string;
  practiceScopes: string[];
  qualifications: { code?: string; from?: Dayjs | null; to?: Dayjs | null }[];
}

export type ProfileTarget = { mode: 'create'; candidates: User[] } | { mode: 'edit'; profile: PhysicianProfile };

const initialValues = (target: ProfileTarget): Partial<Values> =>
  target.mode === 'edit'
    ? {
        physicianId: target.profile.id,
        licence: target.profile.licence,
        title: target.profile.title,
        department: target.profile.department,
        practiceScopes: [...target.profile.practiceScopes],
        qualifications: target.profile.paymentQualifications.map((q) => ({ code: q.code, from: pickerDay(q.from), to: q.to ? pickerDay(q.to) : null })),
      }
    : { licence: 'physician', title: 'associate-senior', practiceScopes: [], qualifications: [{ code: '', from: null, to: null }] };

/**
 * 新建 / 编辑认定医师资料: the facts checkPhysician reads (licence, title, department, scopes,
 * 医保支付资格). Registry records and flags are handled from the list, not here.
 */
export function ProfileDrawer({ target, pack, actorId, onClose, onDone }: { target: ProfileTarget; pack: PolicyPack; actorId: string; onClose: () => void; onDone: (text: string) => void }) {
  const [form] = Form.useForm<Values>();
  const departments = useMemo(() => [...new Set(pack.diseases.flatMap((d) => d.departments.value))].sort((a, b) => a.localeCompare(b, 'zh')), [pack]);
  const scopes = useMemo(() => [...new Set(['内科专业', '外科专业', ...pack.diseases.flatMap((d) => d.practiceScopes?.value ?? [])])], [pack]);
  const department: string | undefined = Form.useWatch('department', form);
  const unknownDepartment = department !== undefined && department.trim() !== '' && !departments.includes(department.trim());

  const pick = (id: string) => {
    if (target.mode !== 'create') return;
    const user = target.candidates.find((u) => u.id === id);
    if (user?.department && !form.getFieldValue('department')) form.setFieldValue('department', user.department);
  };

  const { submit, busy, error } = useRepoSubmit(
    form,
    (v) => saveProfile(
      getDb(),
      target.mode === 'edit' ? target.profile.id : v.physicianId,
      {
        licence: v.licence,
        title: v.title,
        department: v.department,
        practiceScopes: v.practiceScopes ?? [],
        paymentQualifications: (v.qualifications ?? []).map((q) => ({ code: q.code, from: q.from ? q.from.format(DATE) : '', to: q.to ? q.to.format(DATE) : null })),
      },
      actorId,
    ),
    (value) => onDone(target.mode === 'edit' ? `已保存 ${value.name} 的资料` : `已建立 ${value.name} 的认定医师资料，请继续新增认定医师库记录`),
  );

  const noCandidates = target.mode === 'create' && target.candidates.length === 0;

  return (
    <Drawer
      open
      size={560}
      title={target.mode === 'edit' ? `编辑认定医师资料：${target.profile.name}` : '新建认定医师资料'}
      onClose={onClose}
      destroyOnHidden
      footer={
        <Space style={{ justifyContent: 'flex-end', width: '100%' }}>
          <Button onClick={onClose}>取消</Button>
          <Button type="primary" loading={busy} disabled={noCandidates} onClick={submit}>
            保存
          </Button>
        </Space>
      }
    >
      {noCandidates && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title="没有可建立资料的认定医师账户"
          description="认定医师资料挂在工作站账户上。请管理员先在“用户管理”中新建角色为“认定医师”的账户，再回到这里建立资料。已建立资料的账户不再列出。"
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" requiredMark={false} initialValues={initialValues(target)} disabled={noCandidates}>
        {target.mode === 'create' ? (
          <Form.Item name="physicianId" label="认定医师账户" rules={[{ required: true, message: '请选择认定医师账户' }]} extra="只列出角色为认定医师、尚未建立资料的账户。">
            <Select
              showSearch={{ optionFilterProp: 'label' }}
              placeholder="选择账户"
              onChange={pick}
              options={target.candidates.map((u) => ({ value: u.id, label: `${u.displayName}（${u.username}${u.department ? ` · ${u.department}` : ''}）` }))}
            />
          </Form.Item>
        ) : (
          <Form.Item label="姓名" extra={target.profile.id.startsWith('demo-') ? '演示名单中的虚构医师，没有工作站账户。' : '姓名随工作站账户。'}>
            <Typography.Text strong>{target.profile.name}</Typography.Text>
          </Form.Item>
        )}
        <Form.Item name="licence" label="执业类别" extra="执业助理医师不能担任认定医师。">
          <Radio.Group options={(['physician', 'assistant'] as const).map((v) => ({ value: v, label: LICENCE_LABELS[v] }))} />
        </Form.Item>
        <Form.Item name="title" label="职称" rules={[{ required: true, message: '请选择职称' }]}>
          <Select options={TITLE_ORDER.map((t) => ({ value: t, label: TITLE_LABELS[t] }))} />
        </Form.Item>
        <Form.Item
          name="department"
          label="科室"
          rules={[{ required: true, whitespace: true, message: '请填写科室' }]}
          extra={unknownDepartment ? '该科室不在当前政策包任何病种的对应科室中，保存后将无法认定任何病种。' : '须与病种对应的科室一致才能认定该病种。'}
          validateStatus={unknownDepartment ? 'warning' : undefined}
        >
          <AutoComplete
            options={departments.map((d) => ({ value: d }))}
            filterOption={(input, option) => String(option?.value ?? '').includes(input.trim())}
            placeholder="如：内分泌科"
          />
        </Form.Item>
        <Form.Item name="practiceScopes" label="执业范围" extra="可多选，也可输入后回车添加。">
          <Select mode="tags" options={scopes.map((s) => ({ value: s, label: s }))} placeholder="如：内科专业" />
        </Form.Item>
        <Typography.Text strong>医保支付资格（医保医师代码）</Typography.Text>
        <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
          国家医保信息业务编码库中审核通过的医保医师代码及其有效期；终止日期不填表示仍然有效。
        </Typography.Paragraph>
        <Form.List name="qualifications">
          {(fields, { add, remove }) => (
            <>
              {fields.map(({ key, name }) => (
                <Space key={key} align="start" wrap style={{ display: 'flex' }}>
                  <Form.Item name={[name, 'code']}>
                    <Input placeholder="医保医师代码" aria-label="医保医师代码" style={{ width: 170 }} />
                  </Form.Item>
                  <Form.Item name={[name, 'from']} rules={[{ required: true, message: '请选择起始日期' }]}>
                    <DatePicker placeholder="起始日期" style={{ width: 140 }} />
                  </Form.Item>
                  <Form.Item name={[name, 'to']}>
                    <DatePicker placeholder="终止日期" style={{ width: 140 }} />
                  </Form.Item>
                  <Button type="text" icon={<DeleteOutlined />} aria-label="删除该资格期" onClick={() => remove(name)} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ code: '', from: null, to: null })}>
                添加资格期
              </Button>
            </>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
