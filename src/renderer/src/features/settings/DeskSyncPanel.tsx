import { App, Button, Descriptions, InputNumber, Space, Typography } from 'antd';
import { useState } from 'react';
import { saveStaleDays, STALE_DAYS_DEFAULT, staleDaysSchema, useStaleDays } from '../../hospital/desk-staleness';
import { errorText } from '../../lib/ipc';

/** 设置 → 同步: after how many days without reaching the hospital server 同步 warns (this desk's own setting). */
export function DeskSyncPanel() {
  const { message } = App.useApp();
  const days = useStaleDays();
  const [draft, setDraft] = useState<number | null>(null);

  const save = async () => {
    const parsed = staleDaysSchema.safeParse(draft);
    if (!parsed.success) return void message.error(parsed.error.issues[0]?.message ?? '无效的天数');
    try {
      await saveStaleDays(parsed.data);
      setDraft(null);
      message.success(`已保存：超过 ${parsed.data} 天未连上院内服务器时提醒`);
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <Descriptions column={1} bordered size="small" style={{ maxWidth: 640 }}>
      <Descriptions.Item label="未同步提醒">
        <Space>
          超过
          <InputNumber min={1} max={60} precision={0} value={draft ?? days} onChange={(v) => setDraft(v)} aria-label="未同步提醒天数" style={{ width: 80 }} />
          天未连上院内服务器时，“同步”页以警示色提醒
          <Button type="primary" disabled={draft === null || draft === days} onClick={() => void save()}>
            保存
          </Button>
        </Space>
      </Descriptions.Item>
      <Descriptions.Item label="说明">
        <Typography.Text type="secondary">仅对本工作站有效，默认 {STALE_DAYS_DEFAULT} 天。断网期间的操作保存在本机，连上院内服务器后自动发送。</Typography.Text>
      </Descriptions.Item>
    </Descriptions>
  );
}
