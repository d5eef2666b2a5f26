import { App, Button, Col, DatePicker, Form, Input, Row, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { addDays, addMonths, findDisease } from '../../../../shared/policy';
import { validateMessage } from '../../../../shared/sync/validate-message';
import { getDb } from '../../db/db';
import type { DeskCommand } from '../../hospital/desk-commands';
import { errorText } from '../../lib/ipc';
import { useSession } from '../auth/session';
import { usePolicy } from '../policy/policy-store';
import { manualFiling } from './filing-commands';
import { loadFilingDefaults, rememberFilingDefaults } from './filing-defaults';
import { DRAFT_FIELD_OF, filingMessage, type FilingDraft } from './filing-message';
import { lookupPerson, type LookupBy } from './person-lookup';
import { PersonFields } from './PersonFields';
import { chinaDateOf, pickerDay } from '../../../../shared/time';

interface Values extends Omit<FilingDraft, 'hospIdeDate' | 'begndate' | 'enddate' | 'diseaseName' | 'institutionCode' | 'institutionName'> {
  lookupBy: LookupBy | 'manual';
  certNo?: string;
  hospIdeDate: Dayjs;
  begndate: Dayjs;
  enddate?: Dayjs | null;
  /** Why this is filed without a concluded certification. */
  reason: string;
}

/** The institution the server files as (its platform settings), to check the message here; a placeholder when not known yet. */
const PLACEHOLDER_INSTITUTION = { institutionCode: 'H00000000000', institutionName: '本院' };


const DATE = 'YYYY-MM-DD';
const PERSON_FIELDS = ['certNo', 'psnNo', 'psnName', 'insutype', 'diseaseCode', 'tel', 'addr'] as const;

export interface FilingFormProps {
  /** Fields to start from. */
  initial?: Partial<FilingDraft>;
  submitText?: string;
  /** Called once the command is saved at the desk. */
  onSaved?: (command: DeskCommand) => void;
}

/**
 * 新建备案 without a concluded certification (an administrator, with the reason): identify the
 * insured person (1101 by ID number or e-voucher through the hospital server, or by hand), choose
 * the disease from the active policy pack, and save. The desk checks the national 2503 field rules,
 * then queues a `filing.manual` command; the hospital server builds the message with this
 * hospital's institution and files it. "已保存" is shown only after IndexedDB has committed it.
 */
export function FilingForm({ initial, submitText = '保存备案', onSaved }: FilingFormProps) {
  const [form] = Form.useForm<Values>();
  const { message } = App.useApp();
  const { user } = useSession();
  const policy = usePolicy();
  const pack = policy?.entry.pack;
  const [looking, setLooking] = useState(false);
  const [saving, setSaving] = useState(false);
  const lookupBy = Form.useWatch('lookupBy', form);
  const [institution, setInstitution] = useState(PLACEHOLDER_INSTITUTION);

  useEffect(() => {
    void loadFilingDefaults().then((d) => {
      if (d.institutionCode && d.institutionName) setInstitution({ institutionCode: d.institutionCode, institutionName: d.institutionName });
      form.setFieldsValue({
        physicianCode: initial?.physicianCode ?? d.physicianCode,
        physicianName: initial?.physicianName ?? d.physicianName,
        insuplcAdmdvs: initial?.insuplcAdmdvs ?? d.insuplcAdmdvs,
      });
    });
  }, [form, initial]);

  const diseaseOptions = useMemo(
    () =>
      (pack?.diseases ?? []).flatMap((d) => [
        { value: d.code, label: `${d.code} ${d.name}` },
        ...d.variants.map((v) => ({ value: v.code, label: `${v.code} ${v.name}` })),
      ]),
    [pack],
  );

  const initialValues: Partial<Values> = {
    lookupBy: initial ? 'manual' : '02',
    insutype: '310',
    ...initial,
    hospIdeDate: initial?.hospIdeDate ? pickerDay(initial.hospIdeDate) : pickerDay(chinaDateOf(new Date())),
    begndate: initial?.begndate ? pickerDay(initial.begndate) : pickerDay(chinaDateOf(new Date())),
    enddate: initial?.enddate ? pickerDay(initial.enddate) : undefined,
  };

  /** The filing's end: the pack's re-review term after the start, when the pack states one. */
  const suggestEnd = (code: string | undefined, begin: Dayjs | undefined) => {
    const term = code && pack ? findDisease(pack, code)?.disease.reReviewTermMonths.value : null;
    if (!term || !begin) return;
    form.setFieldValue('enddate', pickerDay(addDays(addMonths(begin.format(DATE), term), -1)));
  };

  const lookup = async () => {
    const { lookupBy: by, certNo } = form.getFieldsValue(['lookupBy', 'certNo']);
    if (by === 'manual' || !certNo) return;
    setLooking(true);
    try {
      const person = await lookupPerson(by, certNo);
      form.setFieldsValue({ psnNo: person.psnNo, psnName: person.psnName, insutype: person.insutype, insuplcAdmdvs: person.insuplcAdmdvs });
      message.success(`已查到参保人：${person.psnName}（${person.psnNo}）`);
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setLooking(false);
    }
  };

  const save = async (v: Values) => {
    const ref = pack ? findDisease(pack, v.diseaseCode) : null;
    const { reason, lookupBy: _by, certNo: _certNo, ...fields } = v;
    const draft: FilingDraft = {
      ...fields,
      ...institution,
      diseaseName: ref?.name ?? initial?.diseaseName ?? v.diseaseCode,
      hospIdeDate: v.hospIdeDate.format(DATE),
      begndate: v.begndate.format(DATE),
      enddate: v.enddate ? v.enddate.format(DATE) : undefined,
    };
    // The institution is the server's to fill: its problems are not this form's.
    const issues = validateMessage(filingMessage(draft)).filter((i) => !/ide_fixmedins_(no|name)$/.test(i.path));
    if (issues.length > 0) return showIssues(issues);
    setSaving(true);
    try {
      const command = await manualFiling(getDb(), user.id, {
        reason,
        filing: {
          psnNo: draft.psnNo, psnName: draft.psnName, insutype: draft.insutype, insuplcAdmdvs: draft.insuplcAdmdvs, diseaseCode: draft.diseaseCode, diseaseName: draft.diseaseName,
          hospIdeDate: draft.hospIdeDate, begndate: draft.begndate, ...(draft.enddate ? { enddate: draft.enddate } : {}), physicianCode: draft.physicianCode, physicianName: draft.physicianName,
          ...(draft.tel?.trim() ? { tel: draft.tel.trim() } : {}), ...(draft.addr?.trim() ? { addr: draft.addr.trim() } : {}),
        },
      });
      message.success({ content: `已保存：${draft.psnName} ${draft.diseaseName}，将经院内服务器上传平台（2503）`, className: 'filing-saved' });
      void rememberFilingDefaults({ physicianCode: draft.physicianCode, physicianName: draft.physicianName, insuplcAdmdvs: draft.insuplcAdmdvs });
      form.resetFields([...PERSON_FIELDS, 'reason']);
      onSaved?.(command);
    } catch (error) {
      message.error(`未能保存：${errorText(error)}`);
    } finally {
      setSaving(false);
    }
  };

  const showIssues = (issues: { path: string; label: string | null; message: string }[]) => {
    const fields = issues.map((i) => {
      const field = DRAFT_FIELD_OF[i.path.split('.').pop() ?? ''];
      const name = !field || field === 'institutionCode' || field === 'institutionName' ? ('psnNo' as const) : field;
      return { name, errors: [`${i.label ?? i.path}：${i.message}`] };
    });
    form.setFields(fields);
    message.error('有字段不符合国家接口要求，请按提示修改');
  };

  return (
    <Form form={form} layout="vertical" initialValues={initialValues} onFinish={save} requiredMark="optional" aria-label="新建备案">
      <PersonFields lookupBy={lookupBy} looking={looking} onLookup={() => void lookup()} />
      <Typography.Title level={5}>认定</Typography.Title>
      <Row gutter={16}>
        <Col span={12}>
          <Form.Item name="diseaseCode" label="病种" rules={[{ required: true, message: '请选择病种' }]}>
            <Select showSearch={{ optionFilterProp: 'label' }} options={diseaseOptions} placeholder={pack ? '输入代码或名称检索' : '正在载入病种目录…'} onChange={(code: string) => suggestEnd(code, form.getFieldValue('begndate'))} />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item name="hospIdeDate" label="认定日期" rules={[{ required: true }]}>
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item name="begndate" label="开始日期" rules={[{ required: true }]}>
            <DatePicker style={{ width: '100%' }} onChange={(d) => suggestEnd(form.getFieldValue('diseaseCode'), d ?? undefined)} />
          </Form.Item>
        </Col>
        <Col span={4}>
          <Form.Item name="enddate" label="结束日期">
            <DatePicker style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={6}>
          <Form.Item name="physicianCode" label="认定医师编码" rules={[{ required: true, message: '请填写认定医师编码' }]}>
            <Input autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="physicianName" label="认定医师姓名" rules={[{ required: true, message: '请填写认定医师姓名' }]}>
            <Input autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item label="认定机构">
            <Typography.Text type="secondary">由院内服务器按平台设置填写（{institution === PLACEHOLDER_INSTITUTION ? '本院' : `${institution.institutionName} ${institution.institutionCode}`}）</Typography.Text>
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={16}>
        <Col span={6}>
          <Form.Item name="tel" label="联系电话">
            <Input autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={18}>
          <Form.Item name="addr" label="联系地址">
            <Input autoComplete="off" />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="reason" label="无认定结论备案的原因" rules={[{ required: true, whitespace: true, min: 4, message: '请写明为何没有认定结论也要备案' }]}>
        <Input.TextArea rows={2} maxLength={500} />
      </Form.Item>
      <Button type="primary" htmlType="submit" loading={saving}>
        {submitText}
      </Button>
    </Form>
  );
}
