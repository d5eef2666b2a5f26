import { Card, Tabs, Typography } from 'antd';
import { useHashRoute } from '../../lib/useHashRoute';
import { BatchList, BatchView } from './FilingBatches';
import { FilingForm } from './FilingForm';
import { batchPath, filingsRoute } from './filing-ui';
import { ReadyToFile } from './ReadyToFile';

/**
 * 备案 (医保办): certifications waiting to be filed, submitted in batches to the hospital server,
 * which files them with the platform (2503); the batches and what became of each filing, live;
 * and a filing typed in by hand. A batch's page has its own address (#/filings/batches/<id>).
 */
export default function FilingsPage() {
  const [path, navigate] = useHashRoute('/filings');
  const route = filingsRoute(path);
  return (
    <Card>
      <Tabs
        activeKey={route.tab}
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
          {
            key: 'new',
            label: '新建备案',
            children: (
              <>
                <Typography.Paragraph type="secondary">
                  保存后备案立即存入本机，并按顺序自动上传平台（2503）；离线时照常保存，联网后上传。已保存的备案不能修改，如需更正请在“同步”页撤销后重新备案。
                </Typography.Paragraph>
                <FilingForm />
              </>
            ),
          },
        ]}
      />
    </Card>
  );
}
