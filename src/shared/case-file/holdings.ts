/**
 * What a person holds today, for the head of their case file: each certified disease still in
 * force with its benefit period, filing standing, re-review deadline (000), the annual
 * no-cost screening (001), the benefit limit once stacked (004), and the exclusions (004) that
 * touch what they hold.
 */
import type { CaseRow } from '../domain/case';
import type { Certification } from '../domain/certification';
import { stackBenefitLimits, type StackedLimit } from '../policy/benefits';
import { diseaseName, findDisease } from '../policy/diseases';
import { checkExclusions, type ExclusionConflict } from '../policy/exclusions';
import { inactivityFlag, reReviewDue, type InactivityFlag, type ReReviewDue } from '../policy/rereview';
import type { DiseaseCategory, PolicyPack } from '../policy/schema';
import type { FilingRow } from '../hospital/filings';
import { filingWord as messageWord, type SyncWord, type Tone } from './sync-words';

/**
 * active: within its benefit period; upcoming: begins later; continuing: the term ended but
 * re-review was applied for in time, so benefits continue while it is decided (000).
 */
export type Standing = 'active' | 'upcoming' | 'continuing';

export interface Reminder {
  tone: Tone;
  text: string;
}

export interface HeldDisease {
  certification: Certification;
  category: DiseaseCategory | null;
  standing: Standing;
  /** Where its filing with the platform stands (未备案, 待上传, 已备案…). */
  filing: SyncWord;
  reReview: ReReviewDue;
  /** Set when re-review needs attention: due soon, lapsed, or applied for. */
  reminder: Reminder | null;
  inactivity: InactivityFlag & { costKnown: boolean };
  limit: StackedLimit | null;
}

export interface Exclusions {
  /** Two held diseases that the pack says cannot be held together (should not happen; shown loudly). */
  amongHeld: ExclusionConflict[];
  /** Open applications that conflict with a held disease. */
  openApplications: { caseId: string; conflicts: ExclusionConflict[] }[];
  /** For each held disease, the pack's diseases that cannot be added while it is held. */
  blocks: { held: { code: string; name: string }; diseases: { code: string; name: string; source: string; exception: string | null }[] }[];
}

export interface Holdings {
  held: HeldDisease[];
  exclusions: Exclusions;
  limits: StackedLimit[];
}

export interface HoldingsInput {
  cases: readonly CaseRow[];
  certifications: readonly Certification[];
  filings: readonly FilingRow[];
  /**
   * Latest related cost per disease code (001's screening). The workstation holds no settlement
   * data, so this is usually absent: the flag is then an estimate and says so.
   */
  lastRelatedCost?: ReadonlyMap<string, string | null>;
}

const UNKNOWN_COST = '本机没有该参保人的医疗费用数据，最后一次相关费用日期未知，以上按享受待遇以来无相关费用推算，须以医保结算数据核实';

/** When re-review was applied for: the first 复审 case for the disease received after the certification began. */
function reReviewAppliedOn(cases: readonly CaseRow[], cert: Certification): string | null {
  const dates = cases.filter((c) => c.kind === 're-review' && c.id !== cert.caseId && c.diseaseCode === cert.diseaseCode && c.receivedOn >= cert.begnDate).map((c) => c.receivedOn).sort();
  return dates[0] ?? null;
}

function filingWord(cert: Certification, filings: readonly FilingRow[]): SyncWord {
  switch (cert.state) {
    case 'ready':
      return { label: '未备案', tone: 'orange' };
    case 'filed':
      return { label: '已备案', tone: 'green', receipt: cert.trtDclaDetlSn };
    case 'revoked':
      return { label: '已撤销', tone: 'gray', receipt: cert.trtDclaDetlSn, reason: cert.revokeReason };
    case 'revoking':
      return { label: '撤销已排队（2504）', tone: 'blue', receipt: cert.trtDclaDetlSn, reason: cert.revokeReason };
    case 'filing-rejected':
      return { label: '备案被拒，需处理', tone: 'red', reason: cert.rejectReason };
    case 'filing-queued': {
      const row = filings.find((i) => i.id === cert.outboxId);
      // A physician's desk does not hold the server's messages: all it knows is that it was queued.
      return row ? messageWord(row) : { label: '备案已排队', tone: 'blue' };
    }
  }
}

