import { Empty, Typography } from 'antd';

/** What an area shows before its feature exists: a plain statement, never made-up data. */
export function EmptySection({ title, description }: { title: string; description: string }) {
  return (
    <div className="page">
      <Typography.Title level={4}>{title}</Typography.Title>
      <Empty className="empty-section" image={Empty.PRESENTED_IMAGE_SIMPLE} description={description} />
    </div>
  );
}
