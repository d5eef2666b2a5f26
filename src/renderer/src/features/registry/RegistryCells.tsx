import { WarningFilled } from '@ant-design/icons';
import { Space, Tag, Tooltip, Typography } from 'antd';
import type { PhysicianProfile } from '../../../../shared/domain/physician';
import { RECORD_STATE_LABELS, type Eligibility, type RegistryStatus } from './registry-status';
import { formatChina } from '../../../../shared/time';

/** The registry list's cells: each state in words, the small print under its tag. */

export function RegistryCell({ status }: { status: RegistryStatus }) {
  const r = status.record;
  const label = status.state === 'none' ? { text: '未登记', color: 'default' } : RECORD_STATE_LABELS[status.state];
  const note =
    r === null
      ? '未在本院认定医师库备案'
      : status.state === 'invalid'
        ? `${r.invalidOn} 失效：${r.invalidReason ?? '未注明原因'}`
        : status.state === 'expired'
          ? `${r.expiresOn} 到期`
          : status.state === 'pending'
            ? `${r.registeredOn} 起生效`
            : `${r.department} · ${r.registeredOn} 登记${r.expiresOn ? `，至 ${r.expiresOn}` : ''}`;
  return (
    <Space orientation="vertical" size={0}>
      <Tag color={label.color}>{label.text}</Tag>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {note}
        {status.otherInstitutions > 0 ? `；另有 ${status.otherInstitutions} 条外院记录` : ''}
      </Typography.Text>
    </Space>
  );
}

export function EligibilityCell({ e }: { e: Eligibility }) {
  const reasons = e.reasons.slice(0, 3);
  return (
    <Space orientation="vertical" size={0}>
      {e.flagged ? (
        <Tag color="error">暂停抽取（待处理标记）</Tag>
      ) : e.eligible.length > 0 ? (
        <Tooltip title={e.eligible.join('、')}>
          <Tag color="success">可认定 {e.eligible.length} 个病种</Tag>
        </Tooltip>
      ) : (
        <Tag color="warning">暂不可认定</Tag>
      )}
      {reasons.length > 0 && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {e.eligible.length > 0 ? '其余本科室病种：' : ''}
          {reasons.join('；')}
          {e.reasons.length > reasons.length ? ` 等 ${e.reasons.length} 项` : ''}
        </Typography.Text>
      )}
    </Space>
  );
}

export function FlagCell({ flag }: { flag: PhysicianProfile['flag'] }) {
  if (!flag) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Space orientation="vertical" size={0}>
      <Tag color="error" icon={<WarningFilled />}>
        连续 {flag.streak} 次拒绝/超时
      </Tag>
      <Typography.Text type="danger" style={{ fontSize: 12 }}>
        {formatChina(flag.at, 'YYYY-MM-DD HH:mm')} 标记，待医保办处理
      </Typography.Text>
    </Space>
  );
}
