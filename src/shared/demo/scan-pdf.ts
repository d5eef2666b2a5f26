/**
 * A minimal PDF writer for scanned documents: one JPEG per A4 page, embedded as-is (PDF reads
 * JPEG natively through DCTDecode), so no PDF library and no font are needed — the text is in
 * the image, as in the scans hospitals upload. Pure: bytes in, bytes out.
 */

export interface ScanPage {
  /** Baseline JPEG bytes. */
  jpeg: Uint8Array;
  /** Pixel size of the image. */
  width: number;
  height: number;
}

const A4 = { width: 595.28, height: 841.89 } as const;

const ascii = (text: string): Uint8Array => {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
};

/** A PDF with each JPEG scaled to fit an A4 page, centred. */
export function jpegPagesToPdf(pages: readonly ScanPage[], title = 'scan'): Uint8Array {
  if (pages.length === 0) throw new RangeError('A PDF needs at least one page');
  const chunks: Uint8Array[] = [];
  const offsets: number[] = [];
  let length = 0;
  const push = (bytes: Uint8Array) => {
    chunks.push(bytes);
    length += bytes.length;
  };
  const object = (id: number, body: Uint8Array[] | string) => {
    offsets[id] = length;
    push(ascii(`${id} 0 obj\n`));
    for (const b of typeof body === 'string' ? [ascii(body)] : body) push(b);
    push(ascii('\nendobj\n'));
  };

  push(ascii('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n'));
  // 1: catalog, 2: page tree, 3: info; then per page: page, content stream, image.
  const pageIds = pages.map((_, i) => 4 + i * 3);
  object(1, '<< /Type /Catalog /Pages 2 0 R >>');
  object(2, `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`);
  object(3, `<< /Title (${title.replace(/[^A-Za-z0-9 _.-]/g, '_')}) /Producer (opsp-workstation demo) >>`);
  pages.forEach((p, i) => {
    const [pageId, contentId, imageId] = [pageIds[i]!, pageIds[i]! + 1, pageIds[i]! + 2];
    const scale = Math.min(A4.width / p.width, A4.height / p.height);
    const w = (p.width * scale).toFixed(2);
    const h = (p.height * scale).toFixed(2);
    const x = ((A4.width - p.width * scale) / 2).toFixed(2);
    const y = ((A4.height - p.height * scale) / 2).toFixed(2);
    object(pageId, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${A4.width} ${A4.height}] /Resources << /XObject << /Im${i} ${imageId} 0 R >> >> /Contents ${contentId} 0 R >>`);
    const draw = `q ${w} 0 0 ${h} ${x} ${y} cm /Im${i} Do Q`;
    object(contentId, `<< /Length ${draw.length} >>\nstream\n${draw}\nendstream`);
    object(imageId, [
      ascii(`<< /Type /XObject /Subtype /Image /Width ${p.width} /Height ${p.height} /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length ${p.jpeg.length} >>\nstream\n`),
      p.jpeg,
      ascii('\nendstream'),
    ]);
  });

  const count = 4 + pages.length * 3;
  const xref = length;
  const rows = ['xref', `0 ${count}`, '0000000000 65535 f '];
  for (let id = 1; id < count; id++) rows.push(`${String(offsets[id]).padStart(10, '0')} 00000 n `);
  push(ascii(`${rows.join('\n')}\ntrailer\n<< /Size ${count} /Root 1 0 R /Info 3 0 R >>\nstartxref\n${xref}\n%%EOF\n`));

  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}
