import { Descriptions, Space, Tag, Timeline, Typography } from 'antd';
import type { CaseRow } from '../../../../shared/domain/case';
import type { Certification } from '../../../../shared/domain/certification';
import type { Review } from '../../../../shared/domain/review';
import type { User } from '../../../../shared/domain/user';
import type { PolicyPack } from '../../../../shared/policy/schema';
import { CertificationFilingActions } from '../filings/CertificationFilingActions';
import { VERDICT_LABELS } from './notice-text';
import { formatChina } from '../../../../shared/time';
import { madeByCommand, type CaseAwaiting } from '../../hospital/case-commands';
import { CaseAwaitingTag } from '../cases/CaseAwaitingTag';

const RESULT_LABELS = { approved: '认定通过', rejected: '不予认定', 'materials-missing': '需补充材料' } as const;
const CERT_STATES: Record<Certification['state'], { text: string; color: string }> = {
  ready: { text: '待医保办备案', color: 'gold' },
  'filing-queued': { text: '备案已排队（2503）', color: 'processing' },
  'filing-rejected': { text: '备案被平台拒绝，需处理', color: 'error' },
  filed: { text: '已备案', color: 'green' },
  revoking: { text: '撤销已排队（2504）', color: 'processing' },
  revoked: { text: '备案已撤销', color: 'default' },
};

function reviewText(r: Review): string {
  const c = r.conclusion;
  const detail = c.verdict === 'reject' ? `：${c.reason}` : c.verdict === 'materials-missing' ? `：${c.missingItems.length} 项材料` : '';
  return `${VERDICT_LABELS[c.verdict]}${detail}`;
}

/**
 * The case's path so far: every sealed review (stage, reviewer, conclusion, audit entry), the
 * final result, and for an approved case the certification's filing state — with 提交备案, 撤销备案
 * and 更正备案 for the 医保办 and administrators (commands to the hospital server).
 */
export function CaseProgress({
  pack,
  caseRow,
  reviews,
  certification,
  user,
  awaiting = null,
}: {
  pack: PolicyPack;
  caseRow: CaseRow;
  reviews: Review[];
  certification: Certification | null;
  user: User;
  /** A command on this case the server has not answered: what it made on this desk is not final. */
  awaiting?: CaseAwaiting | null;
}) {
  const mayFile = user.role === 'office' || user.role === 'admin';
  const pending = awaiting?.state === 'pending' ? awaiting : null;
  // Made on this desk by the conclusion still waiting (its id carries the command's).
  const unconfirmed = (r: Review) => pending?.kind === 'case.conclude' && madeByCommand(pending, r.id);

  return (
    <div className="case-progress">
      {reviews.length === 0 ? (
        <Typography.Text type="secondary">尚无审核结论</Typography.Text>
      ) : (
        <Timeline
          items={reviews.map((r) => ({
            color: r.conclusion.verdict === 'approve' ? 'green' : r.conclusion.verdict === 'reject' ? 'red' : 'orange',
            content: (
              <div>
                <Typography.Text strong>{stageLabel(pack, r)}</Typography.Text> · {r.reviewerName}
                {unconfirmed(r) && pending && (
                  <>
                    {' '}
                    <CaseAwaitingTag awaiting={pending} short />
                  </>
                )}
                <div>{reviewText(r)}</div>
                <Typography.Text type="secondary" className="panel-hint">
                  {formatChina(r.at, 'YYYY-MM-DD HH:mm:ss')}
                  {r.auditSeq !== null && ` · 审计 #${r.auditSeq}`}
                </Typography.Text>
              </div>
            ),
          }))}
        />
      )}
      {caseRow.status === 'decided' && caseRow.result && (
        <Descriptions size="small" column={1} bordered>
          {pending ? (
            <Descriptions.Item label="本工作站的结果">
              <Space size={4} wrap>
                <Tag>{RESULT_LABELS[caseRow.result]}</Tag>
                <CaseAwaitingTag awaiting={pending} />
              </Space>
            </Descriptions.Item>
          ) : (
            <Descriptions.Item label="办结结果">
              <Tag color={caseRow.result === 'approved' ? 'green' : caseRow.result === 'rejected' ? 'red' : 'orange'}>{RESULT_LABELS[caseRow.result]}</Tag>
            </Descriptions.Item>
          )}
          {certification && (
            <Descriptions.Item label="认定">
              <Space orientation="vertical" size={4}>
                {pending ? <Tag>待院内服务器确认后备案</Tag> : <Tag color={CERT_STATES[certification.state].color}>{CERT_STATES[certification.state].text}</Tag>}
                <Typography.Text type="secondary">
                  待遇期 {certification.begnDate} 至 {certification.endDate ?? '长期'} · 认定医师 {certification.physicianName}
                </Typography.Text>
                {!pending &&
                  (mayFile ? (
                    <CertificationFilingActions certification={certification} user={user} />
                  ) : (
                    certification.state === 'ready' && <Typography.Text type="secondary">已交医保办备案</Typography.Text>
                  ))}
              </Space>
            </Descriptions.Item>
          )}
        </Descriptions>
      )}
    </div>
  );
}

/** The stage as the pack names it; a tie-break review by its own label (002: 终审（第三名专家）). */
function stageLabel(pack: PolicyPack, r: Review): string {
  const stage = pack.process.stages.find((s) => s.id === r.stage);
  if (!stage) return r.stage;
  return r.tieBreak && stage.tieBreak ? stage.tieBreak.label : stage.label;
}
