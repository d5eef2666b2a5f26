import { Space, Typography } from 'antd';
import { worksThroughServer } from '../../hospital/desk-session';
import { linkDown } from '../../hospital/desk-sync';
import { useDeskStatus } from '../../hospital/useDeskStatus';
import { useOnline } from '../../lib/useOnline';
import { useSession } from '../auth/session';
import { ConflictsCard, DeskCommandsCard } from './DeskCommandsCard';
import { DeskLinkCard } from './DeskLinkCard';
import { ServerPlatformSection } from './PlatformCard';

/**
 * 同步, in two parts:
 * - 全院: the hospital server's link to the provincial platform (only the server talks to it), its
 *   messages needing a person and those held for another platform; decisions refused by the server;
 * - 本工作站: when this desk last reached the server (a warning past the days set in 设置 → 同步)
 *   and its own commands not yet on the server.
 */
export default function SyncPage() {
  const { user } = useSession();
  const online = useOnline();
  const desk = useDeskStatus();
  const offline = desk ? linkDown(desk) : !online;
  const linked = worksThroughServer();
  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }} data-testid="sync-page">
      <Typography.Title level={5} style={{ margin: 0 }}>
        全院
      </Typography.Title>
      <ServerPlatformSection />
      {linked && user.role !== 'physician' && <ConflictsCard />}
      <Typography.Title level={5} style={{ margin: 0 }}>
        本工作站
      </Typography.Title>
      <DeskLinkCard offline={offline} />
      {linked && <DeskCommandsCard online={!offline} />}
    </Space>
  );
}
