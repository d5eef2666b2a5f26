import { Card, Empty, Table, Tag, Tooltip, Typography } from 'antd';
import type { CaseFileModel, HeldDisease, Standing, Tone } from '../../../../shared/case-file/case-file';
import { caseRoute } from './case-file-route';
import type { CaseAwaiting } from '../../hospital/case-commands';
import { CaseAwaitingTag } from '../cases/CaseAwaitingTag';

/** antd Tag colours for the case file's tones. */
export const TAG_COLOR: Record<Tone, string> = { blue: 'processing', green: 'success', red: 'error', orange: 'warning', gray: 'default' };

const STANDING: Record<Standing, string | null> = { active: null, upcoming: '尚未开始', continuing: '复审期间延续' };
const CATEGORY = { special: '特殊疾病', chronic: '慢性病' } as const;
// Dates and tags read badly when broken across lines.
const noWrap = () => ({ style: { whiteSpace: 'nowrap' as const } });

function ReReviewCell({ h }: { h: HeldDisease }) {
  const r = h.reReview;
  if (r.kind !== 'term') return <Typography.Text type="secondary">{r.message}</Typography.Text>;
  const tag = r.state === 'due-soon' ? '即将到期' : r.state === 'lapsed' ? '已逾期' : r.state === 'applied' ? '已申请复审' : null;
  return (
    <Tooltip title={`${r.message}（来源：${r.source}）`}>
      <span>
        {r.endsOn}
        {tag && h.reminder && <Tag color={TAG_COLOR[h.reminder.tone]} style={{ marginInlineStart: 8 }}>{tag}</Tag>}
      </span>
    </Tooltip>
  );
}

function InactivityCell({ h }: { h: HeldDisease }) {
  const f = h.inactivity;
  if (!f.applicable) return <Typography.Text type="secondary">{f.message}</Typography.Text>;
  return (
    <span>
      {f.flagged ? <Tag color="warning">{f.costKnown ? '纳入复审' : '可能纳入复审'}</Tag> : <Tag>未触发</Tag>}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>{f.message}</Typography.Text>
    </span>
  );
}

/** What the person holds today: the diseases with their periods, filing, re-review and limits, and what they exclude. */
export function HoldingsPanel({ file, awaiting }: { file: CaseFileModel; awaiting?: ReadonlyMap<string, CaseAwaiting> }) {
  const { held, exclusions } = file.holdings;
  return (
    <Card size="small" className="case-file-section" title="当前享受的病种">
      {held.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="目前没有有效的慢特病认定" />
      ) : (
        <Table<HeldDisease>
          size="small"
          pagination={false}
          rowKey={(h) => h.certification.id}
          dataSource={held}
          columns={[
            {
              title: '病种',
              onCell: noWrap,
              render: (_, h) => (
                <span>
                  {h.certification.diseaseName}
                  {h.category && <Tag style={{ marginInlineStart: 8 }}>{CATEGORY[h.category]}</Tag>}
                </span>
              ),
            },
            {
              title: '待遇期',
              onCell: noWrap,
              render: (_, h) => (
                <span>
                  {h.certification.begnDate} 至 {h.certification.endDate ?? '长期'}
                  {STANDING[h.standing] && <Tag color="processing" style={{ marginInlineStart: 8 }}>{STANDING[h.standing]}</Tag>}
                </span>
              ),
            },
            {
              title: '备案',
              render: (_, h) => {
                // Certified on this desk by a conclusion the server has not applied: nothing to file yet.
                const a = awaiting?.get(h.certification.caseId);
                if (a?.state === 'pending') return <CaseAwaitingTag awaiting={a} />;
                return (
                  <span>
                    <Tag color={TAG_COLOR[h.filing.tone]}>{h.filing.label}</Tag>
                    {h.certification.state === 'ready' && <a href={`#${caseRoute(h.certification.caseId)}`}>去备案</a>}
                    {h.filing.receipt && <Typography.Text type="secondary">流水号 {h.filing.receipt}</Typography.Text>}
                    {h.filing.reason && <Typography.Text type="danger">{h.filing.reason}</Typography.Text>}
                  </span>
                );
              },
            },
            { title: '复审期限', onCell: noWrap, render: (_, h) => <ReReviewCell h={h} /> },
            { title: '待遇限额', render: (_, h) => (h.limit ? <Tooltip title={`来源：${h.limit.source}`}>{h.limit.message}</Tooltip> : '—') },
            { title: '无费用筛查', render: (_, h) => <InactivityCell h={h} /> },
          ]}
        />
      )}
      {exclusions.blocks.length > 0 && (
        <div className="case-file-section">
          <Typography.Text strong>互斥病种</Typography.Text>
          <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
            {exclusions.blocks.map((b) => (
              <li key={b.held.code}>
                已享受{b.held.name}，不能同时享受：
                {b.diseases.map((d) => `${d.name}${d.exception ? `（${d.exception}除外）` : ''}`).join('、')}
                <Typography.Text type="secondary">（来源：{[...new Set(b.diseases.map((d) => d.source))].join('、')}）</Typography.Text>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}
