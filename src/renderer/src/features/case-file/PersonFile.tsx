import { Alert, Card, Descriptions, Empty, Space, Spin, Tag, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import { buildCaseFile, type CaseFileModel } from '../../../../shared/case-file/case-file';
import { CASE_STATUS_LABELS } from '../../../../shared/domain/case';
import { INSUTYPE_LABELS, maskCertNo } from '../../../../shared/domain/insured';
import { getDb } from '../../db/db';
import { usePolicy } from '../policy/policy-store';
import { loadPersonRows } from './case-file-repo';
import { CaseTimeline } from './CaseTimeline';
import { HoldingsPanel } from './HoldingsPanel';
import { useToday } from '../../lib/useNow';
import { useCaseAwaiting, type CaseAwaiting } from '../../hospital/case-commands';
import { CaseAwaitingTag } from '../cases/CaseAwaitingTag';
import type { CaseRow } from '../../../../shared/domain/case';

/** One person's case file: who they are, what they hold today and what needs doing, and everything that happened. */
export function PersonFile({ personId }: { personId: string }) {
  const policy = usePolicy();
  // Live: a filing the sync runner settles, or a review concluded elsewhere, shows at once.
  const rows = useLiveQuery(() => loadPersonRows(getDb(), personId), [personId]);
  const today = useToday();
  // Cases whose state rests on a command the server has not applied yet: shown as waiting, not as decided.
  const awaiting = useCaseAwaiting();
  const file = useMemo(() => (policy && rows ? buildCaseFile(policy.entry.pack, rows, { today }) : null), [policy, rows, today]);

  if (rows === null) return <Empty className="case-file-section" description="本机没有这位参保人的档案（链接可能已失效）" />;
  if (!file) return <Spin className="case-file-section" />;
  return (
    <div data-testid="case-file">
      <PersonHeader file={file} cases={rows?.cases ?? []} awaiting={awaiting} />
      <Attention file={file} />
      <HoldingsPanel file={file} awaiting={awaiting} />
      <Card size="small" className="case-file-section" title={`时间线（${file.events.length} 项）`}>
        <CaseTimeline events={file.events} awaiting={awaiting} />
      </Card>
    </div>
  );
}

function PersonHeader({ file, cases, awaiting }: { file: CaseFileModel; cases: readonly CaseRow[]; awaiting: ReadonlyMap<string, CaseAwaiting> }) {
  const p = file.person;
  // Decided on this desk only, by a conclusion the server has not applied: still in progress.
  const unconfirmed = cases.filter((c) => c.status === 'decided' && awaiting.get(c.id)?.state === 'pending');
  const open = [...file.openCases, ...unconfirmed];
  return (
    <Card size="small" className="case-file-section" title={<Space>{p.name}<Typography.Text type="secondary">{p.gender === 'male' ? '男' : '女'}，{p.birthDate} 生</Typography.Text></Space>}>
      <Descriptions size="small" column={{ xs: 1, md: 2, xl: 4 }}>
        <Descriptions.Item label="身份证号">{maskCertNo(p.certNo)}</Descriptions.Item>
        <Descriptions.Item label="个人编号">{p.psnNo ?? '尚未从平台获取'}</Descriptions.Item>
        <Descriptions.Item label="险种">{INSUTYPE_LABELS[p.insutype] ?? p.insutype}</Descriptions.Item>
        <Descriptions.Item label="参保地">
          {p.regionCode}
          {p.offSiteResident && <Tag style={{ marginInlineStart: 8 }}>异地长期居住</Tag>}
        </Descriptions.Item>
        <Descriptions.Item label="在办申请" span="filled">
          {open.length === 0
            ? '无'
            : open.map((c) => {
                const a = awaiting.get(c.id);
                if (a?.state === 'pending' && c.status === 'decided') {
                  return (
                    <span key={c.id} className="case-file-open-awaiting">
                      <Tag>{c.diseaseName}</Tag>
                      <CaseAwaitingTag awaiting={a} />
                    </span>
                  );
                }
                return (
                  <span key={c.id}>
                    <Tag color="processing">
                      {c.diseaseName}：{CASE_STATUS_LABELS[c.status]}
                      {c.stageLabel ? `（${c.stageLabel}）` : ''}
                    </Tag>
                    {a && <CaseAwaitingTag awaiting={a} short />}
                  </span>
                );
              })}
        </Descriptions.Item>
      </Descriptions>
    </Card>
  );
}

/** What needs a person: re-review reminders, the no-cost screening, exclusion conflicts. */
function Attention({ file }: { file: CaseFileModel }) {
  const { held, exclusions } = file.holdings;
  const alerts: { key: string; type: 'warning' | 'error' | 'info'; text: string }[] = [];
  for (const h of held) {
    if (h.reminder && h.reminder.tone !== 'blue') alerts.push({ key: `rr-${h.certification.id}`, type: h.reminder.tone === 'red' ? 'error' : 'warning', text: h.reminder.text });
    if (h.inactivity.flagged) alerts.push({ key: `in-${h.certification.id}`, type: 'warning', text: `${h.certification.diseaseName}：${h.inactivity.message}` });
  }
  for (const c of exclusions.amongHeld) alerts.push({ key: `ex-${c.ruleId}-${c.applied.code}`, type: 'error', text: `同时持有互斥病种：${c.message}` });
  for (const o of exclusions.openApplications) {
    for (const c of o.conflicts) alerts.push({ key: `op-${o.caseId}-${c.held.code}`, type: 'error', text: `在办申请与已享受病种互斥：${c.message}${c.exception ? `（例外：${c.exception.label}）` : ''}` });
  }
  if (alerts.length === 0) return null;
  return (
    <Space orientation="vertical" className="case-file-section" style={{ width: '100%' }}>
      {alerts.map((a) => (
        <Alert key={a.key} type={a.type} showIcon title={a.text} />
      ))}
    </Space>
  );
}
