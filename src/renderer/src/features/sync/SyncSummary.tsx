import { Alert, Card, Col, Row, Statistic } from 'antd';
import type { SyncStatus } from '../../sync/useSyncStatus';
import { whenText } from './sync-labels';

/** The outbox in numbers at the top of 同步, and why sync stopped when it did. */
export function SyncSummary({ status, online, accepted }: { status: SyncStatus; online: boolean; accepted: number }) {
  return (
    <>
      <Row gutter={[16, 16]}>
        <Col xs={12} md={8} xl={4}>
          <Card size="small">
            <Statistic title="网络" value={online ? '在线' : '离线'} styles={{ content: { color: online ? '#389e0d' : '#d48806' } }} />
          </Card>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Card size="small" data-testid="sync-waiting">
            <Statistic title="等待上传" value={status.waiting} />
          </Card>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Card size="small" data-testid="sync-inflight">
            <Statistic title="在途/待核实" value={status.inFlight} />
          </Card>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Card size="small" data-testid="sync-attention">
            <Statistic title="需处理" value={status.needsAttention} styles={{ content: status.needsAttention ? { color: '#cf1322' } : {} }} />
          </Card>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Card size="small" data-testid="sync-accepted">
            <Statistic title="平台已接受" value={accepted} />
          </Card>
        </Col>
        <Col xs={12} md={8} xl={4}>
          <Card size="small">
            <Statistic title="下次尝试" value={status.nextAttemptAt ? whenText(status.nextAttemptAt) : '—'} styles={{ content: { fontSize: 16 } }} />
          </Card>
        </Col>
      </Row>
      {!online && <Alert type="warning" showIcon title="网络已断开：新的备案照常保存在本机，恢复联网后自动上传。" />}
      {status.lastError && <Alert type="error" showIcon title={`同步已停止：${status.lastError}`} description="工作站会在 10 秒后再次尝试；若是磁盘已满，请先清理空间。" />}
    </>
  );
}
