import { Card, Space, Table, Tag, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import type { OutboxItem } from '../../../../shared/sync/outbox-item';
import { getDb } from '../../db/db';
import { itemSummary, stateLabel, timeText } from '../sync/sync-labels';
import { FilingForm } from './FilingForm';

const RECENT = 20;

/** 备案 (医保办): file a certified person with the platform, and see what became of recent filings. */
export default function FilingsPage() {
  const recent = useLiveQuery(
    () => getDb().outbox.orderBy('seq').reverse().filter((i) => i.kind === 'filing').limit(RECENT).toArray(),
    [],
    [] as OutboxItem[],
  );
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Card title="新建备案">
        <Typography.Paragraph type="secondary">
          保存后备案立即存入本机，并按顺序自动上传平台（2503）；离线时照常保存，联网后上传。已保存的备案不能修改，如需更正请在“同步”页撤销后重新备案。
        </Typography.Paragraph>
        <FilingForm />
      </Card>
      <Card title={`最近 ${RECENT} 条备案`}>
        <Table<OutboxItem>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={recent}
          locale={{ emptyText: '还没有备案' }}
          columns={[
            { title: '保存时间', dataIndex: 'createdAt', width: 150, render: (v: string) => timeText(v) },
            { title: '参保人', render: (_, i) => `${i.meta.psnName ?? ''}（${i.lane}）` },
            { title: '病种', render: (_, i) => itemSummary(i) },
            {
              title: '状态',
              width: 120,
              render: (_, i) => {
                const s = stateLabel(i.state);
                return <Tag color={s.color}>{s.text}</Tag>;
              },
            },
            {
              title: '备案流水号',
              render: (_, i) => (i.state.tag === 'accepted' ? (i.state.receipt.values['trt_dcla_detl_sn'] ?? '—') : '—'),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
