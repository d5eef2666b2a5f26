import { ArrowLeftOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Empty, Result, Spin, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { getDb } from '../../db/db';
import { useSession } from '../auth/session';
import { acceptAssignment } from '../cases/assignment-repo';
import { useReviewContext } from '../cases/useReviewContext';
import { CaseProgress } from './CaseProgress';
import { ConclusionPanel, type ConclusionHandle } from './ConclusionPanel';
import { CriteriaChecklist } from './CriteriaChecklist';
import { DEFAULT_ZOOM, MaterialsPane, stepZoom, type ViewState } from './MaterialsPane';
import { PatientHeader } from './PatientHeader';
import { RecognitionLog } from './RecognitionLog';
import { useCaseReview } from './useCaseReview';
import { useCaseAwaitingOf } from '../../hospital/case-commands';
import './review.css';

const FRESH_VIEW: ViewState = { page: 1, pages: 0, zoom: DEFAULT_ZOOM, rotation: 0 };

/** Keys typed into a field or a dialog are the field's, not shortcuts. */
const isTyping = (target: EventTarget | null) => target instanceof HTMLElement && target.closest('input, textarea, .ant-select, .ant-modal, [role="dialog"]') !== null;

/**
 * 案件审核: the materials large on the left (pdf.js for PDFs, zoom and rotate for images), and on
 * the right the admission criteria, the 互认 log, the conclusion and the case's progress. Keys:
 * J/K page, +/- zoom, O rotate, [/] material, R next result to recognise, A accept, C conclude,
 * Esc back to where the case was opened from.
 */
export default function ReviewPage({ caseId, onBack, backLabel = '待审案件' }: { caseId: string; onBack: () => void; /** Where 返回 leads (the page the case was opened from). */ backLabel?: string }) {
  const { user } = useSession();
  const ctx = useReviewContext();
  const { message } = App.useApp();
  const data = useCaseReview(caseId, user);
  const awaiting = useCaseAwaitingOf(caseId);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [view, setView] = useState<ViewState>(FRESH_VIEW);
  const [criteria, setCriteria] = useState<string[]>([]);
  const [focusId, setFocusId] = useState<string | null>(null);
  const conclusionRef = useRef<ConclusionHandle>(null);

  const materials = data?.materials;
  // Open the first scanned record by default: the physician reads the medical record first.
  const current = selectedId ?? materials?.find((m) => m.attachmentId && m.kind === 'medical-record')?.id ?? materials?.find((m) => m.attachmentId)?.id ?? materials?.[0]?.id ?? null;
  const select = useCallback((id: string) => {
    setSelectedId(id);
    setView((v) => ({ ...FRESH_VIEW, zoom: v.zoom }));
  }, []);
  const patchView = useCallback((patch: Partial<ViewState>) => setView((v) => ({ ...v, ...patch })), []);

  const mine = data?.mine ?? null;
  const accept = useCallback(async () => {
    if (!mine || mine.state !== 'offered') return;
    const r = await acceptAssignment(getDb(), mine.id, user.id);
    if (r.ok) message.success('已受理');
    else message.error(r.message);
  }, [mine, message, user.id]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.altKey || e.metaKey || isTyping(e.target) || !data) return;
      const key = e.key;
      const list = data.materials;
      const at = list.findIndex((m) => m.id === current);
      let handled = true;
      if (key === 'j' || key === 'J' || key === 'PageDown') setView((v) => ({ ...v, page: Math.min(v.pages || 1, v.page + 1) }));
      else if (key === 'k' || key === 'K' || key === 'PageUp') setView((v) => ({ ...v, page: Math.max(1, v.page - 1) }));
      else if (key === '+' || key === '=') setView((v) => ({ ...v, zoom: stepZoom(v.zoom, 1) }));
      else if (key === '-' || key === '_') setView((v) => ({ ...v, zoom: stepZoom(v.zoom, -1) }));
      else if (key === 'o' || key === 'O') setView((v) => ({ ...v, rotation: (v.rotation + 90) % 360 }));
      else if (key === ']' && list.length > 0) select(list[Math.min(list.length - 1, at + 1)]!.id);
      else if (key === '[' && list.length > 0) select(list[Math.max(0, at - 1)]!.id);
      else if (key === 'r' || key === 'R') {
        const next = data.results.find((r) => !data.recognitions.some((x) => x.resultId === r.id && x.physicianId === user.id));
        if (next) setFocusId(next.id);
      } else if (key === 'a' || key === 'A') void accept();
      else if (key === 'c' || key === 'C') conclusionRef.current?.submit();
      else if (key === 'Escape') onBack();
      else handled = false;
      if (handled) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [data, current, select, accept, onBack, user.id]);

  if (data === undefined || !ctx) return <Spin className="review-loading" />;
  if (data === null) return <Result status="404" title="找不到该案件" extra={<Button onClick={onBack}>返回{backLabel}</Button>} />;
  const { caseRow } = data;
  const canDecide = mine?.state === 'accepted';

  return (
    <div className="review-page" aria-label="案件审核">
      <div className="review-top">
        <Button type="text" icon={<ArrowLeftOutlined />} onClick={onBack} aria-label={`返回${backLabel}`}>
          返回（Esc）
        </Button>
        <PatientHeader pack={ctx.pack} caseRow={caseRow} person={data.person} heldCodes={data.heldCodes} awaiting={awaiting} />
      </div>
      <div className="review-body">
        <div className="review-left">
          <MaterialsPane materials={data.materials} selectedId={current} onSelect={select} view={view} onView={patchView} />
        </div>
        <div className="review-right">
          {mine?.state === 'offered' && (
            <Alert
              type="warning"
              showIcon
              title="该案件尚未受理"
              description="受理后才能记录互认和作出结论。"
              action={
                <Button type="primary" size="small" onClick={() => void accept()}>
                  受理（A）
                </Button>
              }
            />
          )}
          {!mine && caseRow.status !== 'decided' && <Alert type="info" showIcon title="您当前没有该案件的审核任务，以下内容仅供查阅" />}
          <Card size="small" title="准入标准">
            <CriteriaChecklist pack={ctx.pack} diseaseCode={caseRow.diseaseCode} checked={criteria} onChange={setCriteria} disabled={!canDecide} />
          </Card>
          <Card size="small" title={`检查检验结果互认（${data.results.length}）`}>
            <RecognitionLog pack={ctx.pack} caseId={caseRow.id} results={data.results} recognitions={data.recognitions} user={user} canDecide={canDecide} focusId={focusId} />
          </Card>
          {mine && (
            <Card size="small" title={`结论 · ${mine.tieBreak ? '第三名专家' : caseRow.stageLabel}`}>
              <ConclusionPanel ref={conclusionRef} ctx={ctx} caseRow={caseRow} assignment={mine} user={user} criteriaMet={criteria} onConcluded={() => setCriteria([])} />
            </Card>
          )}
          <Card size="small" title="审核经过">
            {data.reviews.length === 0 && caseRow.status !== 'decided' ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚无审核结论" /> : <CaseProgress pack={ctx.pack} caseRow={caseRow} reviews={data.reviews} certification={data.certification} user={user} awaiting={awaiting} />}
          </Card>
        </div>
      </div>
      <Typography.Text type="secondary" className="review-hint">
        快捷键：J/K 下/上一页 · +/- 缩放 · O 旋转图片 · [ / ] 上/下一份材料 · R 定位下一项互认（Enter 确认）{mine?.state === 'offered' ? ' · A 受理' : ''}
        {mine ? ' · C 提交结论' : ''} · Esc 返回
      </Typography.Text>
    </div>
  );
}
