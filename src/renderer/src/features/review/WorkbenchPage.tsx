import { Space, Typography } from 'antd';
import { useSession } from '../auth/session';
import { ReadyCertifications } from './ReadyCertifications';
import { RecognitionStats } from './RecognitionStats';

/** 工作台: for the 医保办 the certifications awaiting filing; for everyone the 互认 figures. */
export default function WorkbenchPage() {
  const { user } = useSession();
  return (
    <div className="page">
      <Typography.Title level={4}>工作台</Typography.Title>
      <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
        {(user.role === 'office' || user.role === 'admin') && <ReadyCertifications />}
        <RecognitionStats />
      </Space>
    </div>
  );
}
