import { Typography } from 'antd';
import type { OutboxItem } from '../../../../shared/sync/outbox-item';
import { adviceFor } from './rejection-advice';

/** The platform's answer in words: its reason and what to do, the receipt, or why we wait. */
export function ItemExplanation({ item }: { item: OutboxItem }) {
  const s = item.state;
  switch (s.tag) {
    case 'accepted':
      return <Typography.Text>流水号 {s.receipt.values['trt_dcla_detl_sn'] ?? s.receipt.values['file_qury_no'] ?? '—'}{s.via === 'reconcile' ? '（经核实）' : ''}</Typography.Text>;
    case 'rejected': {
      if (s.handled) return <Typography.Text type="secondary">{s.reason}（已处理）</Typography.Text>;
      return (
        <>
          <Typography.Text type="danger">{s.source === 'platform' ? '平台：' : '工作站：'}{s.reason}</Typography.Text>
          <div>
            <Typography.Text type="secondary">{adviceFor(s).text}</Typography.Text>
          </div>
        </>
      );
    }
    case 'retrying':
      return <Typography.Text type="warning">{s.reason}（已连续失败 {s.failures} 次，将自动重试）</Typography.Text>;
    case 'unknown':
      return <Typography.Text>{s.reason}；将先向平台查询（5301）确认是否已生效，不会盲目重发</Typography.Text>;
    case 'sending':
      return <Typography.Text>第 {s.attempt} 次发送，等待平台应答</Typography.Text>;
    case 'queued':
      return <Typography.Text type="secondary">{item.sends > 0 ? '已核实未生效，等待重新发送' : '等待发送'}</Typography.Text>;
  }
}
