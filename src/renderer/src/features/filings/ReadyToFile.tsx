import { Alert, App, Button, DatePicker, Select, Space, Table, Tag, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useState } from 'react';
import type { Certification } from '../../../../shared/domain/certification';
import { MAX_BATCH } from '../../../../shared/hospital/filings';
import { getDb } from '../../db/db';
import { useCaseAwaiting } from '../../hospital/case-commands';
import { errorText } from '../../lib/ipc';
import { useSession } from '../auth/session';
import { commandsByCertification, submitFilingBatch, useOpenFilingCommands } from './filing-commands';
import { CommandTag } from './filing-ui';

export interface ReadyRow {
  cert: Certification;
  personName: string;
  psnNo: string;
}

/** Certifications the 医保办 may submit: approved and not yet filed, or refused by the platform. */
export async function readyRows(): Promise<ReadyRow[]> {
  const db = getDb();
  const certs = await db.certifications.where('state').anyOf(['ready', 'filing-rejected']).toArray();
  const cases = new Map((await db.cases.bulkGet(certs.map((c) => c.caseId))).flatMap((c) => (c ? [[c.id, c] as const] : [])));
  return certs
    .map((cert) => ({ cert, personName: cases.get(cert.caseId)?.personName ?? '', psnNo: cases.get(cert.caseId)?.psnNo ?? '' }))
    .sort((a, b) => a.cert.certifiedOn.localeCompare(b.cert.certifiedOn) || a.personName.localeCompare(b.personName, 'zh') || a.cert.id.localeCompare(b.cert.id));
}

const DATE = 'YYYY-MM-DD';

/**
 * 待备案: the certifications waiting to be filed, filtered by disease, physician and decision
 * date; any number of them (or all the filtered ones) submitted as one batch — one
 * `filing.submit` command; the page then shows the batch.
 */
export function ReadyToFile({ onSubmitted }: { onSubmitted: (batchId: string) => void }) {
  const { user } = useSession();
  const { message } = App.useApp();
  const rows = useLiveQuery(readyRows, []);
  const open = useOpenFilingCommands();
  const awaiting = useCaseAwaiting();
  const [disease, setDisease] = useState<string | null>(null);
  const [physician, setPhysician] = useState<string | null>(null);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [busy, setBusy] = useState(false);

  const byCert = useMemo(() => commandsByCertification(open ?? []), [open]);
  /** A row not to submit now: its submission waits for the server, or its case's conclusion does. */
  const blocked = (r: ReadyRow) => byCert.get(r.cert.id)?.state === 'pending' || awaiting.get(r.cert.caseId)?.state === 'pending';

  const all = useMemo(() => rows ?? [], [rows]);
  const diseases = useMemo(() => [...new Map(all.map((r) => [r.cert.diseaseCode, r.cert.diseaseName])).entries()].map(([value, name]) => ({ value, label: `${name}（${value}）` })), [all]);
  const physicians = useMemo(() => [...new Map(all.map((r) => [r.cert.physicianId, r.cert.physicianName])).entries()].map(([value, label]) => ({ value, label })), [all]);
  const from = range?.[0]?.format(DATE) ?? null;
  const to = range?.[1]?.format(DATE) ?? null;
  const filtered = all.filter(
    (r) => (!disease || r.cert.diseaseCode === disease) && (!physician || r.cert.physicianId === physician) && (!from || r.cert.certifiedOn >= from) && (!to || r.cert.certifiedOn <= to),
  );
  const selectable = new Set(all.filter((r) => !blocked(r)).map((r) => r.cert.id));
  const chosen = selected.filter((id) => selectable.has(id));
  const filteredSelectable = filtered.filter((r) => selectable.has(r.cert.id)).map((r) => r.cert.id);

  const submit = async () => {
    if (chosen.length === 0) return;
    setBusy(true);
    try {
      const { batchId } = await submitFilingBatch(getDb(), user.id, chosen);
      message.success(`备案批次已保存并排队（${chosen.length} 条），将经院内服务器自动上传平台（2503）`);
      setSelected([]);
      onSubmitted(batchId);
    } catch (e) {
      message.error(`未能提交备案：${errorText(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <Select allowClear showSearch={{ optionFilterProp: 'label' }} placeholder="病种" style={{ width: 240 }} options={diseases} value={disease} onChange={(v) => setDisease(v ?? null)} aria-label="病种" />
        <Select allowClear placeholder="认定医师" style={{ width: 160 }} options={physicians} value={physician} onChange={(v) => setPhysician(v ?? null)} aria-label="认定医师" />
        <DatePicker.RangePicker placeholder={['认定日期起', '认定日期止']} value={range} onChange={(v) => setRange(v)} />
        <Button onClick={() => setSelected([...new Set([...chosen, ...filteredSelectable])])} disabled={filteredSelectable.length === 0}>
          全选筛选结果（{filteredSelectable.length} 条）
        </Button>
        <Button onClick={() => setSelected([])} disabled={chosen.length === 0}>
          清除选择
        </Button>
        <Button type="primary" loading={busy} disabled={chosen.length === 0 || chosen.length > MAX_BATCH} onClick={() => void submit()}>
          提交备案（{chosen.length} 条）
        </Button>
      </Space>
      {chosen.length > MAX_BATCH && <Alert type="warning" showIcon title={`一批最多提交 ${MAX_BATCH} 条，请减少选择`} />}
      <Table<ReadyRow>
        rowKey={(r) => r.cert.id}
        size="small"
        loading={rows === undefined}
        dataSource={filtered}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showTotal: (n) => `共 ${n} 条` }}
        locale={{ emptyText: all.length ? '没有符合筛选条件的认定' : '没有待备案的认定' }}
        rowSelection={{
          selectedRowKeys: chosen,
          preserveSelectedRowKeys: true,
          onChange: (keys) => setSelected(keys.map(String)),
          getCheckboxProps: (r) => ({ disabled: blocked(r), 'aria-label': `选择 ${r.personName} ${r.cert.diseaseName}` }),
        }}
        columns={[
          { title: '参保人', key: 'person', width: 110, render: (_, r) => r.personName },
          { title: '病种', key: 'disease', render: (_, r) => `${r.cert.diseaseName}（${r.cert.diseaseCode}）` },
          { title: '认定医师', key: 'dr', width: 100, render: (_, r) => r.cert.physicianName },
          { title: '认定日期', key: 'on', width: 110, render: (_, r) => r.cert.certifiedOn },
          { title: '待遇期', key: 'term', width: 200, render: (_, r) => `${r.cert.begnDate} 至 ${r.cert.endDate ?? '长期'}` },
          {
            title: '状态',
            key: 'state',
            render: (_, r) => {
              const c = byCert.get(r.cert.id);
              return (
                <Space size={4} wrap>
                  {r.cert.state === 'filing-rejected' ? (
                    <Typography.Text type="danger">
                      <Tag color="error">平台拒绝</Tag>
                      {r.cert.rejectReason}
                    </Typography.Text>
                  ) : (
                    <Tag color="gold">待备案</Tag>
                  )}
                  {c && <CommandTag command={c} />}
                  {awaiting.get(r.cert.caseId)?.state === 'pending' && <Tag>结论待院内服务器确认</Tag>}
                </Space>
              );
            },
          },
          {
            title: '',
            key: 'open',
            width: 90,
            render: (_, r) => <a href={`#/cases/${encodeURIComponent(r.cert.caseId)}`}>查看审核</a>,
          },
        ]}
      />
    </Space>
  );
}
