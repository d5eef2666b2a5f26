import { describe, expect, it } from 'vitest';
import { CATALOGUE_COLUMNS, formatCatalogueFile, parseCatalogueFile } from './catalogue';

describe('1309 catalogue file', () => {
  it('round-trips rows in the national column order', () => {
    const text = formatCatalogueFile([
      { opsp_dise_code: 'M03900', opsp_dise_name: '高血压\t3级', vali_flag: '1', ver: 'v1' },
      { opsp_dise_code: 'M01600', opsp_dise_name: '糖尿病' },
    ]);
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]!.split('\t')).toHaveLength(CATALOGUE_COLUMNS.length);
    const rows = parseCatalogueFile(`\uFEFF${text}\r\n\r\n`);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ opsp_dise_code: 'M03900', opsp_dise_name: '高血压 3级', vali_flag: '1', ver: 'v1', memo: '' });
  });
});
