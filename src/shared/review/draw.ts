/**
 * Drawing reviewers at random among the physicians `checkPhysician` allows (002: 初审 by one
 * random expert, 终审 by two, a third when they disagree), recorded so an auditor can replay it.
 */
import type { DrawRecord } from '../domain/review';
import type { IsoDate } from '../time';
import { checkPhysician, type InstitutionFacts, type PhysicianFacts } from '../policy/physician';
import type { PolicyPack } from '../policy/schema';
import { drawWithoutReplacement, mulberry32 } from './prng';

export type RandomDraw = Extract<DrawRecord, { mode: 'random' }>;

export interface DrawInput {
  pack: PolicyPack;
  physicians: readonly PhysicianFacts[];
  institution: InstitutionFacts;
  diseaseCode: string;
  onDate: IsoDate;
  count: number;
  /** Who already reviewed or refused this case: never drawn again for it. */
  exclude: readonly string[];
  /** Physicians flagged by the refusal limit are out until the 医保办 acts (002). */
  flagged?: readonly string[];
  /** uint32; the caller takes it from a CSPRNG in production, a fixed value in tests. */
  seed: number;
}

export type DrawResult =
  | { ok: true; record: RandomDraw }
  | { ok: false; record: RandomDraw; message: string };

/** Picks `count` reviewers; fails (with the record, for the 医保办) when too few are eligible. */
export function drawReviewers(input: DrawInput): DrawResult {
  const exclude = new Set(input.exclude);
  const flagged = new Set(input.flagged ?? []);
  const candidates: string[] = [];
  const excluded: string[] = [];
  const ineligible: RandomDraw['ineligible'] = [];
  for (const p of input.physicians) {
    if (exclude.has(p.id)) {
      excluded.push(p.id);
      continue;
    }
    const codes = checkPhysician(input.pack, p, input.institution, input.diseaseCode, input.onDate).map((i) => i.code as string);
    if (flagged.has(p.id)) codes.push('refusal-limit');
    if (codes.length === 0) candidates.push(p.id);
    // Recorded only for physicians of a matching department: the ones an auditor asks about.
    else if (!codes.includes('department-mismatch')) ineligible.push({ id: p.id, codes });
  }
  // Sorted so the draw depends on the seed and the set of candidates, not on table order.
  candidates.sort();
  excluded.sort();
  ineligible.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const seed = input.seed >>> 0;
  const enough = candidates.length >= input.count;
  const chosen = enough ? drawWithoutReplacement(candidates, input.count, mulberry32(seed)) : [];
  const record: RandomDraw = { mode: 'random', seed, candidates, excluded, ineligible, chosen };
  if (enough) return { ok: true, record };
  return { ok: false, record, message: `符合条件的认定医师不足：需要 ${input.count} 名，仅有 ${candidates.length} 名` };
}

/** The reviewers a recorded draw must have chosen: the auditor's replay. */
export function replayDraw(record: Pick<RandomDraw, 'seed' | 'candidates' | 'chosen'>): string[] {
  return drawWithoutReplacement(record.candidates, record.chosen.length, mulberry32(record.seed));
}

/** Whether a recorded draw is what its seed and candidates give. */
export function verifyDraw(record: Pick<RandomDraw, 'seed' | 'candidates' | 'chosen'>): boolean {
  const again = replayDraw(record);
  return again.length === record.chosen.length && again.every((id, i) => id === record.chosen[i]);
}
