/**
 * Benefit limits when several diseases are held (004 多病种待遇), and the reimbursement ratio
 * after off-site and designated-hospital adjustments (001).
 */
import { findDisease } from './diseases';
import type { DiseaseCategory, PolicyPack } from './schema';
import { sourceLabel } from './source';

export interface StackedLimit {
  code: string;
  name: string;
  category: DiseaseCategory | null;
  /** pooled: specials together under the fund's annual cap; full/share/none: chronic stacking. */
  basis: 'pooled' | 'own' | 'full' | 'share' | 'none' | 'unknown-disease';
  share: number;
  /** The disease's own limit per period, when the pack knows it. */
  baseLimit: number | null;
  /** What applies: baseLimit × share, or the annual cap for pooled specials; null when unknown. */
  limit: number | null;
  period: 'month' | 'quarter' | 'year';
  message: string;
  source: string;
}

const PERIOD = { month: '月度', quarter: '季度', year: '年度' } as const;
const yuan = (n: number | null): string => (n === null ? '（金额未定）' : `${Math.round(n * 100) / 100} 元`);

/** The limit that applies to each held disease, in the order given. */
export function stackBenefitLimits(pack: PolicyPack, heldCodes: readonly string[]): StackedLimit[] {
  const b = pack.benefits;
  const stacking = b.stacking;
  const period = b.chronicLimitPeriod.value;
  const codes = [...new Set(heldCodes)];
  const out = new Map<string, StackedLimit>();

  const chronic: { code: string; name: string; base: number | null }[] = [];
  for (const code of codes) {
    const ref = findDisease(pack, code);
    if (!ref) {
      out.set(code, { code, name: code, category: null, basis: 'unknown-disease', share: 0, baseLimit: null, limit: null, period, message: `病种代码 ${code} 不在本地区目录中`, source: pack.id });
      continue;
    }
    const base = ref.disease.benefitLimit?.value ?? null;
    if (ref.disease.category === 'special') {
      const pooled = b.specialLimit.value === 'annual-fund-cap';
      out.set(code, {
        code,
        name: ref.name,
        category: 'special',
        basis: pooled ? 'pooled' : 'own',
        share: 1,
        baseLimit: base,
        limit: pooled ? b.annualFundCap.value : base,
        period: pooled ? 'year' : period,
        message: pooled
          ? `${ref.name}：特殊疾病合并按居民医保统筹基金年度最高支付限额执行`
          : `${ref.name}：按本病种限额 ${yuan(base)}执行`,
        source: sourceLabel(b.specialLimit.source),
      });
    } else {
      chronic.push({ code, name: ref.name, base });
    }
  }

  if (stacking.kind === 'each-own-limit') {
    for (const c of chronic) {
      out.set(c.code, { code: c.code, name: c.name, category: 'chronic', basis: 'own', share: 1, baseLimit: c.base, limit: c.base, period, message: `${c.name}：按本病种${PERIOD[period]}限额 ${yuan(c.base)}执行`, source: sourceLabel(stacking.source) });
    }
  } else {
    // Highest limit first; unknown amounts last. Which extras stack is ours to choose when more
    // than extraCount remain: the highest ones, the reading most favourable to the patient.
    const ranked = [...chronic].sort((x, y) => (y.base ?? -1) - (x.base ?? -1));
    const src = sourceLabel(stacking.source);
    const pct = `${Math.round(stacking.extraShare * 100)}%`;
    ranked.forEach((c, i) => {
      const common = { code: c.code, name: c.name, category: 'chronic' as const, baseLimit: c.base, period, source: src };
      if (i === 0) {
        const alone = ranked.length === 1 ? '' : '（待遇水平最高的病种）';
        out.set(c.code, { ...common, basis: 'full', share: 1, limit: c.base, message: `${c.name}：按本病种${PERIOD[period]}限额 ${yuan(c.base)}全额执行${alone}` });
      } else if (i <= stacking.extraCount) {
        const limit = c.base === null ? null : c.base * stacking.extraShare;
        out.set(c.code, { ...common, basis: 'share', share: stacking.extraShare, limit, message: `${c.name}：按限额 ${yuan(c.base)}的 ${pct} 即 ${yuan(limit)}叠加` });
      } else {
        out.set(c.code, { ...common, basis: 'none', share: 0, limit: 0, message: `${c.name}：其他慢性病最多叠加 ${stacking.extraCount} 种，本病种不再另计限额` });
      }
    });
  }
  return codes.map((c) => out.get(c)!);
}

export interface TreatmentSituation {
  /** Where the care happens relative to the insured region. */
  scope: 'local' | 'in-province' | 'cross-province';
  referral: boolean;
  /** Living long-term off-site with a registration, treated there: the insured place's rules apply (001). */
  longTermResident?: boolean;
  diseaseCode?: string;
  /** Treated at the person's designated hospital (001: haemophilia, uraemia, transplant). */
  atDesignatedHospital?: boolean;
  emergency?: boolean;
}

/** The reimbursement ratio after the pack's adjustments, and why; ratio null when the pack has none. */
export function adjustedReimbursement(pack: PolicyPack, situation: TreatmentSituation): { ratio: number | null; pointsOff: number; reasons: string[] } {
  const base = pack.benefits.reimbursementRatio.value;
  const reasons: string[] = [];
  let points = 0;
  const off = pack.offSite;
  const residentAtHome = situation.longTermResident === true && (off?.longTermResidentsFollowInsuredPlace?.value ?? false);
  if (off && situation.scope !== 'local' && !residentAtHome) {
    const adj = off.adjustments.find((a) => a.scope === situation.scope && a.referral === situation.referral);
    if (adj) {
      points += adj.points;
      const where = situation.scope === 'in-province' ? '省内异地就医' : '跨省异地就医';
      reasons.push(`${where}${situation.referral ? '（已办理转诊）' : '（未办理转诊）'}：报销比例下降 ${adj.points} 个百分点（来源：${sourceLabel(adj.source)}）`);
    }
  }
  const dh = pack.benefits.designatedHospital;
  if (dh?.penaltyPointsOffDesignated && situation.diseaseCode && situation.atDesignatedHospital === false && !situation.emergency) {
    const ref = findDisease(pack, situation.diseaseCode);
    if (ref && dh.penaltyCodes.includes(ref.disease.code)) {
      points += dh.penaltyPointsOffDesignated.value;
      reasons.push(`${ref.name}未在定点医疗机构就诊且非急诊、抢救：报销比例下降 ${dh.penaltyPointsOffDesignated.value} 个百分点（来源：${sourceLabel(dh.penaltyPointsOffDesignated.source)}）`);
    }
  }
  const ratio = base === null ? null : Math.max(0, Math.round((base * 100 - points)) / 100);
  return { ratio, pointsOff: points, reasons };
}
