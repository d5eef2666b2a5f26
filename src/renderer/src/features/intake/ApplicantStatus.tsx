import { Alert, Checkbox, Form, Space, Tag, Typography } from 'antd';
import { CASE_STATUS_LABELS } from '../../../../shared/domain/case';
import { checkExclusions } from '../../../../shared/policy';
import type { PolicyPack } from '../../../../shared/policy/schema';
import type { ApplicantHistory, HeldDiseaseRef, IntakeAssessment } from '../../../../shared/review/intake';
import { useCaseAwaiting } from '../../hospital/case-commands';
import { CaseAwaitingTag } from '../cases/CaseAwaitingTag';

interface Props {
  pack: PolicyPack;
  history: ApplicantHistory;
  held: HeldDiseaseRef[];
  diseaseCode: string | undefined;
  /** Null until a disease is chosen. */
  assessment: IntakeAssessment | null;
}

/**
 * What the desk must see before submitting: the diseases the person holds and applications still
 * open, then every reason the application would be refused (000/004) and what is only worth
 * knowing. A 004 exclusion that has an exception (transplant relapse) can be confirmed here.
 */
export function ApplicantStatus({ pack, history, held, diseaseCode, assessment }: Props) {
  // A case decided on this desk by a conclusion the server has not applied is still in progress.
  const awaiting = useCaseAwaiting();
  const open = history.cases.filter((c) => c.status !== 'decided' || awaiting.get(c.id)?.state === 'pending');
  // Computed without the confirmations, so a ticked exception stays on screen to be unticked.
  const exceptions = diseaseCode ? checkExclusions(pack, held.map((h) => h.code), diseaseCode).flatMap((c) => (c.exception ? [c.exception] : [])) : [];
  const uniqueExceptions = [...new Map(exceptions.map((e) => [e.id, e])).values()];
  return (
    <div className="intake-applicant">
      <Space size={[16, 4]} wrap>
        <span>
          已有病种：
          {held.length === 0 ? (
            <Typography.Text type="secondary">无</Typography.Text>
          ) : (
            held.map((h) => (
              <Tag key={h.code} color="blue" variant="filled">
                {h.name}
                {h.endDate ? `（至 ${h.endDate}）` : ''}
              </Tag>
            ))
          )}
        </span>
        <span>
          在办申请：
          {open.length === 0 ? (
            <Typography.Text type="secondary">无</Typography.Text>
          ) : (
            open.map((c) => {
              const a = awaiting.get(c.id);
              return (
                <span key={c.id}>
                  <Tag variant="filled">
                    {c.diseaseName}
                    {a?.state === 'pending' && c.status === 'decided' ? '' : ` · ${CASE_STATUS_LABELS[c.status]}`} · {c.receivedOn} 受理
                  </Tag>
                  {a && <CaseAwaitingTag awaiting={a} short />}
                </span>
              );
            })
          )}
        </span>
      </Space>
      {assessment?.problems.map((p) => (
        <Alert key={p.message} type="error" showIcon className="intake-alert" title={p.message} />
      ))}
      {uniqueExceptions.length > 0 && (
        <Form.Item name="waive" className="intake-waive">
          <Checkbox.Group options={uniqueExceptions.map((e) => ({ value: e.id, label: `确认属于例外：${e.label}（来源：${e.source}）` }))} />
        </Form.Item>
      )}
      {assessment?.warnings.map((w) => (
        <Alert key={w} type="warning" showIcon className="intake-alert" title={w} />
      ))}
    </div>
  );
}
