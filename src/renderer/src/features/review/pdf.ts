import { getDocument, GlobalWorkerOptions, type PDFDocumentProxy } from 'pdfjs-dist';
// The worker is bundled as a file of our own origin (Vite `?url`), so the page's CSP
// `worker-src 'self' blob:` holds and nothing is fetched from a CDN (the desk may be offline).
import workerUrl from 'pdfjs-dist/build/pdf.worker.min.mjs?url';

GlobalWorkerOptions.workerSrc = workerUrl;

/**
 * Opens a PDF held as a Blob (the attachments table). The bytes are handed over directly, so
 * pdf.js never makes a request; scripting and XFA stay off because a scanned record needs
 * neither and a submitted file is untrusted.
 */
export async function openPdf(blob: Blob): Promise<PDFDocumentProxy> {
  const data = new Uint8Array(await blob.arrayBuffer());
  return getDocument({ data, enableXfa: false, stopAtErrors: false }).promise;
}

/**
 * Renders one page into a canvas at `scale` CSS pixels per PDF point, sharp on high-DPI screens.
 * Answers a cancel function: pdf.js refuses two renders into one canvas at once, so a zoom or
 * page change cancels the render in progress before starting the next.
 */
export function renderPage(doc: PDFDocumentProxy, pageNumber: number, canvas: HTMLCanvasElement, scale: number): { done: Promise<void>; cancel: () => void } {
  let cancelled = false;
  let task: { cancel: () => void } | null = null;
  const done = (async () => {
    const page = await doc.getPage(pageNumber);
    if (cancelled) return;
    const ratio = window.devicePixelRatio || 1;
    const viewport = page.getViewport({ scale: scale * ratio });
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
    canvas.style.height = `${Math.floor(viewport.height / ratio)}px`;
    const render = page.render({ canvas, viewport });
    task = render;
    try {
      await render.promise;
    } catch (error) {
      if (!cancelled) throw error;
    }
  })();
  return {
    done,
    cancel: () => {
      cancelled = true;
      task?.cancel();
    },
  };
}

export type { PDFDocumentProxy };
