import { Alert, Space, Tag, Tooltip, Typography } from 'antd';
import { CASE_STATUS_LABELS, type CaseRow } from '../../../../shared/domain/case';
import { maskCertNo, type InsuredPerson } from '../../../../shared/domain/insured';
import { checkExclusions, diseaseName } from '../../../../shared/policy';
import type { PolicyPack } from '../../../../shared/policy/schema';
import { ageOn } from '../../../../shared/time';
import { dueOfRow } from '../../../../shared/review/deadlines';
import { DeadlineText } from '../cases/DeadlineText';
import { useToday } from '../../lib/useNow';
import type { CaseAwaiting } from '../../hospital/case-commands';
import { CaseAwaitingTag, awaitingTip } from '../cases/CaseAwaitingTag';

/** insutype as the desk says it: 310 职工 / 390 居民. */
const INSUTYPE_SHORT: Record<string, string> = { '310': '职工医保', '390': '居民医保', '320': '公务员补助', '330': '大额补助', '340': '离休' };

interface Props {
  pack: PolicyPack;
  caseRow: CaseRow;
  person: InsuredPerson | null;
  heldCodes: string[];
  /** A command on this case the server has not applied yet (or refused): the state shown is the desk's own until then. */
  awaiting?: CaseAwaiting | null;
}

/**
 * Who the case is about, in one band: name, masked ID number (never in clear), insurance type,
 * region, diseases already held, and any 互斥 conflict with the disease applied for.
 */
export function PatientHeader({ pack, caseRow, person, heldCodes, awaiting = null }: Props) {
  const conflicts = checkExclusions(pack, heldCodes, caseRow.diseaseCode);
  const today = useToday();
  const age = person ? ageOn(person.birthDate, today) : null;
  const pending = awaiting?.state === 'pending' ? awaiting : null;
  return (
    <div className="patient-header">
      <Space size={[16, 4]} wrap align="center">
        <Typography.Title level={4} className="patient-name">
          {caseRow.personName}
        </Typography.Title>
        {person && (
          <Typography.Text type="secondary">
            {person.gender === 'male' ? '男' : '女'} · {age} 岁
          </Typography.Text>
        )}
        <Typography.Text className="patient-certno" aria-label="身份证号">
          {maskCertNo(caseRow.certNo)}
        </Typography.Text>
        <Tag variant="filled">
          {caseRow.insutype} {INSUTYPE_SHORT[caseRow.insutype] ?? ''}
        </Tag>
        <Typography.Text type="secondary">参保地 {person?.regionCode ?? caseRow.regionCode}</Typography.Text>
        <Typography.Text type="secondary">人员编号 {caseRow.psnNo || '未取得'}</Typography.Text>
      </Space>
      <Space size={[16, 4]} wrap align="center" className="patient-case">
        <span>
          申请病种：
          <Tooltip title={caseRow.diseaseCode}>
            <Typography.Text strong>{caseRow.diseaseName}</Typography.Text>
          </Tooltip>
          {caseRow.kind === 're-review' && <Tag variant="filled">复审</Tag>}
        </span>
        <span>
          已有病种：
          {heldCodes.length === 0 ? (
            <Typography.Text type="secondary">无</Typography.Text>
          ) : (
            heldCodes.map((c) => (
              <Tag key={c} color="blue" variant="filled">
                {diseaseName(pack, c)}
              </Tag>
            ))
          )}
        </span>
        <span>
          受理 {caseRow.receivedOn} ·{' '}
          {caseRow.status === 'decided' ? (pending ? '结论尚未经院内服务器确认' : '已办结') : <DeadlineText due={dueOfRow(caseRow)} prefix="办结期限 " />}
        </span>
        {/* A decision the server has not confirmed is not shown as one. */}
        {!(pending && caseRow.status === 'decided') && (
          <Tag color={caseRow.status === 'decided' ? 'green' : 'processing'} variant="filled" data-testid="case-status">
            {caseRow.status === 'decided' ? CASE_STATUS_LABELS.decided : caseRow.stageLabel || CASE_STATUS_LABELS[caseRow.status]}
          </Tag>
        )}
        {pending && <CaseAwaitingTag awaiting={pending} />}
      </Space>
      {awaiting?.state === 'refused' && (
        <Alert
          type="error"
          showIcon
          className="patient-conflict"
          data-testid="case-refused"
          title={`${awaiting.label}${awaiting.reason ? `：${awaiting.reason}` : ''}`}
          description={awaitingTip(awaiting, false)}
          action={<a href="#/sync">到“同步”查看</a>}
        />
      )}
      {conflicts.map((c) => (
        <Alert
          key={c.held.code}
          type={c.exception ? 'warning' : 'error'}
          showIcon
          className="patient-conflict"
          title={`互斥病种：申请的「${c.applied.name}」与已有的「${c.held.name}」不能同时享受（规则来源：${c.source}）`}
          description={c.exception ? `例外：${c.exception.label}（来源：${c.exception.source}），符合时可认定。` : undefined}
        />
      ))}
    </div>
  );
}
