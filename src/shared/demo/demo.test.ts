import { describe, expect, it } from 'vitest';
import { cal, chainPack, institution, randomPack } from '../../../test/fixtures/review-packs';
import { caseSchema } from '../domain/case';
import { insuredPersonSchema } from '../domain/insured';
import { materialSchema, outsideResultSchema } from '../domain/material';
import { assignmentSchema, reviewSchema } from '../domain/review';
import { workItemSchema } from '../domain/work-item';
import { validateCertNo } from '../policy/cert-no';
import { addDays } from '../time';
import { verifyDraw } from '../review/draw';
import { demoCase, planDemo, type DemoCase } from './generate';
import { demoCertNo } from './people';
import { demoPhysicians, demoProfileFor } from './physicians';

const now = new Date('2025-06-20T02:00:00.000Z');
const at = now.toISOString();

function generate(pack = randomPack, count = 400, focus = true): DemoCase[] {
  const me = demoProfileFor({ id: 'me', displayName: '王演示', department: '内分泌科' }, pack, institution.code!, at);
  const physicians = [...demoPhysicians(pack, institution.code!, 7, at), me];
  const plan = planDemo({ seed: 2025, pack, calendar: cal, institution, physicians, now, focusPhysicianIds: focus ? ['me'] : [] });
  return Array.from({ length: count }, (_, i) => demoCase(plan, i));
}

describe('demo people', () => {
  it('GB 11643: invented ID numbers carry a valid check character and the birth date and sex', () => {
    const id = demoCertNo('140105', '1960-02-29', 'female', () => 0);
    expect(id).toBe(`14010519600229900${'10X98765432'[[1, 4, 0, 1, 0, 5, 1, 9, 6, 0, 0, 2, 2, 9, 9, 0, 0].reduce((s, d, i) => s + d * [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2][i]!, 0) % 11]}`);
    expect(validateCertNo(id)).toMatchObject({ valid: true, birthDate: '1960-02-29', sex: 'female' });
  });
});

describe('demo cases (002 random process)', () => {
  const cases = generate();

  it('is a pure function of seed and index', () => {
    expect(generate(randomPack, 30)).toEqual(cases.slice(0, 30));
  });

  it('every row fits its schema and every ID number is valid', () => {
    for (const c of cases) {
      expect(insuredPersonSchema.safeParse(c.person).success).toBe(true);
      expect(caseSchema.safeParse(c.caseRow).error).toBeUndefined();
      for (const a of c.assignments) expect(assignmentSchema.safeParse(a).error).toBeUndefined();
      for (const r of c.reviews) expect(reviewSchema.safeParse(r).error).toBeUndefined();
      for (const w of c.workItems) expect(workItemSchema.safeParse(w).error).toBeUndefined();
      for (const m of c.materials) expect(materialSchema.safeParse(m).error).toBeUndefined();
      for (const r of c.results) expect(outsideResultSchema.safeParse(r).error).toBeUndefined();
      expect(validateCertNo(c.person.certNo).valid).toBe(true);
    }
  });

  it('spreads cases over every stage and status, the third final reviewer included', () => {
    const labels = new Set(cases.map((c) => c.caseRow.stageLabel));
    expect([...labels]).toEqual(expect.arrayContaining(['初审', '终审', '终审（第三名专家）']));
    const statuses = new Set(cases.map((c) => c.caseRow.status));
    expect([...statuses]).toEqual(expect.arrayContaining(['in-review', 'decided']));
    const results = new Set(cases.map((c) => c.caseRow.result));
    expect([...results]).toEqual(expect.arrayContaining(['approved', 'rejected']));
    expect(cases.some((c) => c.workItems.some((w) => w.state === 'offered')) && cases.some((c) => c.workItems.some((w) => w.state === 'accepted'))).toBe(true);
  });

  it('every random draw replays, nobody reviews a case twice, and open offers are inside the 48 h window', () => {
    for (const c of cases) {
      for (const a of c.assignments) if (a.draw.mode === 'random') expect(verifyDraw(a.draw)).toBe(true);
      const reviewers = c.reviews.map((r) => r.reviewerId);
      expect(new Set(reviewers).size).toBe(reviewers.length);
      for (const w of c.workItems) if (w.acceptBy) expect(Date.parse(w.acceptBy)).toBeGreaterThan(now.getTime());
    }
  });

  it('gives the logged-in physician a full worklist at every stage', () => {
    const mine = cases.flatMap((c) => c.workItems).filter((w) => w.assigneeId === 'me');
    expect(mine.length).toBeGreaterThan(40);
    expect(new Set(mine.map((w) => w.stage))).toEqual(new Set(['first', 'final']));
  });

  it('outside results: with and without HR, inside and outside their validity window', () => {
    const results = cases.flatMap((c) => c.results.map((r) => ({ r, receivedOn: c.caseRow.receivedOn })));
    expect(results.some(({ r }) => r.hrMark === 'HR')).toBe(true);
    expect(results.some(({ r }) => r.hrMark === null)).toBe(true);
    const windowed = results.filter(({ r }) => r.validityId !== null).map(({ r, receivedOn }) => {
      const days = randomPack.recognition.validity.find((v) => v.id === r.validityId)!.days;
      return r.reportDate >= addDays(receivedOn, -days);
    });
    expect(windowed).toContain(true);
    expect(windowed).toContain(false);
  });

  it('approved cases carry a certification ready for the 医保办, with the re-review date', () => {
    const approved = cases.filter((c) => c.caseRow.result === 'approved');
    expect(approved.length).toBeGreaterThan(0);
    for (const c of approved) expect(c.certification).toMatchObject({ state: 'ready', caseId: c.caseRow.id });
    expect(cases.filter((c) => c.caseRow.result !== 'approved').every((c) => c.certification === null)).toBe(true);
  });
});

describe('demo cases (000 chain)', () => {
  it('moves cases from the certifying physician to the 医保办 queue', () => {
    const cases = generate(chainPack, 200, false);
    expect(cases.some((c) => c.workItems.some((w) => w.assigneeId === 'office'))).toBe(true);
    expect(cases.some((c) => c.caseRow.status === 'office-review')).toBe(true);
    expect(cases.every((c) => c.workItems.every((w) => w.acceptBy === null))).toBe(true); // no acceptance window in this pack
  });
});

describe('demo persons and the demo platform', () => {
  it('are the persons the embedded platform seeds, so their filings reach a known person', async () => {
    const { demoPerson } = await import('./people');
    const { DEMO_PLATFORM, syntheticPerson } = await import('./population');
    const known = demoPerson(3, 'demo-p-3', '410200', '2025-06-01', '2025-06-01T00:00:00Z', () => 0.5);
    const platform = syntheticPerson(3, DEMO_PLATFORM.regionCode);
    expect(known).toMatchObject({ psnNo: platform.psn_no, certNo: platform.certno, name: platform.psn_name, insutype: platform.insutype, regionCode: DEMO_PLATFORM.regionCode });
    const beyond = demoPerson(DEMO_PLATFORM.population, 'demo-p-x', '410200', '2025-06-01', '2025-06-01T00:00:00Z', () => 0.5);
    expect(beyond.psnNo).toBeNull();
  });
});
