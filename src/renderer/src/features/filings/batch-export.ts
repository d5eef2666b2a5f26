/**
 * A batch's receipts as an Excel workbook (备案批次-<batchNo>.xlsx): one row per filing, with the
 * platform's serial number (trt_dcla_detl_sn) of each accepted one, or the reason it was not.
 * exceljs is loaded only when a batch is exported.
 */
import type { Certification } from '../../../../shared/domain/certification';
import { FILING_PHASE_LABELS, type FilingBatchRow, type FilingRow } from '../../../../shared/hospital/filings';
import { formatChina } from '../../../../shared/time';

export const RECEIPT_COLUMNS = ['参保人', '人员编号', '病种', '认定医师', '认定日期', '结果', '备案流水号或原因', '时间'] as const;

export type ReceiptRow = [string, string, string, string, string, string, string, string];

/** The rows of a batch's receipts, in the order the filings are given. */
export function receiptRows(filings: readonly FilingRow[], certifications: ReadonlyMap<string, Certification>): ReceiptRow[] {
  return filings.map((f) => {
    const cert = f.certificationId ? certifications.get(f.certificationId) : undefined;
    return [
      f.psnName,
      f.psnNo,
      cert ? `${cert.diseaseName}（${cert.diseaseCode}）` : f.summary,
      cert?.physicianName ?? '',
      cert?.certifiedOn ?? '',
      FILING_PHASE_LABELS[f.phase],
      f.serial ?? f.reason ?? '',
      formatChina(f.settledAt ?? f.updatedAt, 'YYYY-MM-DD HH:mm:ss'),
    ];
  });
}

export const exportFileName = (batch: Pick<FilingBatchRow, 'batchNo'>) => `备案批次-${batch.batchNo}.xlsx`;

/** The workbook's bytes. */
export async function batchWorkbook(batch: FilingBatchRow, rows: readonly ReceiptRow[]): Promise<ArrayBuffer> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  wb.creator = batch.createdByName;
  const ws = wb.addWorksheet('备案回执');
  ws.addRow([`备案批次 ${batch.batchNo}`, `${batch.platformLabel} · ${batch.createdByName} · ${formatChina(batch.createdAt, 'YYYY-MM-DD HH:mm')}`]);
  const header = ws.addRow([...RECEIPT_COLUMNS]);
  header.font = { bold: true };
  for (const r of rows) ws.addRow([...r]);
  const widths = [12, 22, 28, 12, 12, 14, 30, 20];
  widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
  ws.views = [{ state: 'frozen', ySplit: 2 }];
  return (await wb.xlsx.writeBuffer()) as ArrayBuffer;
}

/** Saves the workbook as a download. */
export async function downloadBatchWorkbook(batch: FilingBatchRow, rows: readonly ReceiptRow[]): Promise<void> {
  const bytes = await batchWorkbook(batch, rows);
  const blob = new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = exportFileName(batch);
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
