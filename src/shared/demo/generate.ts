/**
 * Synthetic cases for demo mode, tests and the benchmark. Each case is a pure function of the
 * seed and its index, so a loader may write 100,000 of them in batches of any size and get the
 * same data. The process is really run: reviewers are drawn with recorded seeds among those
 * `checkPhysician` allows, reviews follow `nextStep`, so every stage of the pack appears.
 */
import { NO_DEADLINE, type CaseRow } from '../domain/case';
import { chinaDateOf } from '../time';
import type { Certification } from '../domain/certification';
import type { InsuredPerson } from '../domain/insured';
import type { Material, OutsideResult } from '../domain/material';
import type { PhysicianProfile } from '../domain/physician';
import type { Assignment, Review } from '../domain/review';
import { OFFICE_ASSIGNEE, type WorkItem } from '../domain/work-item';
import type { Calendar } from '../policy/calendar';
import { addDays, addMonths } from '../time';
import type { InstitutionFacts } from '../policy/physician';
import type { PolicyPack } from '../policy/schema';
import { completionDue, dueFields, type DueFields } from '../review/deadlines';
import { drawReviewers, type RandomDraw } from '../review/draw';
import { acceptOffer, makeOffer } from '../review/offers';
import { drawWithoutReplacement, mulberry32, nextInt } from '../review/prng';
import { nextStep } from '../review/stages';
import { demoMaterials } from './materials';
import { demoPerson } from './people';

export interface DemoContext {
  seed: number;
  pack: PolicyPack;
  calendar: Calendar;
  institution: InstitutionFacts;
  physicians: readonly PhysicianProfile[];
  now: Date;
  /** Physicians with accounts (the logged-in one on a lone desk): together given this share of the cases they are eligible for. */
  focusPhysicianIds?: readonly string[];
  focusShare?: number;
  withMaterials?: boolean;
}

export interface DemoCase {
  person: InsuredPerson;
  caseRow: CaseRow;
  assignments: Assignment[];
  reviews: Review[];
  workItems: WorkItem[];
  materials: Material[];
  results: OutsideResult[];
  certification: Certification | null;
}

/** Eligibility per disease, worked out once: `checkPhysician` for 46 diseases, not per case. */
export interface DemoPlan {
  ctx: DemoContext;
  today: string;
  eligible: Map<string, RandomDraw>;
  focusDiseases: string[];
  names: Map<string, string>;
  /** Completion due day per receipt day: a few dozen distinct days for thousands of cases. */
  dueOn: Map<string, DueFields>;
}

export function planDemo(ctx: DemoContext): DemoPlan {
  const today = chinaDateOf(ctx.now);
  const eligible = new Map<string, RandomDraw>();
  for (const d of ctx.pack.diseases) {
    const r = drawReviewers({ pack: ctx.pack, physicians: ctx.physicians, institution: ctx.institution, diseaseCode: d.code, onDate: today, count: 0, exclude: [], seed: 0 });
    eligible.set(d.code, r.record);
  }
  const focus = ctx.focusPhysicianIds ?? [];
  const focusDiseases = [...eligible].filter(([, r]) => r.candidates.some((id) => focus.includes(id))).map(([code]) => code);
  return { ctx, today, eligible, focusDiseases, names: new Map(ctx.physicians.map((p) => [p.id, p.name])), dueOn: new Map() };
}

const VERDICTS = ['approve', 'approve', 'approve', 'approve', 'approve', 'approve', 'approve', 'reject', 'reject', 'materials-missing'] as const;

/**
 * Draws `count` reviewers among the disease's precomputed candidates — the same mulberry32 draw
 * `drawReviewers` makes, so `verifyDraw` replays it. For the focus physician's share it tries
 * seeds until they are drawn: acceptable for demo data, never for real assignments.
 */
