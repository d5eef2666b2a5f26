import { describe, expect, it } from 'vitest';
import { cal, institution, randomPack } from '../../../test/fixtures/review-packs';
import { demoDocument } from './documents';
import { demoCase, planDemo } from './generate';
import { demoPhysicians } from './physicians';
import { jpegPagesToPdf } from './scan-pdf';

const now = new Date('2025-06-20T02:00:00.000Z');
const plan = planDemo({ seed: 9, pack: randomPack, calendar: cal, institution, physicians: demoPhysicians(randomPack, institution.code!, 1, now.toISOString()), now });

describe('demo documents (the text of generated scans)', () => {
  it('a medical record names the person (ID masked), the disease and the hospital, with a stamp (002)', () => {
    const c = demoCase(plan, 3);
    const record = c.materials.find((m) => m.kind === 'medical-record')!;
    const doc = demoDocument(record, c.caseRow, c.person, c.results);
    expect(['出院记录', '门诊病历']).toContain(doc.title);
    expect(doc.header).toContainEqual(['姓名', c.person.name]);
    expect(doc.header.find(([k]) => k === '身份证号')![1]).toMatch(/^\d{6}\*{8}\d{3}[\dX]$/);
    expect(doc.lines).toContain(`1. ${c.caseRow.diseaseName}`);
    expect(doc.stamp).toBe(`${record.sourceInstitution}医务科`);
    expect(doc.footer).toContain('虚构');
  });

  it('an exam report lists each outside result with its date and HR mark or its absence', () => {
    const c = demoCase(plan, 5);
    const report = c.materials.find((m) => m.kind === 'exam-report')!;
    const doc = demoDocument(report, c.caseRow, c.person, c.results);
    for (const r of c.results) expect(doc.lines.some((l) => l.startsWith(r.item) && l.includes(r.reportDate) && l.includes(r.hrMark ? `互认标识 ${r.hrMark}` : '无互认标识'))).toBe(true);
  });
});

describe('jpegPagesToPdf', () => {
  const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
  const text = (bytes: Uint8Array) => Array.from(bytes, (b) => String.fromCharCode(b)).join('');

  it('writes a PDF whose cross-reference offsets point at its objects', () => {
    const pdf = text(jpegPagesToPdf([{ jpeg, width: 1240, height: 1754 }, { jpeg, width: 1754, height: 1240 }], '出院记录'));
    expect(pdf.startsWith('%PDF-1.4')).toBe(true);
    expect(pdf.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(pdf).toContain('/Count 2');
    expect(pdf).toContain('/Filter /DCTDecode /Length 9');
    const xref = Number(/startxref\n(\d+)/.exec(pdf)![1]);
    expect(pdf.slice(xref, xref + 4)).toBe('xref');
    const entries = pdf.slice(xref).split('\n').slice(3, 12);
    entries.forEach((e, i) => expect(pdf.slice(Number(e.slice(0, 10)), Number(e.slice(0, 10)) + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`));
    expect(pdf.slice(xref).split('\n')[2]).toHaveLength(19); // 20 bytes with its newline
  });

  it('refuses an empty document', () => {
    expect(() => jpegPagesToPdf([])).toThrow(RangeError);
  });
});
