import { Card, Empty, Progress, Segmented, Space, Table, Tag, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { recognitionFigures, repeatReasons, type RecognitionFigures } from '../../../../shared/review/recognition';
import { getDb } from '../../db/db';
import { useSession } from '../auth/session';
import { usePolicy } from '../policy/policy-store';

type By = 'physician' | 'department';

/**
 * 工作台 → 互认统计: the recognition rate and the reasons for repeats, per physician and per
 * department (issue 6 point 4), from the 互认 log on this workstation.
 */
export function RecognitionStats() {
  const { user } = useSession();
  const policy = usePolicy();
  const [by, setBy] = useState<By>('physician');
  const data = useLiveQuery(async () => {
    const db = getDb();
    const [entries, physicians, users] = await Promise.all([db.recognitions.toArray(), db.physicians.toArray(), db.users.toArray()]);
    const names = new Map<string, string>([...physicians.map((p) => [p.id, p.name] as const), ...users.map((u) => [u.id, u.displayName] as const)]);
    return { entries, names };
  }, []);
  const labels = new Map(policy ? repeatReasons(policy.entry.pack).map((r) => [r.code, r.label]) : []);
  const rows = data ? recognitionFigures(data.entries, by) : [];
  const total = data?.entries.length ?? 0;
  const recognised = data?.entries.filter((e) => e.decision.decision === 'recognised').length ?? 0;

  return (
    <Card
      size="small"
      title="检查检验结果互认统计"
      extra={<Segmented<By> size="small" value={by} onChange={setBy} options={[{ value: 'physician', label: '按医师' }, { value: 'department', label: '按科室' }]} />}
    >
      <Space size={24} className="stats-summary">
        <Typography.Text>共 {total} 条互认记录</Typography.Text>
        <Typography.Text>互认 {recognised} 条</Typography.Text>
        <Typography.Text>重复检查 {total - recognised} 条</Typography.Text>
        <Typography.Text>总互认率 {total ? `${((recognised / total) * 100).toFixed(1)}%` : '—'}</Typography.Text>
      </Space>
      <Table<RecognitionFigures>
        rowKey="key"
        size="small"
        pagination={false}
        dataSource={rows}
        loading={data === undefined}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="还没有互认记录：审核案件时对外院检查检验结果作出互认或重复检查决定后，这里会显示统计" /> }}
        rowClassName={(r) => (r.key === user.id ? 'stats-row-me' : '')}
        columns={[
          { title: by === 'physician' ? '医师' : '科室', key: 'key', width: 160, render: (_, r) => (by === 'physician' ? (data?.names.get(r.key) ?? r.key) : r.key || '未登记科室') },
          { title: '记录数', dataIndex: 'total', width: 80 },
          { title: '互认', dataIndex: 'recognised', width: 70 },
          { title: '重复检查', dataIndex: 'repeated', width: 90 },
          {
            title: '互认率',
            key: 'rate',
            width: 180,
            render: (_, r) => (r.rate === null ? '—' : <Progress percent={Math.round(r.rate * 1000) / 10} size="small" />),
          },
          {
            title: '重复检查理由',
            key: 'reasons',
            render: (_, r) =>
              r.reasons.length === 0 ? (
                <Typography.Text type="secondary">—</Typography.Text>
              ) : (
                r.reasons.map((x) => (
                  <Tag key={x.code} variant="filled">
                    {labels.get(x.code) ?? x.code} × {x.count}
                  </Tag>
                ))
              ),
          },
        ]}
      />
    </Card>
  );
}
