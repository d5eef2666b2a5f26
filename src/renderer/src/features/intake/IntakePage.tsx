import { Alert, App, Button, Card, Col, DatePicker, Form, Radio, Row, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { chinaDateOf, pickerDay } from '../../../../shared/time';
import { assessIntake, heldDiseases, type ApplicantHistory, type IntakeField, type IntakeProblem } from '../../../../shared/review/intake';
import { RESIDENT_ID } from '../../../../shared/review/intake-person';
import { getDb } from '../../db/db';
import { errorText } from '../../lib/ipc';
import { useHashRoute } from '../../lib/useHashRoute';
import { useOnline } from '../../lib/useOnline';
import { errorMessage } from '../../../../shared/sync/storage-error';
import { useSession } from '../auth/session';
import { caseFileRoute } from '../case-file/case-file-route';
import { useReviewContext } from '../cases/useReviewContext';
import { lookupPerson } from '../filings/person-lookup';
import { ApplicantStatus } from './ApplicantStatus';
import { takeApplication, type IntakeReceipt } from './intake-repo';
import type { ShownReceipt } from './IntakeReceiptView';
import { deskSync, worksThroughServer } from '../../hospital/desk-session';
import { IntakePersonFields, type IntakeLookupBy } from './IntakePersonFields';
import { IntakeReceiptView } from './IntakeReceiptView';
import { MaterialsInput, type DraftFile } from './MaterialsInput';
import { UnassignedPanel } from './UnassignedPanel';
import { useApplicant } from './useApplicant';
import './intake.css';
import { useToday } from '../../lib/useNow';

interface Values {
  lookupBy: IntakeLookupBy;
  certType: string;
  certNo?: string;
  psnNo?: string;
  name?: string;
  insutype?: string;
  regionCode?: string;
  tel?: string;
  gender?: 'male' | 'female';
  birthDate?: Dayjs | null;
  diseaseCode?: string;
  kind: 'first' | 're-review';
  receivedOn: Dayjs;
  waive?: string[];
}

const DATE = 'YYYY-MM-DD';
const NO_HISTORY: ApplicantHistory = { cases: [], certifications: [] };
/** Problems that belong to one field are shown under it too. */
const FORM_FIELD: Partial<Record<IntakeField, keyof Values>> = { certNo: 'certNo', diseaseCode: 'diseaseCode', kind: 'kind', receivedOn: 'receivedOn' };

const initialValues = (): Partial<Values> => ({ lookupBy: '02', certType: RESIDENT_ID, insutype: '310', kind: 'first', receivedOn: pickerDay(chinaDateOf(new Date())) });

/**
 * 受理申请 (医保办): take an application at the desk — identify the insured person (1101, or by
 * hand offline), choose the disease from the active pack, attach the materials, and 受理: the
 * case is stored and its first stage offered at once. Nothing is kept until it is accepted, and a
 * refusal leaves the form as it was.
 */
/**
 * Through the hospital server, the draw is the server's: the receipt waits (briefly, on a link)
 * for its answer, and says plainly when the application is only saved here for now.
 */
async function serverReceipt(local: IntakeReceipt): Promise<ShownReceipt> {
  if (!worksThroughServer()) return local;
  await deskSync()?.sync().catch(() => undefined);
  const cmd = (await getDb().deskCommands.where('caseId').equals(local.caseId).toArray()).find((c) => c.kind === 'case.take');
  if (cmd?.state === 'applied' && cmd.value) return cmd.value as ShownReceipt;
  if (cmd?.state === 'refused') throw new Error(`院内服务器未受理：${cmd.reason ?? ''}`);
  return { ...local, awaitingServer: true };
}

export default function IntakePage() {
  const ctx = useReviewContext();
  const { user } = useSession();
  const { message } = App.useApp();
  const online = useOnline();
  const [, navigate] = useHashRoute('/intake');
  const [form] = Form.useForm<Values>();
  const [files, setFiles] = useState<DraftFile[]>([]);
  const [looking, setLooking] = useState(false);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<string[] | null>(null);
  const [receipt, setReceipt] = useState<ShownReceipt | null>(null);

  const lookupBy = Form.useWatch('lookupBy', form);
  const chosenType = Form.useWatch('certType', form);
  // 1101 is asked by resident ID; other documents are typed by hand.
  const certType = lookupBy === 'manual' ? (chosenType ?? RESIDENT_ID) : RESIDENT_ID;
  const certNo = Form.useWatch('certNo', form);
  const diseaseCode = Form.useWatch('diseaseCode', form);
  const kind = Form.useWatch('kind', form) ?? 'first';
  const receivedOn = Form.useWatch('receivedOn', form);
  const waive = Form.useWatch('waive', form);

  const { key, applicant, remember, forget } = useApplicant(form, certType, certNo);
  const known = applicant?.person ?? null;
  const history = applicant?.history ?? NO_HISTORY;
  const today = useToday();
  const onDate = receivedOn ? receivedOn.format(DATE) : today;
  const held = useMemo(() => (ctx ? heldDiseases(ctx.pack, history.certifications, onDate) : []), [ctx, history, onDate]);
  const assessment = useMemo(
    () => (ctx && diseaseCode ? assessIntake(ctx.pack, history, { diseaseCode, kind, receivedOn: onDate, waive: waive ?? [] }) : null),
    [ctx, history, diseaseCode, kind, onDate, waive],
  );

  const diseaseOptions = useMemo(
    () => (ctx?.pack.diseases ?? []).flatMap((d) => [{ value: d.code, label: `${d.code} ${d.name}` }, ...d.variants.map((v) => ({ value: v.code, label: `${v.code} ${v.name}` }))]),
    [ctx],
  );

  const lookup = async () => {
    const value: string | undefined = form.getFieldValue('certNo');
    if (!value?.trim()) return void form.validateFields(['certNo']);
    setLooking(true);
    try {
      const person = await lookupPerson('02', value);
      const values = { psnNo: person.psnNo, name: person.psnName, insutype: person.insutype, regionCode: person.insuplcAdmdvs };
      form.setFieldsValue(values);
      remember(value, values);
      message.success(`已查到参保人：${person.psnName}（${person.psnNo}）`);
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setLooking(false);
    }
  };

  const showProblems = (problems: IntakeProblem[]) => {
    setFailure(problems.map((p) => p.message));
    const byField = new Map<keyof Values, string[]>();
    for (const p of problems) {
      const field = FORM_FIELD[p.field];
      if (field) byField.set(field, [...(byField.get(field) ?? []), p.message]);
    }
    form.setFields([...byField].map(([name, errors]) => ({ name, errors })));
  };

  const submit = async (v: Values) => {
    if (!ctx) return;
    setSaving(true);
    setFailure(null);
    try {
      const r = await takeApplication(getDb(), ctx, {
        person: {
          certType, certNo: v.certNo ?? '', name: v.name ?? '', psnNo: v.psnNo?.trim() || null, insutype: v.insutype ?? '', regionCode: v.regionCode ?? '', tel: v.tel,
          ...(certType === RESIDENT_ID ? {} : { gender: v.gender, birthDate: v.birthDate?.format(DATE) }),
        },
        diseaseCode: v.diseaseCode ?? '',
        kind: v.kind,
        receivedOn: v.receivedOn.format(DATE),
        waive: v.waive ?? [],
        files: files.map((f) => ({ blob: f.file, name: f.file.name, kind: f.kind, documentDate: f.documentDate?.format(DATE) ?? null, sourceInstitution: f.sourceInstitution, stamped: f.stamped })),
      }, user);
      if (!r.ok) {
        showProblems(r.problems);
        message.error('未能受理，请按提示修改');
        return;
      }
      setReceipt(await serverReceipt(r.value));
    } catch (error) {
      setFailure([`未能保存：${errorMessage(error)}`]);
      message.error(`未能受理：${errorMessage(error)}`);
    } finally {
      setSaving(false);
    }
  };

  const next = () => {
    form.resetFields();
    form.setFieldsValue(initialValues());
    forget();
    setFiles([]);
    setFailure(null);
    setReceipt(null);
  };

  if (!ctx) return <Card loading className="page" />;
  const limitDays = ctx.pack.process.completionLimitWorkingDays?.value ?? null;

  return (
    <div className="page intake-page">
      <Typography.Title level={4}>受理申请</Typography.Title>
      {receipt ? (
        <Card>
          <IntakeReceiptView receipt={receipt} limitDays={limitDays} onNext={next} onOpenFile={() => navigate(caseFileRoute(receipt.personId))} />
        </Card>
      ) : (
        <Card>
          <Typography.Paragraph type="secondary" className="intake-note">
            代参保人受理门诊慢特病申请（{ctx.pack.title}）。受理后立即按本地区流程分配审核；{limitDays ? `自受理日起 ${limitDays} 个工作日内办结。` : '本地区未设办结时限。'}
          </Typography.Paragraph>
          {!online && <Alert type="info" showIcon className="intake-alert" title="本机未联网：请选“手工录入（离线）”，照常受理；个人编号可暂缺，联网后查询补齐。" />}
          <Form form={form} layout="vertical" initialValues={initialValues()} onFinish={(v) => void submit(v)} requiredMark="optional" aria-label="受理申请" onValuesChange={() => failure && setFailure(null)}>
            <IntakePersonFields
              lookupBy={lookupBy}
              certType={certType}
              looking={looking}
              onLookup={() => void lookup()}
              known={key && applicant !== undefined ? <Typography.Text type="secondary">{known ? `本机已有该参保人：${known.name}${known.psnNo ? `（个人编号 ${known.psnNo}）` : '（尚无个人编号）'}` : '本机尚无该参保人记录，受理后新建'}</Typography.Text> : null}
            />
            <Typography.Title level={5}>申请</Typography.Title>
            <Row gutter={16}>
              <Col span={10}>
                <Form.Item name="diseaseCode" label="申请病种" rules={[{ required: true, message: '请选择病种' }]}>
                  <Select showSearch={{ optionFilterProp: 'label' }} options={diseaseOptions} placeholder="输入代码或名称检索" aria-label="申请病种" />
                </Form.Item>
              </Col>
              <Col span={6}>
                <Form.Item name="kind" label="申请类型">
                  <Radio.Group optionType="button" options={[{ value: 'first', label: '首次申请' }, { value: 're-review', label: '复审' }]} />
                </Form.Item>
              </Col>
              <Col span={4}>
                <Form.Item name="receivedOn" label="受理日期" rules={[{ required: true, message: '请选择受理日期' }]}>
                  <DatePicker style={{ width: '100%' }} allowClear={false} disabledDate={(d) => d.format(DATE) > today} />
                </Form.Item>
              </Col>
            </Row>
            {key && <ApplicantStatus pack={ctx.pack} history={history} held={held} diseaseCode={diseaseCode} assessment={assessment} />}
            <Typography.Title level={5}>申请材料（可选）</Typography.Title>
            <MaterialsInput files={files} onChange={setFiles} maxTotalBytes={ctx.pack.materials.maxTotalBytes?.value ?? null} />
            {failure && (
              <Alert
                type="error"
                showIcon
                className="intake-alert"
                title="未能受理"
                description={
                  <ul className="error-list">
                    {failure.map((f) => (
                      <li key={f}>{f}</li>
                    ))}
                  </ul>
                }
              />
            )}
            <Button type="primary" htmlType="submit" loading={saving} className="intake-submit">
              受理并分配
            </Button>
          </Form>
        </Card>
      )}
      <UnassignedPanel ctx={ctx} />
    </div>
  );
}
