/**
 * The policy pack the sandbox enforces (diseases for 2503 and 1309, exclusions for 2503, repeat
 * reasons for the recognition extension), loaded and checked with the workstation's own parser.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUNDLED_PACKS, parsePolicyPack, type PolicyPack } from '../shared/policy/index';
import type { CatalogueRow } from '../shared/platform/index';

export const DEFAULT_PACK_FILE = BUNDLED_PACKS[0];

/** Where resources/policy/<file> may be: Electron's resources, up from this module, the cwd. */
function candidates(file: string): string[] {
  const out: string[] = [];
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  if (resourcesPath) out.push(path.join(resourcesPath, 'policy', file), path.join(resourcesPath, 'resources', 'policy', file));
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i += 1) {
    out.push(path.join(dir, 'resources', 'policy', file));
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  out.push(path.join(process.cwd(), 'resources', 'policy', file));
  return out;
}

export function resolveDefaultPackPath(): string {
  const found = candidates(DEFAULT_PACK_FILE).find((p) => fs.existsSync(p));
  if (!found) throw new Error(`找不到默认政策包 resources/policy/${DEFAULT_PACK_FILE}；请用 --policy 指定`);
  return found;
}

/** Loads and checks a pack; throws with every problem listed. */
export function loadPolicyPack(options: { policyPack?: unknown; policyPackPath?: string }): PolicyPack {
  let json: unknown = options.policyPack;
  let where = '（内存中的政策包）';
  if (json === undefined) {
    where = options.policyPackPath ? path.resolve(options.policyPackPath) : resolveDefaultPackPath();
    json = fs.readFileSync(where, 'utf8');
  }
  const parsed = parsePolicyPack(json);
  if (!parsed.ok) throw new Error(`政策包 ${where} 无效：\n${parsed.errors.join('\n')}`);
  return parsed.pack;
}

/** The pack's diseases (variants included) as rows of the 1309 catalogue file. */
export function catalogueRows(pack: PolicyPack, regionCode: string): CatalogueRow[] {
  const stamp = `${pack.effective.from} 00:00:00`;
  const rows: CatalogueRow[] = [];
  for (const d of pack.diseases) {
    const entries = [{ code: d.code, name: d.name, verified: d.codeVerified }, ...d.variants.map((v) => ({ code: v.code, name: v.name, verified: v.codeVerified }))];
    for (const e of entries) {
      rows.push({
        opsp_dise_code: e.code,
        // Sandbox values: 1 门诊慢性病, 2 门诊特殊疾病.
        opsp_dise_majcls_code: d.category === 'special' ? '2' : '1',
        opsp_dise_majcls_name: d.category === 'special' ? '门诊特殊疾病' : '门诊慢性病',
        opsp_dise_subd_clss_name: e.name,
        opsp_dise_name: e.name,
        admdvs: pack.region.code ?? regionCode,
        memo: e.verified ? '' : '代码未经本地区 1309 目录核对（示例）',
        vali_flag: '1',
        rid: `${pack.id}:${e.code}`,
        crte_time: stamp,
        updt_time: stamp,
        ver: pack.version,
        dise_cont: d.aliases.join('、'),
        ver_name: pack.title,
        trt_guide_pagen: '',
        trt_guide_elecacs: '',
      });
    }
  }
  return rows;
}
