import { Space, Typography } from 'antd';
import { useSession } from '../auth/session';
import { CalendarNoticeBanner } from '../shell/CalendarNotice';
import { ReadyCertifications } from './ReadyCertifications';
import { RecognitionStats } from './RecognitionStats';
import { AwaitingCasesCard } from '../cases/AwaitingCases';

/** 工作台: the missing-calendar notice, the user's cases waiting for the server's answer, the certifications awaiting filing for the 医保办; for everyone the 互认 figures. */
export default function WorkbenchPage() {
  const { user } = useSession();
  return (
    <div className="page">
      <Typography.Title level={4}>工作台</Typography.Title>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        <CalendarNoticeBanner />
        <AwaitingCasesCard userId={user.id} />
        {(user.role === 'office' || user.role === 'admin') && <ReadyCertifications />}
        <RecognitionStats />
      </Space>
    </div>
  );
}