function reminderOf(r: ReReviewDue): Reminder | null {
  if (r.kind !== 'term') return null;
  if (r.state === 'due-soon') return { tone: 'orange', text: r.message };
  if (r.state === 'lapsed') return { tone: 'red', text: r.message };
  if (r.state === 'applied') return { tone: 'blue', text: r.message };
  return null;
}

/** The certifications in force on `today`: not revoked, within their period or continuing under re-review; the latest per disease. */
function inForce(pack: PolicyPack, input: HoldingsInput, today: string) {
  const latest = new Map<string, { cert: Certification; standing: Standing; reReview: ReReviewDue }>();
  for (const cert of input.certifications) {
    if (cert.state === 'revoked') continue;
    const facts = { diseaseCode: cert.diseaseCode, validFrom: cert.begnDate, validTo: cert.endDate, reReviewAppliedOn: reReviewAppliedOn(input.cases, cert) };
    const reReview = reReviewDue(pack, facts, today);
    let standing: Standing | null = cert.begnDate > today ? 'upcoming' : 'active';
    if (cert.endDate !== null && cert.endDate < today) standing = reReview.kind === 'term' && reReview.benefitsContinue ? 'continuing' : null;
    if (!standing) continue;
    const prior = latest.get(cert.diseaseCode);
    if (!prior || prior.cert.begnDate < cert.begnDate) latest.set(cert.diseaseCode, { cert, standing, reReview });
  }
  return [...latest.values()].sort((a, b) => (a.cert.begnDate < b.cert.begnDate ? -1 : a.cert.begnDate > b.cert.begnDate ? 1 : 0));
}

function exclusionsOf(pack: PolicyPack, heldCodes: readonly string[], cases: readonly CaseRow[]): Exclusions {
  const amongHeld = heldCodes.flatMap((code, i) => checkExclusions(pack, heldCodes.slice(i + 1), code));
  const openApplications = cases
    .filter((c) => c.status !== 'decided')
    .map((c) => ({ caseId: c.id, conflicts: checkExclusions(pack, heldCodes.filter((h) => h !== c.diseaseCode), c.diseaseCode) }))
    .filter((x) => x.conflicts.length > 0);
  const candidates = pack.diseases.flatMap((d) => [d.code, ...d.variants.map((v) => v.code)]).filter((code) => !heldCodes.includes(code));
  const blocks = heldCodes.map((held) => ({
    held: { code: held, name: diseaseName(pack, held) },
    diseases: candidates.flatMap((code) =>
      checkExclusions(pack, [held], code).map((c) => ({ code, name: c.applied.name, source: c.source, exception: c.exception?.label ?? null })),
    ),
  }));
  return { amongHeld, openApplications, blocks: blocks.filter((b) => b.diseases.length > 0) };
}

/** The person's holdings on `today` (YYYY-MM-DD, China calendar). */
export function currentHoldings(pack: PolicyPack, input: HoldingsInput, today: string): Holdings {
  const held = inForce(pack, input, today);
  const codes = held.map((h) => h.cert.diseaseCode);
  const limits = stackBenefitLimits(pack, codes);
  const heldDiseases: HeldDisease[] = held.map(({ cert, standing, reReview }) => {
    const known = input.lastRelatedCost?.has(cert.diseaseCode) ?? false;
    const flag = inactivityFlag(pack, { diseaseCode: cert.diseaseCode, validFrom: cert.begnDate, validTo: cert.endDate }, known ? input.lastRelatedCost!.get(cert.diseaseCode)! : null, today);
    const inactivity = { ...flag, costKnown: known, message: known || !flag.applicable || flag.screeningDate === null ? flag.message : `${flag.message}（${UNKNOWN_COST}）` };
    return {
      certification: cert,
      category: findDisease(pack, cert.diseaseCode)?.disease.category ?? null,
      standing,
      filing: filingWord(cert, input.filings),
      reReview,
      reminder: reminderOf(reReview),
      inactivity,
      limit: limits.find((l) => l.code === cert.diseaseCode) ?? null,
    };
  });
  return { held: heldDiseases, exclusions: exclusionsOf(pack, codes, input.cases), limits };
}
