/**
 * Checks a pack's cross-references that a field-by-field schema cannot see: every document id
 * declared, every disease code known, ids unique.
 */
import type { PolicyPack } from './schema';

export interface PackIssue {
  path: (string | number)[];
  message: string;
}

/** Every code a pack knows: disease codes and their variants' codes. */
export function knownCodes(pack: Pick<PolicyPack, 'diseases'>): Set<string> {
  const codes = new Set<string>();
  for (const d of pack.diseases) {
    codes.add(d.code);
    for (const v of d.variants) codes.add(v.code);
  }
  return codes;
}

function duplicates<T>(items: readonly T[], key: (item: T) => string, path: string, what: string): PackIssue[] {
  const seen = new Set<string>();
  const issues: PackIssue[] = [];
  items.forEach((item, i) => {
    const k = key(item);
    if (seen.has(k)) issues.push({ path: [path, i], message: `${what}“${k}”重复` });
    seen.add(k);
  });
  return issues;
}

/** Walks the pack and reports every `{ doc }` source that names an undeclared document. */
function undeclaredDocs(value: unknown, declared: Set<string>, path: (string | number)[], out: PackIssue[]): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => undeclaredDocs(v, declared, [...path, i], out));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const record = value as Record<string, unknown>;
  if (typeof record.doc === 'string' && !declared.has(record.doc)) {
    out.push({ path: [...path, 'doc'], message: `来源文件“${record.doc}”未在 sources 中声明` });
  }
  for (const [k, v] of Object.entries(record)) undeclaredDocs(v, declared, [...path, k], out);
}

export function crossCheckPack(pack: PolicyPack): PackIssue[] {
  const issues: PackIssue[] = [];
  const declared = new Set(pack.sources.map((s) => s.id));
  issues.push(...duplicates(pack.sources, (s) => s.id, 'sources', '来源文件标识'));
  undeclaredDocs(pack, declared, [], issues);

  if (pack.effective.from !== null && pack.effective.to !== null && pack.effective.to < pack.effective.from) {
    issues.push({ path: ['effective', 'to'], message: '失效日期早于生效日期' });
  }

  issues.push(...duplicates(pack.diseases, (d) => d.id, 'diseases', '病种标识'));
  const allCodes = pack.diseases.flatMap((d) => [d.code, ...d.variants.map((v) => v.code)]);
  const seen = new Set<string>();
  for (const code of allCodes) {
    if (seen.has(code)) issues.push({ path: ['diseases'], message: `病种代码“${code}”重复` });
    seen.add(code);
  }
  const codes = knownCodes(pack);
  const unknown = (code: string, path: (string | number)[]) => {
    if (!codes.has(code)) issues.push({ path, message: `病种代码“${code}”不在本包病种目录中` });
  };

  issues.push(...duplicates(pack.exclusions, (r) => r.id, 'exclusions', '互斥规则标识'));
  pack.exclusions.forEach((rule, i) => {
    rule.members.forEach((c, j) => unknown(c, ['exclusions', i, 'members', j]));
    if (new Set(rule.members).size !== rule.members.length) {
      issues.push({ path: ['exclusions', i, 'members'], message: '互斥组成员重复' });
    }
    rule.exceptions.forEach((ex, j) =>
      ex.appliesTo.forEach((c, k) => {
        if (!rule.members.includes(c)) {
          issues.push({ path: ['exclusions', i, 'exceptions', j, 'appliesTo', k], message: `例外所指病种“${c}”不是本互斥组成员` });
        }
      }),
    );
  });

  issues.push(...duplicates(pack.process.stages, (s) => s.id, 'process.stages', '审核环节标识'));
  pack.process.handledAtOnce?.codes.forEach((c, i) => unknown(c, ['process', 'handledAtOnce', 'codes', i]));
  const dh = pack.benefits.designatedHospital;
  dh?.codes.forEach((c, i) => unknown(c, ['benefits', 'designatedHospital', 'codes', i]));
  dh?.penaltyCodes.forEach((c, i) => unknown(c, ['benefits', 'designatedHospital', 'penaltyCodes', i]));

  issues.push(...duplicates(pack.recognition.validity, (v) => v.id, 'recognition.validity', '有效期条目标识'));
  issues.push(...duplicates(pack.recognition.repeatReasons, (r) => r.code, 'recognition.repeatReasons', '重复检查理由代码'));
  if (pack.offSite) {
    issues.push(
      ...duplicates(pack.offSite.adjustments, (a) => `${a.scope}/${a.referral}`, 'offSite.adjustments', '异地就医调整'),
    );
  }
  return issues;
}
