/**
 * The 1309 disease catalogue file (门慢门特病种目录), as fetched with 9102 after 1309 names it:
 * UTF-8 text, one disease per line, fields separated by tabs, in the national column order.
 * (National platforms zip the text; the sandbox serves it unzipped.)
 */

/** National column order of the 1309 file. */
export const CATALOGUE_COLUMNS = [
  'opsp_dise_code', // 门慢门特病种目录代码
  'opsp_dise_majcls_name', // 门慢门特病种大类名称
  'opsp_dise_subd_clss_name', // 门慢门特病种细分类名称
  'admdvs', // 医保区划
  'memo', // 备注
  'vali_flag', // 有效标志
  'rid', // 唯一记录号
  'crte_time', // 数据创建时间
  'updt_time', // 数据更新时间
  'ver', // 版本号
  'dise_cont', // 病种内涵
  'ver_name', // 版本名称
  'trt_guide_pagen', // 诊疗指南页码
  'trt_guide_elecacs', // 诊疗指南电子档案
  'opsp_dise_name', // 门慢门特病种名称
  'opsp_dise_majcls_code', // 门慢门特病种大类代码
] as const;

export type CatalogueColumn = (typeof CATALOGUE_COLUMNS)[number];
export type CatalogueRow = Record<CatalogueColumn, string>;

const clean = (v: string): string => v.replace(/[\t\r\n]+/g, ' ');

/** Writes rows as the tab-separated file, one line per row, lines ended by \n. */
export function formatCatalogueFile(rows: readonly Partial<CatalogueRow>[]): string {
  return rows.map((row) => CATALOGUE_COLUMNS.map((c) => clean(row[c] ?? '')).join('\t')).join('\n') + (rows.length ? '\n' : '');
}

/** Reads the tab-separated file; blank lines are skipped, missing trailing columns are "". */
export function parseCatalogueFile(text: string): CatalogueRow[] {
  const rows: CatalogueRow[] = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/)) {
    if (line.trim() === '') continue;
    const cells = line.split('\t');
    const row = {} as CatalogueRow;
    CATALOGUE_COLUMNS.forEach((c, i) => {
      row[c] = (cells[i] ?? '').trim();
    });
    rows.push(row);
  }
  return rows;
}
