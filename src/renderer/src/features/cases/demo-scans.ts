import type { Material } from '../../../../shared/domain/material';
import { demoDocument, type DemoDocument } from '../../../../shared/demo/documents';
import { jpegPagesToPdf } from '../../../../shared/demo/scan-pdf';
import type { WorkstationDb } from '../../db/db';
import { saveAttachment } from '../../sync/attachments-store';

// A4 at 150 dpi: legible when zoomed, about 150–300 kB per page as JPEG.
const PAGE = { width: 1240, height: 1754 } as const;
// The system's CJK fonts (Noto CJK on Linux, YaHei on Windows, PingFang on macOS): no font file ships.
const FONT = '"Noto Sans CJK SC", "Noto Serif CJK SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif';

type Canvas2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;

function drawStamp(g: Canvas2D, text: string, x: number, y: number): void {
  g.save();
  g.translate(x, y);
  g.rotate(-0.18);
  g.strokeStyle = 'rgba(200, 30, 30, 0.75)';
  g.fillStyle = 'rgba(200, 30, 30, 0.75)';
  g.lineWidth = 6;
  g.beginPath();
  g.arc(0, 0, 120, 0, Math.PI * 2);
  g.stroke();
  g.font = `bold 26px ${FONT}`;
  g.textAlign = 'center';
  // The name around the upper arc, one character at a time, as a round seal reads.
  const chars = [...text];
  const span = Math.min(Math.PI * 1.4, chars.length * 0.42);
  chars.forEach((ch, i) => {
    const angle = -Math.PI / 2 - span / 2 + (span * (i + 0.5)) / chars.length;
    g.save();
    g.rotate(angle + Math.PI / 2);
    g.fillText(ch, 0, -84);
    g.restore();
  });
  g.font = `64px ${FONT}`;
  g.fillText('★', 0, 22);
  g.restore();
}

/** Draws the document as a slightly skewed greyish scan and answers it as JPEG bytes. */
export async function renderScan(doc: DemoDocument, skew = 0.004): Promise<{ jpeg: Uint8Array; width: number; height: number }> {
  const canvas = new OffscreenCanvas(PAGE.width, PAGE.height);
  const g = canvas.getContext('2d');
  if (!g) throw new Error('Canvas 2D is not available');
  g.fillStyle = '#f4f2ec';
  g.fillRect(0, 0, PAGE.width, PAGE.height);
  g.save();
  g.translate(PAGE.width / 2, PAGE.height / 2);
  g.rotate(skew);
  g.translate(-PAGE.width / 2, -PAGE.height / 2);
  g.fillStyle = '#222';
  g.textAlign = 'center';
  g.font = `bold 48px ${FONT}`;
  g.fillText(doc.institution, PAGE.width / 2, 150);
  g.font = `bold 42px ${FONT}`;
  g.fillText(doc.title, PAGE.width / 2, 220);
  g.textAlign = 'left';
  g.font = `28px ${FONT}`;
  // Three short fields on the first line; the ID number is long, so the second line has two.
  doc.header.forEach(([label, value], i) => g.fillText(`${label}：${value}`, 110 + (i < 3 ? i : (i - 3) * 2) * 360, i < 3 ? 310 : 360));
  g.fillRect(100, 400, PAGE.width - 200, 3);
  let y = 470;
  for (const line of doc.lines) {
    g.font = line.startsWith('【') ? `bold 30px ${FONT}` : `28px ${FONT}`;
    g.fillText(line, 110, y);
    y += line.startsWith('【') ? 56 : 48;
  }
  g.font = `22px ${FONT}`;
  g.fillStyle = '#777';
  g.fillText(doc.footer, 110, PAGE.height - 90);
  g.restore();
  if (doc.stamp) drawStamp(g, doc.stamp, PAGE.width - 300, PAGE.height - 330);
  const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.72 });
  return { jpeg: new Uint8Array(await blob.arrayBuffer()), width: PAGE.width, height: PAGE.height };
}

/**
 * Generates the files of a demo case's materials — records and reports as one-page scanned
 * PDFs — stores their bytes in the attachments table and points each material at its file.
 * Browser only (OffscreenCanvas); identity copies stay without a file.
 */
export async function attachDemoScans(db: WorkstationDb, caseId: string): Promise<Material[]> {
  const c = await db.cases.get(caseId);
  const person = c && (await db.persons.get(c.personId));
  if (!c || !person) return [];
  const materials = await db.materials.where('caseId').equals(caseId).toArray();
  const results = await db.outsideResults.where('caseId').equals(caseId).toArray();
  const updated: Material[] = [];
  for (const m of materials) {
    if (m.attachmentId || (m.kind !== 'medical-record' && m.kind !== 'exam-report')) continue;
    const page = await renderScan(demoDocument(m, c, person, results));
    const pdf = jpegPagesToPdf([page], m.id);
    const row = await saveAttachment(db, new Blob([pdf as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), `${m.title}.pdf`);
    const next: Material = { ...m, mime: 'application/pdf', attachmentId: row.id, sha256: row.sha256, size: row.size };
    await db.materials.put(next);
    updated.push(next);
  }
  return updated;
}