function draw(plan: DemoPlan, disease: string, count: number, exclude: string[], next: () => number, wantFocus: boolean): RandomDraw | null {
  const base = plan.eligible.get(disease)!;
  const excluded = base.candidates.filter((id) => exclude.includes(id));
  const candidates = base.candidates.filter((id) => !exclude.includes(id));
  if (candidates.length < count) return null;
  const focus = plan.ctx.focusPhysicianIds ?? [];
  const tries = wantFocus && candidates.some((id) => focus.includes(id)) ? 64 : 1;
  let record: RandomDraw | null = null;
  for (let attempt = 0; attempt < tries; attempt++) {
    const seed = nextInt(next, 0x100000000);
    record = { mode: 'random', seed, candidates, excluded, ineligible: base.ineligible, chosen: drawWithoutReplacement(candidates, count, mulberry32(seed)) };
    if (record.chosen.some((id) => focus.includes(id))) break;
  }
  return record;
}

export function demoCase(plan: DemoPlan, index: number): DemoCase {
  const { ctx } = plan;
  const next = mulberry32((ctx.seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  // Every seventh case is a second disease of the previous case's person, for the case file.
  const personIndex = index % 7 === 6 ? index - 1 : index;
  const personNext = mulberry32((ctx.seed ^ Math.imul(personIndex + 1, 0x85ebca6b)) >>> 0);
  const now = ctx.now.getTime();
  const receivedOn = addDays(plan.today, -nextInt(next, 26));
  const submittedAt = new Date(Date.parse(`${addDays(receivedOn, -nextInt(next, 3))}T08:30:00+08:00`)).toISOString();
  const person = demoPerson(personIndex, `demo-p-${personIndex}`, ctx.pack.region.code, plan.today, submittedAt, personNext);

  const wantFocus = plan.focusDiseases.length > 0 && next() < (ctx.focusShare ?? 0.6);
  const diseases = wantFocus ? plan.focusDiseases : ctx.pack.diseases.map((d) => d.code);
  const code = diseases[nextInt(next, diseases.length)]!;
  const disease = ctx.pack.diseases.find((d) => d.code === code)!;
  if (!plan.dueOn.has(receivedOn)) plan.dueOn.set(receivedOn, dueFields(completionDue(ctx.pack, ctx.calendar, receivedOn)));
  const due = plan.dueOn.get(receivedOn)!;
  let caseRow: CaseRow = {
    id: `demo-c-${index}`, personId: person.id, personName: person.name, certNo: person.certNo, psnNo: person.psnNo ?? '', insutype: person.insutype, regionCode: person.regionCode,
    diseaseCode: code, diseaseName: disease.name, kind: next() < 0.2 ? 're-review' : 'first', channel: next() < 0.5 ? 'assisted' : 'online',
    submittedAt, receivedOn, status: 'in-review', stage: null, stageLabel: '', tieBreak: false, ...due, paused: [], result: null, decidedAt: null, updatedAt: submittedAt,
  };

  const assignments: Assignment[] = [];
  const reviews: Review[] = [];
  const workItems: WorkItem[] = [];
  // Steps happen between receipt and now; open offers are younger than the acceptance window.
  let t = Math.max(Date.parse(submittedAt), Date.parse(`${receivedOn}T09:00:00+08:00`));
  const stepMs = Math.max(3_600_000, (now - t) / 6);
  // The focus physician joins at one step (初审, 终审 or a tie-break), and the case gets that far.
  const focusAt = wantFocus ? nextInt(next, 3) : -1;
  for (let stepIndex = 0; stepIndex < 8; stepIndex++) {
    const step = nextStep(ctx.pack, reviews);
    if (step.kind === 'invalid') break;
    if (step.kind === 'decided') {
      const decidedAt = new Date(t).toISOString();
      caseRow = { ...caseRow, status: 'decided', stage: null, stageLabel: step.label, result: step.result, decidedAt, deadlineAt: NO_DEADLINE, updatedAt: decidedAt };
      break;
    }
    caseRow = { ...caseRow, stage: step.stage, stageLabel: step.label, tieBreak: step.tieBreak, status: step.mode === 'office' ? 'office-review' : 'in-review' };
    const chosen = step.mode === 'office' ? { mode: 'office' as const, chosen: [OFFICE_ASSIGNEE] } : draw(plan, code, step.count, step.exclude, next, stepIndex === focusAt);
    if (!chosen) {
      caseRow = { ...caseRow, status: 'unassigned' };
      break;
    }
    const stop = (stepIndex >= focusAt && next() < 0.45) || t + stepMs >= now;
    const offeredAt = stop ? now - nextInt(next, 46 * 3_600_000) : t;
    const open = chosen.chosen.map((reviewerId, k) => {
      const o = makeOffer({ pack: ctx.pack, caseRow, stage: step.stage, stageLabel: step.label, tieBreak: step.tieBreak, reviewerId, draw: chosen, now: new Date(Math.max(offeredAt, t)), id: `${caseRow.id}-a${assignments.length + k + 1}` });
      if (o.assignment.state === 'offered' && (!stop || next() < 0.6)) {
        const accepted = acceptOffer(o.assignment, caseRow, step.label, new Date(Math.min(now, Date.parse(o.assignment.offeredAt) + 3_600_000 * (1 + nextInt(next, 20)))));
        if (accepted.ok) return { assignment: accepted.assignment, workItem: accepted.workItem! };
      }
      return o;
    });
    if (stop) {
      for (const o of open) {
        assignments.push(o.assignment);
        workItems.push(o.workItem);
      }
      break;
    }
    t += stepMs;
    for (const o of open) {
      const verdict = VERDICTS[nextInt(next, VERDICTS.length)]!;
      const at = new Date(t + nextInt(next, 3_600_000)).toISOString();
      assignments.push({ ...o.assignment, state: 'completed', acceptedAt: o.assignment.acceptedAt ?? at, closedAt: at });
      const conclusion = verdict === 'approve' ? { verdict } : verdict === 'reject' ? { verdict, reason: '不符合该病种准入标准（演示）' } : { verdict, missingItems: [disease.requiredMaterials[0]?.id ?? 'medical-record'] };
      reviews.push({ id: `${o.assignment.id}-r`, caseId: caseRow.id, assignmentId: o.assignment.id, stage: step.stage, tieBreak: step.tieBreak, reviewerId: o.assignment.reviewerId, reviewerName: plan.names.get(o.assignment.reviewerId) ?? '医保办', conclusion, criteriaMet: verdict === 'approve' ? disease.criteria.map((c) => c.id) : [], at, auditSeq: null });
    }
    // The next stage starts once this one's reviews are in (the case file orders steps by time).
    t = Math.max(t, ...reviews.map((r) => Date.parse(r.at)));
  }

  const extra = ctx.withMaterials === false ? { materials: [], results: [] } : demoMaterials(ctx.pack, caseRow, person.offSiteResident, next);
  return { person, caseRow, assignments, reviews, workItems, ...extra, certification: certificationOf(plan, caseRow, reviews) };
}

/** An approved case's certification, ready for the 医保办 to file; the term from the disease's re-review months. */
function certificationOf(plan: DemoPlan, c: CaseRow, reviews: readonly Review[]): Certification | null {
  if (c.result !== 'approved' || !c.decidedAt) return null;
  const doctor = reviews.find((r) => r.reviewerId !== OFFICE_ASSIGNEE)!;
  const on = chinaDateOf(c.decidedAt);
  const term = plan.ctx.pack.diseases.find((d) => d.code === c.diseaseCode)?.reReviewTermMonths.value ?? null;
  const endDate = term === null ? null : addDays(addMonths(on, term), -1);
  return { id: `${c.id}-cert`, caseId: c.id, personId: c.personId, diseaseCode: c.diseaseCode, diseaseName: c.diseaseName, certifiedOn: on, begnDate: on, endDate, reReviewDueOn: endDate, physicianId: doctor.reviewerId, physicianName: doctor.reviewerName, state: 'ready', updatedAt: c.decidedAt };
}
