import { UploadOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, DatePicker, Input, Select, Space, Table, Typography, Upload } from 'antd';
import type { Dayjs } from 'dayjs';
import type { Dispatch, SetStateAction } from 'react';
import { MATERIAL_KIND_LABELS, type MaterialKind } from '../../../../shared/domain/material';
import { INTAKE_MIME_TYPES } from '../../../../shared/review/intake';
import { mimeOf } from './intake-repo';

/** A file chosen at the desk, not stored until the application is taken. */
export interface DraftFile {
  uid: string;
  file: File;
  kind: MaterialKind;
  documentDate: Dayjs | null;
  sourceInstitution: string;
  stamped: boolean;
}

const KIND_OPTIONS = Object.entries(MATERIAL_KIND_LABELS).map(([value, label]) => ({ value, label }));

/** A first guess from the file name; the clerk corrects it in the table. */
function guessKind(name: string): MaterialKind {
  if (/身份证|社保卡/.test(name)) return 'identity';
  if (/备案表|异地/.test(name)) return 'off-site-form';
  if (/报告|检验|检查|化验|影像/.test(name)) return 'exam-report';
  if (/手术|透析|治疗/.test(name)) return 'treatment-record';
  return 'medical-record';
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

interface Props {
  files: DraftFile[];
  /** A state setter: several files chosen at once arrive one call each, before any re-render. */
  onChange: Dispatch<SetStateAction<DraftFile[]>>;
  /** The pack's limit on all uploads together (002: 15 MB), when it sets one. */
  maxTotalBytes: number | null;
}

/** 申请材料: PDF or image files kept in the page until 受理 (Upload never sends anything anywhere). */
export function MaterialsInput({ files, onChange, maxTotalBytes }: Props) {
  const { message } = App.useApp();
  const total = files.reduce((sum, f) => sum + f.file.size, 0);
  const over = maxTotalBytes !== null && total > maxTotalBytes;
  const patch = (uid: string, change: Partial<DraftFile>) => onChange((all) => all.map((f) => (f.uid === uid ? { ...f, ...change } : f)));

  return (
    <div className="intake-materials">
      <Space size={12} align="center" wrap>
        <Upload
          accept=".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"
          multiple
          showUploadList={false}
          fileList={[]}
          beforeUpload={(file) => {
            if (!(INTAKE_MIME_TYPES as readonly string[]).includes(mimeOf(file.name, file.type))) {
              message.error(`“${file.name}”不是 PDF、JPEG 或 PNG 文件，未加入`);
              return false;
            }
            onChange((all) => [...all, { uid: file.uid, file, kind: guessKind(file.name), documentDate: null, sourceInstitution: '', stamped: false }]);
            return false;
          }}
        >
          <Button icon={<UploadOutlined />}>选择文件</Button>
        </Upload>
        <Typography.Text type={over ? 'danger' : 'secondary'}>
          PDF、JPEG 或 PNG；{files.length} 个文件，合计 {mb(total)}
          {maxTotalBytes !== null ? `（上限 ${mb(maxTotalBytes)}）` : ''}
        </Typography.Text>
      </Space>
      {files.length > 0 && (
        <Table<DraftFile>
          rowKey="uid"
          size="small"
          pagination={false}
          dataSource={files}
          className="intake-files"
          columns={[
            { title: '文件', render: (_, f) => `${f.file.name}（${mb(f.file.size)}）`, ellipsis: true },
            { title: '材料类型', width: 190, render: (_, f) => <Select aria-label="材料类型" size="small" style={{ width: '100%' }} value={f.kind} options={KIND_OPTIONS} onChange={(kind: MaterialKind) => patch(f.uid, { kind })} /> },
            { title: '文件日期', width: 150, render: (_, f) => <DatePicker aria-label="文件日期" size="small" value={f.documentDate} onChange={(d) => patch(f.uid, { documentDate: d ?? null })} /> },
            { title: '出具医院', width: 200, render: (_, f) => <Input aria-label="出具医院" size="small" value={f.sourceInstitution} onChange={(e) => patch(f.uid, { sourceInstitution: e.target.value })} /> },
            { title: '已盖章', width: 70, render: (_, f) => <Checkbox aria-label="已盖章" checked={f.stamped} onChange={(e) => patch(f.uid, { stamped: e.target.checked })} /> },
            { title: '', width: 60, render: (_, f) => <Button type="link" size="small" onClick={() => onChange((all) => all.filter((x) => x.uid !== f.uid))}>移除</Button> },
          ]}
        />
      )}
    </div>
  );
}
