import { LeftOutlined, RightOutlined, RotateRightOutlined, ZoomInOutlined, ZoomOutOutlined } from '@ant-design/icons';
import { Button, Empty, Space, Spin, Tag, Tooltip, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { lazy, Suspense } from 'react';
import { MATERIAL_KIND_LABELS, type Material } from '../../../../shared/domain/material';
import { getDb } from '../../db/db';
import { ImageViewer } from './ImageViewer';

// pdf.js is large; it loads when the first PDF is opened, not with the workstation.
const PdfViewer = lazy(() => import('./PdfViewer'));

export interface ViewState {
  page: number;
  pages: number;
  zoom: number;
  rotation: number;
}

export const ZOOM_STEPS = [0.5, 0.67, 0.8, 1, 1.25, 1.5, 2, 3] as const;
export const DEFAULT_ZOOM = 0.8;

/** The next zoom step up or down from `zoom`. */
export function stepZoom(zoom: number, dir: 1 | -1): number {
  const steps = dir > 0 ? ZOOM_STEPS : [...ZOOM_STEPS].reverse();
  return steps.find((s) => (dir > 0 ? s > zoom + 1e-6 : s < zoom - 1e-6)) ?? zoom;
}

interface Props {
  materials: Material[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  view: ViewState;
  onView: (patch: Partial<ViewState>) => void;
}

/** The case's materials: a list with each one's kind, date and issuing hospital, and the viewer. */
export function MaterialsPane({ materials, selectedId, onSelect, view, onView }: Props) {
  const selected = materials.find((m) => m.id === selectedId) ?? null;
  const attachment = useLiveQuery(async () => (selected?.attachmentId ? ((await getDb().attachments.get(selected.attachmentId)) ?? null) : null), [selected?.attachmentId]);
  const isPdf = selected?.mime === 'application/pdf';

  return (
    <div className="materials-pane">
      <div className="materials-list" role="listbox" aria-label="材料">
        {materials.length === 0 && <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="本案件没有材料" />}
        {materials.map((m) => (
          <div key={m.id} role="option" aria-selected={m.id === selectedId} tabIndex={-1} className={m.id === selectedId ? 'material-item material-item-selected' : 'material-item'} onClick={() => onSelect(m.id)}>
            <Typography.Text strong ellipsis className="material-title">
              {m.title}
            </Typography.Text>
            <div className="material-meta">
              <Tag variant="filled">{MATERIAL_KIND_LABELS[m.kind]}</Tag>
              {m.recordType && <Tag variant="filled">{m.recordType === 'inpatient' ? '住院' : '门诊'}</Tag>}
              {m.stamped ? <Tag color="green" variant="filled">已盖章</Tag> : <Tag color="orange" variant="filled">未盖章</Tag>}
            </div>
            <Typography.Text type="secondary" className="material-sub">
              {m.documentDate ?? '日期不详'} · {m.sourceInstitution || '来源不详'}
              {!m.attachmentId && ' · 无文件'}
            </Typography.Text>
          </div>
        ))}
      </div>
      <div className="viewer">
        <div className="viewer-toolbar">
          <Typography.Text strong ellipsis style={{ maxWidth: 360 }}>
            {selected ? selected.title : '请选择左侧材料'}
          </Typography.Text>
          {selected && (
            <Typography.Text type="secondary">
              {selected.documentDate ?? '日期不详'} · {selected.sourceInstitution || '来源不详'}
            </Typography.Text>
          )}
          <Space size={4} className="viewer-controls">
            {isPdf && (
              <>
                <Tooltip title="上一页（K）">
                  <Button size="small" icon={<LeftOutlined />} disabled={view.page <= 1} onClick={() => onView({ page: view.page - 1 })} aria-label="上一页" />
                </Tooltip>
                <Typography.Text aria-label="页码">
                  {view.page} / {view.pages || '…'}
                </Typography.Text>
                <Tooltip title="下一页（J）">
                  <Button size="small" icon={<RightOutlined />} disabled={view.page >= view.pages} onClick={() => onView({ page: view.page + 1 })} aria-label="下一页" />
                </Tooltip>
              </>
            )}
            <Tooltip title="缩小（-）">
              <Button size="small" icon={<ZoomOutOutlined />} onClick={() => onView({ zoom: stepZoom(view.zoom, -1) })} aria-label="缩小" />
            </Tooltip>
            <Typography.Text className="viewer-zoom">{Math.round(view.zoom * 100)}%</Typography.Text>
            <Tooltip title="放大（+）">
              <Button size="small" icon={<ZoomInOutlined />} onClick={() => onView({ zoom: stepZoom(view.zoom, 1) })} aria-label="放大" />
            </Tooltip>
            {selected && !isPdf && (
              <Tooltip title="旋转（O）">
                <Button size="small" icon={<RotateRightOutlined />} onClick={() => onView({ rotation: (view.rotation + 90) % 360 })} aria-label="旋转" />
              </Tooltip>
            )}
          </Space>
        </div>
        <div className="viewer-body">
          {!selected ? null : !selected.attachmentId ? (
            <Empty className="viewer-empty" description="该材料只有登记信息，没有扫描文件" />
          ) : attachment === undefined ? (
            <Spin className="viewer-loading" />
          ) : attachment === null ? (
            <Empty className="viewer-empty" description="文件已不在本机" />
          ) : isPdf ? (
            <Suspense fallback={<Spin className="viewer-loading" description="正在载入 PDF 查看器…" />}>
              <PdfViewer key={selected.id} blob={attachment.blob} page={view.page} zoom={view.zoom} onPageCount={(pages) => onView({ pages })} onPage={(page) => onView({ page })} />
            </Suspense>
          ) : (
            <ImageViewer blob={attachment.blob} zoom={view.zoom} rotation={view.rotation} alt={selected.title} />
          )}
        </div>
      </div>
    </div>
  );
}
