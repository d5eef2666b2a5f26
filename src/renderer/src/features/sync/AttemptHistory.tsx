import { Descriptions, Timeline, Typography } from 'antd';
import type { OutboxItem } from '../../../../shared/sync/outbox-item';
import { attemptText, timeText } from './sync-labels';

/** One item's story: every send and verification with its msgid and outcome, and the frozen content's hash. */
export function AttemptHistory({ item }: { item: OutboxItem }) {
  const receipt = item.state.tag === 'accepted' ? item.state.receipt : undefined;
  return (
    <div className="sync-history">
      <Descriptions size="small" column={3}>
        <Descriptions.Item label="保存时间">{timeText(item.createdAt)}</Descriptions.Item>
        <Descriptions.Item label="录入人">{item.meta.createdBy ?? '—'}</Descriptions.Item>
        <Descriptions.Item label="发送次数">{item.sends}</Descriptions.Item>
        <Descriptions.Item label="内容摘要（SHA-256）">
          <Typography.Text code copyable={{ text: item.contentHash }}>
            {item.contentHash.slice(0, 16)}…
          </Typography.Text>
        </Descriptions.Item>
        {receipt && <Descriptions.Item label="平台回执">{Object.entries(receipt.values).map(([k, v]) => `${k}=${v}`).join('，') || '（无回执字段）'}</Descriptions.Item>}
        {item.state.tag === 'accepted' && (
          <Descriptions.Item label="确认方式">{item.state.via === 'reconcile' ? '发送结果未知，经 5301 查询核实已生效' : '平台应答'}</Descriptions.Item>
        )}
      </Descriptions>
      {item.attempts.length === 0 ? (
        <Typography.Text type="secondary">尚未发送。</Typography.Text>
      ) : (
        <Timeline
          items={item.attempts.map((a) => ({
            key: a.n,
            color: a.result === 'accepted' || a.result === 'found' ? 'green' : a.result === 'rejected' ? 'red' : a.result === 'transient' || a.result === 'failed' ? 'gray' : 'blue',
            title: timeText(a.at),
            content: (
              <span>
                第 {a.n} 次 · {attemptText(a)}
                {a.ms !== undefined && <Typography.Text type="secondary"> · {a.ms} 毫秒</Typography.Text>}
                {a.msgid && <Typography.Text type="secondary"> · 报文 {a.msgid}</Typography.Text>}
                {a.detail && <div>{a.detail}</div>}
              </span>
            ),
          }))}
        />
      )}
    </div>
  );
}
