import { ImportOutlined } from '@ant-design/icons';
import { Alert, App, Button, Space, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { coveredYears, missingCalendarYear, type CalendarYear } from '../../../../shared/policy/calendar';
import { getDb } from '../../db/db';
import { errorText } from '../../lib/ipc';
import { useSession } from '../auth/session';
import { useNow } from '../../lib/useNow';
import { calendarNoticeText } from '../shell/CalendarNotice';
import { ImportErrors } from './ImportErrors';
import { importCalendar, type PolicyState } from './policy-store';

/** How a year's calendar is listed everywhere: official or provisional, never silently alike. */
export function CalendarStatusTag({ year }: { year: Pick<CalendarYear, 'status'> }) {
  return year.status === 'official' ? (
    <Tag color="green" variant="filled">
      正式
    </Tag>
  ) : (
    <Tag color="orange" variant="filled" data-testid="calendar-provisional">
      暂定
    </Tag>
  );
}

/**
 * 设置 → 政策 → 节假日日历: the years working-day deadlines can be counted in, each marked official
 * or provisional with its source, the year still missing, and the import (administrators and the
 * 医保办: they are the ones who read the State Council's notice each autumn).
 */
export function CalendarTab({ state }: { state: PolicyState }) {
  const { user } = useSession();
  const { message } = App.useApp();
  const now = useNow(60_000);
  const [errors, setErrors] = useState<string[]>();
  const missing = missingCalendarYear(state.calendar, now);
  const canImport = user.role === 'admin' || user.role === 'office';
  const years = coveredYears(state.calendar)
    .reverse()
    .map((y) => state.calendar.years.get(y)!);

  const onFile = (file: File) => {
    void file
      .text()
      .then(async (text) => {
        const result = await importCalendar(getDb(), text, user);
        if (!result.ok) return setErrors(result.errors);
        setErrors(undefined);
        message.success(`已导入 ${result.year} 年节假日日历，相关办结时限已重新计算`);
      })
      .catch((e) => message.error(errorText(e)));
    return false; // read locally, never uploaded
  };

  return (
    <Space direction="vertical" style={{ width: '100%', maxWidth: 960 }}>
      <Typography.Paragraph>
        工作日时限按法定节假日和调休上班日计算。某年日历未导入时，数到该年的办结时限显示为“时限待定”，导入后自动算出；不会按仅周末推算。
      </Typography.Paragraph>
      {missing !== null && <Alert type="warning" showIcon data-testid="calendar-missing" title={`尚无 ${missing} 年节假日日历`} description={calendarNoticeText(missing)} />}
      {canImport && (
        <Space>
          <Upload accept=".json,application/json" showUploadList={false} beforeUpload={onFile}>
            <Button icon={<ImportOutlined />} type={missing !== null ? 'primary' : 'default'}>
              导入节假日日历…
            </Button>
          </Upload>
          <Typography.Text type="secondary">JSON 文件，格式见 README“节假日日历文件”；同一年份再次导入即替换。</Typography.Text>
        </Space>
      )}
      {errors && <ImportErrors title="节假日日历无效，未导入" errors={errors} onClose={() => setErrors(undefined)} />}
      <Table<CalendarYear>
        rowKey="year"
        size="small"
        pagination={{ pageSize: 8, hideOnSinglePage: true }}
        dataSource={years}
        columns={[
          { title: '年份', dataIndex: 'year', width: 80 },
          { title: '状态', key: 'status', width: 80, render: (_, y) => <CalendarStatusTag year={y} /> },
          { title: '放假日', key: 'holidays', width: 80, render: (_, y) => `${y.holidays.size} 天` },
          { title: '调休上班', key: 'workdays', width: 90, render: (_, y) => `${y.workdays.size} 天` },
          {
            title: '来源',
            key: 'source',
            render: (_, y) => (
              <span>
                {y.source.reference}
                {state.importedYears.includes(y.year) && (
                  <Tag variant="filled" style={{ marginLeft: 8 }}>
                    已导入
                  </Tag>
                )}
              </span>
            ),
          },
        ]}
      />
    </Space>
  );
}
