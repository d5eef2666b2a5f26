import { PlusOutlined } from '@ant-design/icons';
import { Button, Col, Empty, Row, Table, Tag, Timeline, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import type { AuditEntry } from '../../../../shared/audit/chain';
import type { PhysicianProfile, RegistryRecordRow } from '../../../../shared/domain/physician';
import { getDb } from '../../db/db';
import { physicianHistory } from './registry-repo';
import { RECORD_STATE_LABELS, recordState } from './registry-status';
import { formatChina } from '../../../../shared/time';

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** One audit entry about a physician, in words. */
function describe(e: AuditEntry): { text: string; color: string } {
  const d = e.detail;
  switch (e.kind) {
    case 'physician.profile.saved':
      return { text: d['created'] ? '建立认定医师资料' : '修改认定医师资料', color: 'blue' };
    case 'physician.registry.added':
      return { text: `新增备案：${str(d['department'])}，${str(d['registeredOn'])} 登记${d['expiresOn'] ? `，${str(d['expiresOn'])} 到期` : ''}`, color: 'green' };
    case 'physician.registry.invalidated':
      return d['cause'] === 'refusal-limit'
        ? { text: `取消认定资格：${str(d['reason'])}`, color: 'red' }
        : { text: `备案失效（${str(d['invalidOn'])}）：${str(d['reason'])}`, color: 'red' };
    case 'physician.flagged':
      return { text: `系统标记：连续 ${String(d['streak'] ?? '')} 次拒绝或超时未受理`, color: 'red' };
    case 'physician.flag.cleared':
      return { text: `解除标记：${str(d['reason'])}`, color: 'gray' };
    default:
      return { text: e.kind, color: 'gray' };
  }
}

/**
 * A physician's registry records (never deleted, 000), payment-qualification periods and the
 * history of the 医保办's decisions, shown under the physician's row.
 */
export function PhysicianDetail({
  profile,
  institutionCode,
  today,
  canEdit,
  userNames,
  onAdd,
  onInvalidate,
}: {
  profile: PhysicianProfile;
  institutionCode: string | undefined;
  today: string;
  canEdit: boolean;
  userNames: ReadonlyMap<string, string>;
  onAdd: () => void;
  onInvalidate: (index: number) => void;
}) {
  const history = useLiveQuery(() => physicianHistory(getDb(), profile.id), [profile.id]);
  const records = profile.registry.map((r, index) => ({ ...r, index }));

  return (
    <Row gutter={[24, 12]}>
      <Col xs={24} xl={15}>
        <Typography.Text strong>认定医师库记录</Typography.Text>
        <Typography.Text type="secondary"> · 到期和失效的记录连同日期保留，不删除</Typography.Text>
        <Table<RegistryRecordRow & { index: number }>
          size="small"
          rowKey="index"
          pagination={false}
          style={{ marginTop: 8 }}
          dataSource={records}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={canEdit ? '尚无备案记录：点击“新增备案”登记后，该医师才会参与本院认定' : '尚无备案记录'} /> }}
          columns={[
            {
              title: '机构编码',
              dataIndex: 'institutionCode',
              render: (code: string) => (institutionCode !== undefined && code !== institutionCode ? <span>{code} <Tag>外院</Tag></span> : code),
            },
            { title: '备案科室', dataIndex: 'department' },
            { title: '登记日期', dataIndex: 'registeredOn' },
            { title: '到期日期', dataIndex: 'expiresOn', render: (d: string | null) => d ?? '长期' },
            {
              title: '状态',
              key: 'state',
              render: (_, r) => {
                const s = RECORD_STATE_LABELS[recordState(r, today)];
                return <Tag color={s.color}>{s.text}</Tag>;
              },
            },
            {
              title: '失效',
              key: 'invalid',
              render: (_, r) => (r.invalidOn ? <Typography.Text type="danger">{r.invalidOn}：{r.invalidReason ?? '未注明原因'}</Typography.Text> : r.invalidOn === null && r.expiresOn !== null && r.expiresOn < today ? '已到期' : '—'),
            },
            ...(canEdit
              ? [
                  {
                    title: '操作',
                    key: 'actions',
                    render: (_: unknown, r: RegistryRecordRow & { index: number }) =>
                      r.invalidOn === null ? (
                        <Button size="small" type="link" danger onClick={() => onInvalidate(r.index)}>
                          登记失效
                        </Button>
                      ) : null,
                  },
                ]
              : []),
          ]}
        />
        {canEdit && (
          <Button size="small" icon={<PlusOutlined />} style={{ marginTop: 8 }} onClick={onAdd}>
            新增备案
          </Button>
        )}
        <div style={{ marginTop: 16 }}>
          <Typography.Text strong>医保支付资格</Typography.Text>
          {profile.paymentQualifications.length === 0 ? (
            <Typography.Paragraph type="danger">未登记医保支付资格，不能担任认定医师。</Typography.Paragraph>
          ) : (
            <ul style={{ margin: '4px 0 0', paddingInlineStart: 20 }}>
              {profile.paymentQualifications.map((q, i) => (
                <li key={i}>
                  {q.code ?? <Typography.Text type="secondary">未填医保医师代码</Typography.Text>}：{q.from} 起{q.to ? `，至 ${q.to}` : '，长期'}
                </li>
              ))}
            </ul>
          )}
          <Typography.Text type="secondary">执业范围：{profile.practiceScopes.length > 0 ? profile.practiceScopes.join('、') : '未填写'}</Typography.Text>
        </div>
      </Col>
      <Col xs={24} xl={9}>
        <Typography.Text strong>处理记录</Typography.Text>
        <div style={{ marginTop: 12 }}>
          {history && history.length === 0 && <Typography.Text type="secondary">审计日志中没有该医师的资料变更或标记处理。</Typography.Text>}
          {history && history.length > 0 && (
            <Timeline
              items={history.slice(0, 20).map((e) => {
                const d = describe(e);
                return {
                  key: e.seq,
                  color: d.color,
                  content: (
                    <>
                      <div>{d.text}</div>
                      <Typography.Text type="secondary">
                        {formatChina(e.at, 'YYYY-MM-DD HH:mm')} · {e.actorId === null ? '系统' : (userNames.get(e.actorId) ?? e.actorId)}
                      </Typography.Text>
                    </>
                  ),
                };
              })}
            />
          )}
        </div>
      </Col>
    </Row>
  );
}
