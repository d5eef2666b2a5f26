import { Alert, Button, Descriptions, Space, Tag } from 'antd';
import { useEffect, useState } from 'react';
import type { ChainCheck } from '../../../../shared/audit/chain';
import { verifyAudit } from '../../db/audit';
import { getDb, requestPersistentStorage } from '../../db/db';
import { errorText } from '../../lib/ipc';

const mb = (bytes?: number) => (bytes === undefined ? '未知' : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/** Where the data lives, whether the browser may evict it, and whether the audit chain is intact. */
export function StoragePanel() {
  const [persisted, setPersisted] = useState<boolean>();
  const [estimate, setEstimate] = useState<StorageEstimate>();
  const [check, setCheck] = useState<ChainCheck | { error: string }>();

  useEffect(() => {
    void navigator.storage?.persisted?.().then(setPersisted);
    void navigator.storage?.estimate?.().then(setEstimate);
  }, []);

  const verify = async () => {
    try {
      setCheck(await verifyAudit(getDb()));
    } catch (e) {
      setCheck({ error: errorText(e) });
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 640 }}>
      <Descriptions column={1} bordered size="small">
        <Descriptions.Item label="本地数据库">IndexedDB「{getDb().name}」，版本 {getDb().verno}，写入采用严格持久化</Descriptions.Item>
        <Descriptions.Item label="持久存储">
          {persisted === undefined ? (
            '检查中…'
          ) : persisted ? (
            <Tag color="green">已授予：浏览器不会自动清除本地数据</Tag>
          ) : (
            <Space>
              <Tag color="orange">未授予</Tag>
              <Button size="small" onClick={() => void requestPersistentStorage().then(setPersisted)}>
                再次申请
              </Button>
            </Space>
          )}
        </Descriptions.Item>
        <Descriptions.Item label="已用 / 可用空间">
          {mb(estimate?.usage)} / {mb(estimate?.quota)}
        </Descriptions.Item>
        <Descriptions.Item label="审计链">
          <Button size="small" onClick={verify}>
            校验审计链
          </Button>
        </Descriptions.Item>
      </Descriptions>
      {check && 'error' in check && <Alert type="error" showIcon message={`校验失败：${check.error}`} />}
      {check && 'ok' in check && check.ok && <Alert type="success" showIcon message={`审计链完整，共 ${check.count} 条记录`} />}
      {check && 'ok' in check && !check.ok && <Alert type="error" showIcon message={`审计链被破坏：${check.reason}`} />}
    </Space>
  );
}
