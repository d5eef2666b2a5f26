import { App, Button, Descriptions, InputNumber, Space, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { IDLE_LOCK_DEFAULT_MINUTES, idleLockMinutesSchema } from '../../../../shared/domain/user';
import { appendAudit } from '../../db/audit';
import { getDb, getSetting } from '../../db/db';
import { errorText } from '../../lib/ipc';
import { useSession } from '../auth/session';

export const IDLE_LOCK_KEY = 'idleLockMinutes';

/** The idle-lock minutes, live; the default until an administrator changes it. */
export const useIdleLockMinutes = (): number =>
  useLiveQuery(() => getSetting(getDb(), IDLE_LOCK_KEY, IDLE_LOCK_DEFAULT_MINUTES), []) ?? IDLE_LOCK_DEFAULT_MINUTES;

/** Idle lock: how long the workstation waits before it locks itself. Administrators change it. */
export function SecurityPanel() {
  const { user } = useSession();
  const { message } = App.useApp();
  const minutes = useIdleLockMinutes();
  const [draft, setDraft] = useState<number | null>(null);
  const isAdmin = user.role === 'admin';

  const save = async () => {
    const parsed = idleLockMinutesSchema.safeParse(draft);
    if (!parsed.success) return message.error(parsed.error.issues[0]?.message ?? '无效的分钟数');
    try {
      const db = getDb();
      await db.transaction('rw', db.settings, db.audit, async () => {
        await db.settings.put({ key: IDLE_LOCK_KEY, value: parsed.data });
        await appendAudit(db, { kind: 'settings.idleLock', actorId: user.id, subject: IDLE_LOCK_KEY, detail: { minutes: parsed.data } });
      });
      setDraft(null);
      message.success(`已保存：无操作 ${parsed.data} 分钟后自动锁定`);
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <Descriptions column={1} bordered size="small" style={{ maxWidth: 640 }}>
      <Descriptions.Item label="无操作自动锁定">
        {isAdmin ? (
          <Space>
            <InputNumber
              min={1}
              max={120}
              value={draft ?? minutes}
              onChange={(v) => setDraft(v)}
              addonAfter="分钟"
              aria-label="自动锁定分钟数"
            />
            <Button type="primary" disabled={draft === null || draft === minutes} onClick={save}>
              保存
            </Button>
          </Space>
        ) : (
          <Typography.Text>{minutes} 分钟（由管理员设置）</Typography.Text>
        )}
      </Descriptions.Item>
      <Descriptions.Item label="手动锁定">随时点击顶部「锁定」或按 Ctrl+L</Descriptions.Item>
      <Descriptions.Item label="密码保存方式">scrypt 加盐摘要，由主进程计算；本机不保存明文密码</Descriptions.Item>
    </Descriptions>
  );
}
