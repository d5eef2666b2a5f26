import { Card, Tabs, Typography } from 'antd';
import { useHashRoute } from '../../lib/useHashRoute';
import { useSession } from '../auth/session';
import { BatchList, BatchView } from './FilingBatches';
import { FilingForm } from './FilingForm';
import { batchPath, filingsRoute } from './filing-ui';
import { ReadyToFile } from './ReadyToFile';

/**
 * 备案 (医保办): certifications waiting to be filed, submitted in batches to the hospital server,
 * which files them with the platform (2503); the batches and what became of each filing, live;
 * and, for an administrator, a filing without a concluded certification (with the reason). A
 * batch's page has its own address (#/filings/batches/<id>).
 */
export default function FilingsPage() {
  const [path, navigate] = useHashRoute('/filings');
  const { user } = useSession();
  const admin = user.role === 'admin';
  const route = filingsRoute(path);
  return (
    <Card>
      <Tabs
        activeKey={route.tab === 'new' && !admin ? 'ready' : route.tab}
        onChange={(key) => navigate(key === 'ready' ? '/filings' : `/filings/${key}`)}
        items={[
          { key: 'ready', label: '待备案', children: <ReadyToFile onSubmitted={(id) => navigate(batchPath(id))} /> },
          {
            key: 'batches',
            label: '备案批次',
            children:
              route.tab === 'batches' && route.batchId ? (
                <BatchView key={route.batchId} batchId={route.batchId} onBack={() => navigate('/filings/batches')} />
              ) : (
                <BatchList onOpen={(id) => navigate(batchPath(id))} />
              ),
          },
          ...(admin
            ? [
                {
                  key: 'new',
                  label: '无认定结论备案',
                  children: (
                    <>
                      <Typography.Paragraph type="secondary">
                        仅供管理员处理没有认定结论的特殊情况，须写明原因。保存后存入本机，发送到院内服务器后由其按本院平台设置生成报文并上传平台（2503）；已备案的认定如需更正，请在案件页“更正备案”。
                      </Typography.Paragraph>
                      <FilingForm />
                    </>
                  ),
                },
              ]
            : []),
        ]}
      />
    </Card>
  );
}
