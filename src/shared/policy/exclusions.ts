/** Mutually exclusive diseases (004: 统一互斥病种): which held diseases block an application. */
import { codeMatches, diseaseName } from './diseases';
import type { ExclusionRule, PolicyPack } from './schema';
import { sourceLabel } from './source';

export interface ExclusionConflict {
  applied: { code: string; name: string };
  held: { code: string; name: string };
  ruleId: string;
  /** The rule's source document id, or 示例. */
  source: string;
  /** e.g. "肺源性心脏病 与 慢性阻塞性肺疾病 互斥（来源：004）" */
  message: string;
  /** Present when the conflict may be waived, e.g. 004's transplant-relapse exception. */
  exception?: { id: string; label: string; source: string };
}

export interface ExclusionOptions {
  /** Exception ids a reviewer has confirmed for this application (e.g. 'transplant-relapse'). */
  waive?: readonly string[];
}

function exceptionFor(pack: PolicyPack, rule: ExclusionRule, a: string, b: string) {
  return rule.exceptions.find((ex) =>
    ex.appliesTo.some((c) => codeMatches(pack, c, a) || codeMatches(pack, c, b)),
  );
}

/**
 * Conflicts between the disease applied for and the diseases already held, one per held
 * disease, in both directions of every rule. Codes the pack does not know never conflict.
 */
export function checkExclusions(
  pack: PolicyPack,
  heldCodes: readonly string[],
  appliedCode: string,
  options: ExclusionOptions = {},
): ExclusionConflict[] {
  const waive = new Set(options.waive ?? []);
  const conflicts: ExclusionConflict[] = [];
  for (const held of new Set(heldCodes)) {
    if (held === appliedCode) continue;
    let found: ExclusionConflict | undefined;
    for (const rule of pack.exclusions) {
      const a = rule.members.filter((m) => codeMatches(pack, m, appliedCode));
      const h = rule.members.filter((m) => codeMatches(pack, m, held));
      if (!a.some((x) => h.some((y) => x !== y))) continue;
      const ex = exceptionFor(pack, rule, appliedCode, held);
      if (ex && waive.has(ex.id)) continue;
      const source = sourceLabel(rule.source);
      const appliedName = diseaseName(pack, appliedCode);
      const heldName = diseaseName(pack, held);
      const conflict: ExclusionConflict = {
        applied: { code: appliedCode, name: appliedName },
        held: { code: held, name: heldName },
        ruleId: rule.id,
        source,
        message: `${appliedName} 与 ${heldName} 互斥（来源：${source}）`,
        ...(ex ? { exception: { id: ex.id, label: ex.label, source: sourceLabel(ex.source) } } : {}),
      };
      // The first matching rule is reported, unless a later one cannot be waived at all.
      if (!found || (found.exception && !ex)) found = conflict;
      if (!ex) break;
    }
    if (found) conflicts.push(found);
  }
  return conflicts;
}
