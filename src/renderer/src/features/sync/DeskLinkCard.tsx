import { Alert, Card, Typography } from 'antd';
import { formatChina } from '../../../../shared/time/china-time';
import { staleness, useLastReached, useStaleDays } from '../../hospital/desk-staleness';

export interface DeskLinkViewProps {
  /** When this desk last reached its server (ISO), null if never. */
  lastAt: string | null;
  allowedDays: number;
  now: Date;
  /** The desk's link is down now. */
  offline: boolean;
}

/** 同步 → 本工作站: when this desk last reached the hospital server, in a warning colour past the allowed days. */
export function DeskLinkView({ lastAt, allowedDays, now, offline }: DeskLinkViewProps) {
  const s = staleness(lastAt, now, allowedDays);
  const last = s.lastAt ? `${formatChina(s.lastAt, 'YYYY-MM-DD HH:mm')}（${s.days === 0 ? '今天' : `${s.days} 天前`}）` : '本机尚无记录';
  return (
    <div data-testid="desk-link" data-stale={s.stale ? 'true' : undefined}>
      <Typography.Text type={s.stale ? 'warning' : undefined}>
        本工作站上次与院内服务器同步：{last}
        {offline ? '；现在未连上' : ''}
      </Typography.Text>
      {s.stale && (
        <Alert
          style={{ marginTop: 8 }}
          type="warning"
          showIcon
          title={s.lastAt ? `本工作站已超过 ${allowedDays} 天未连上院内服务器` : '本工作站尚未与院内服务器同步过'}
          description="在本机保存的操作尚未送达院内服务器，也收不到他人的更新。请尽快联网同步；提醒天数可在“设置 → 同步”中修改。"
        />
      )}
    </div>
  );
}

export function DeskLinkCard({ offline, now = new Date() }: { offline: boolean; now?: Date }) {
  const lastAt = useLastReached();
  const allowedDays = useStaleDays();
  return (
    <Card size="small" title="本工作站与院内服务器">
      <DeskLinkView lastAt={lastAt} allowedDays={allowedDays} now={now} offline={offline} />
    </Card>
  );
}
