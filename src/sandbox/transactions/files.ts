/**
 * 9101 文件上传, 9102 文件下载 and 1309 门慢门特病种目录下载.
 *
 * - 9101 stores the bytes (base64 text or a byte array) up to maxFileBytes and answers a
 *   file_qury_no that 9102 accepts until dld_endtime. Files are private to the uploading institution.
 * - 1309 writes the catalogue file of the policy pack (format: shared/platform/catalogue.ts) and
 *   answers its file_qury_no; `ver` equal to the pack's version means "up to date" (no rows).
 *   Where the dialect says so (catalogueZipped) the text is handed out in a zip, as real
 *   platforms do.
 * - 9102 answers the bytes themselves (application/octet-stream), as national platforms do;
 *   failures are envelopes. For a catalogue the filename may be the one 1309 gave or "plc".
 */
import { createHash } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';
import { zipOneFile } from '../../shared/platform/tolerant';
import fs from 'node:fs/promises';
import path from 'node:path';
import { formatCatalogueFile, formatInfTime } from '../../shared/platform/index';
import { platformSerial, Refusal, type SandboxContext, type TxHandler } from '../context';
import { catalogueRows } from '../policy';
import { first, run, sql } from '../sql';

const MB = 1024 * 1024;
const human = (n: number) => (n >= MB ? `${+(n / MB).toFixed(1)} MB` : `${+(n / 1024).toFixed(1)} KB`);

function decode(value: string | number[]): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'base64') : Buffer.from(value.map((b) => b & 0xff));
}

async function storeFile(
  ctx: SandboxContext,
  kind: 'upload' | 'catalogue',
  filename: string,
  bytes: Buffer,
  fixmedinsCode: string,
  msgid: string,
): Promise<{ file_qury_no: string; dld_endtime: Date }> {
  const fileQuryNo = await platformSerial(ctx);
  const at = ctx.now();
  const dldEndtime = new Date(at.getTime() + ctx.settings.downloadTtlMs);
  const target = path.join(ctx.filesDir, fileQuryNo);
  await fs.writeFile(target, bytes);
  try {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await run(
      ctx.db,
      sql`insert into files (file_qury_no, kind, filename, fixmedins_code, size, sha256, msgid, created_at, dld_endtime)
          values (${fileQuryNo}, ${kind}, ${filename}, ${fixmedinsCode}, ${bytes.length}, ${sha256}, ${msgid}, ${at}, ${dldEndtime})`,
    );
  } catch (e) {
    await fs.rm(target, { force: true });
    throw e;
  }
  return { file_qury_no: fileQuryNo, dld_endtime: dldEndtime };
}

export const upload9101: TxHandler = async (ctx, req) => {
  const f = (req.input as { fsUploadIn: { in: string | number[]; filename: string; fixmedins_code: string } }).fsUploadIn;
  if (f.fixmedins_code !== req.envelope.fixmedins_code) throw new Refusal('fsUploadIn.fixmedins_code 与报文 fixmedins_code 不符');
  const bytes = decode(f.in);
  if (bytes.length === 0) throw new Refusal('文件为空');
  const max = ctx.settings.maxFileBytes;
  if (bytes.length > max) throw new Refusal(`文件大小 ${bytes.length} 字节，超过上限 ${max} 字节（${human(max)}）`);
  const stored = await storeFile(ctx, 'upload', f.filename, bytes, f.fixmedins_code, req.envelope.msgid);
  return {
    output: {
      file_qury_no: stored.file_qury_no,
      filename: f.filename,
      fixmedins_code: f.fixmedins_code,
      dld_endtime: formatInfTime(stored.dld_endtime),
    },
  };
};

export const catalogue1309: TxHandler = async (ctx, req) => {
  const { ver } = (req.input as { data: { ver: string } }).data;
  const rows = ver === ctx.pack.version ? [] : catalogueRows(ctx.pack, ctx.settings.regionCode);
  const zipped = ctx.settings.dialect.catalogueZipped;
  const textName = `opsp_dise_${ctx.pack.version}.txt`;
  const filename = zipped ? `opsp_dise_${ctx.pack.version}.zip` : textName;
  const text = Buffer.from(formatCatalogueFile(rows), 'utf8');
  const bytes = zipped ? Buffer.from(zipOneFile(textName, text, (b) => deflateRawSync(b))) : text;
  const stored = await storeFile(ctx, 'catalogue', filename, bytes, req.envelope.fixmedins_code, req.envelope.msgid);
  return {
    output: {
      file_qury_no: stored.file_qury_no,
      filename,
      dld_endtime: formatInfTime(stored.dld_endtime),
      data_cnt: rows.length,
      ver: ctx.pack.version,
    },
  };
};

interface FileRow {
  kind: 'upload' | 'catalogue';
  filename: string;
  fixmedins_code: string;
  dld_endtime: Date;
}

export const download9102: TxHandler = async (ctx, req) => {
  const f = (req.input as { fsDownloadIn: { file_qury_no: string; filename: string; fixmedins_code: string } }).fsDownloadIn;
  if (f.fixmedins_code !== req.envelope.fixmedins_code) throw new Refusal('fsDownloadIn.fixmedins_code 与报文 fixmedins_code 不符');
  const row = await first<FileRow>(
    ctx.db,
    sql`select kind, filename, fixmedins_code, dld_endtime from files where file_qury_no = ${f.file_qury_no}`,
  );
  // Another institution's upload is answered exactly like a missing one.
  if (!row || (row.kind === 'upload' && row.fixmedins_code !== f.fixmedins_code)) {
    throw new Refusal(`文件不存在：file_qury_no=${f.file_qury_no}`);
  }
  const nameOk = f.filename === row.filename || (row.kind === 'catalogue' && f.filename === 'plc');
  if (!nameOk) throw new Refusal('文件名 filename 与文件查询号不符');
  if (ctx.now().getTime() > row.dld_endtime.getTime()) {
    throw new Refusal(`文件已过下载截止时间 ${formatInfTime(row.dld_endtime)}`);
  }
  const bytes = await fs.readFile(path.join(ctx.filesDir, f.file_qury_no));
  return { file: { bytes, filename: row.filename } };
};
