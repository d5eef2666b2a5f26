import { Alert, Spin } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { openPdf, renderPage, type PDFDocumentProxy } from './pdf';

const THUMB_SCALE = 0.12;

export interface PdfViewerProps {
  blob: Blob;
  /** 1-based page shown. */
  page: number;
  /** CSS pixels per PDF point. */
  zoom: number;
  onPageCount: (count: number) => void;
  onPage: (page: number) => void;
}

function PageCanvas({ doc, page, scale, testId, label }: { doc: PDFDocumentProxy; page: number; scale: number; testId?: string; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const [rendered, setRendered] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const canvas = ref.current;
    if (!canvas) return;
    const job = renderPage(doc, page, canvas, scale);
    job.done.then(
      () => setRendered(true),
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
    return job.cancel;
  }, [doc, page, scale]);
  if (error) return <Alert type="error" showIcon title={`第 ${page} 页无法显示：${error}`} />;
  return <canvas ref={ref} data-testid={testId} data-rendered={rendered ? 'true' : 'false'} aria-label={label} />;
}

/**
 * A PDF material with pdf.js (mount it keyed by the material, so another file starts afresh): the current page at the chosen zoom, and a thumbnail strip to jump
 * between pages. The page and zoom belong to the review page, so its keyboard shortcuts drive them.
 */
export default function PdfViewer({ blob, page, zoom, onPageCount, onPage }: PdfViewerProps) {
  const [doc, setDoc] = useState<PDFDocumentProxy | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let opened: PDFDocumentProxy | null = null;
    let live = true;
    openPdf(blob).then(
      (d) => {
        opened = d;
        if (!live) return void d.destroy();
        setDoc(d);
        onPageCount(d.numPages);
      },
      (e: unknown) => live && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      live = false;
      void opened?.destroy();
    };
    // onPageCount is a setter from the parent; reopening the file when it changes identity would flicker.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [blob]);

  if (error) return <Alert type="error" showIcon title={`文件无法打开：${error}`} />;
  if (!doc) return <Spin className="viewer-loading" description="正在打开文件…" />;
  const current = Math.min(Math.max(page, 1), doc.numPages);
  return (
    <div className="pdf-viewer">
      <div className="pdf-thumbs" aria-label="缩略图">
        {Array.from({ length: doc.numPages }, (_, i) => (
          <button key={i} type="button" className={i + 1 === current ? 'pdf-thumb pdf-thumb-current' : 'pdf-thumb'} onClick={() => onPage(i + 1)} aria-label={`第 ${i + 1} 页`}>
            <PageCanvas doc={doc} page={i + 1} scale={THUMB_SCALE} label={`第 ${i + 1} 页缩略图`} />
            <span>{i + 1}</span>
          </button>
        ))}
      </div>
      <div className="pdf-page">
        <PageCanvas doc={doc} page={current} scale={zoom} testId="pdf-canvas" label={`第 ${current} 页`} />
      </div>
    </div>
  );
}
