import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Card, Typography } from 'antd';
import type { ReactNode } from 'react';

/** The centred card used by first-run setup, login and the lock screen. */
export function AuthCard({ title, subtitle, children }: { title: string; subtitle?: ReactNode; children: ReactNode }) {
  return (
    <div className="auth-backdrop">
      <Card className="auth-card" variant="borderless">
        <div className="auth-brand">
          <SafetyCertificateOutlined className="auth-logo" />
          <div>
            <Typography.Title level={4} style={{ margin: 0 }}>
              慢特病认定工作站
            </Typography.Title>
            <Typography.Text type="secondary">门诊慢特病 认定 · 复核 · 备案</Typography.Text>
          </div>
        </div>
        <Typography.Title level={5} style={{ marginTop: 24 }}>
          {title}
        </Typography.Title>
        {subtitle && <Typography.Paragraph type="secondary">{subtitle}</Typography.Paragraph>}
        {children}
      </Card>
    </div>
  );
}
