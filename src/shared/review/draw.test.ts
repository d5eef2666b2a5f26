import { describe, expect, it } from 'vitest';
import { DIABETES, institution, physician, randomPack } from '../../../test/fixtures/review-packs';
import { drawReviewers, replayDraw, verifyDraw } from './draw';
import { drawWithoutReplacement, mulberry32, seedFrom } from './prng';

const roster = ['p1', 'p2', 'p3', 'p4', 'p5'].map((id) => physician(id));
const base = { pack: randomPack, physicians: roster, institution, diseaseCode: DIABETES, onDate: '2025-06-03', exclude: [] as string[] };

describe('seeded PRNG', () => {
  it('mulberry32 is deterministic per seed and stays in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(xs[0]);
  });

  it('draws without replacement and roughly uniformly', () => {
    const counts = new Map<string, number>();
    const next = mulberry32(seedFrom('uniform'));
    for (let i = 0; i < 5000; i++) {
      const [x] = drawWithoutReplacement(['a', 'b', 'c', 'd', 'e'], 1, next);
      counts.set(x!, (counts.get(x!) ?? 0) + 1);
    }
    for (const n of counts.values()) expect(n).toBeGreaterThan(850);
    const two = drawWithoutReplacement(['a', 'b', 'c'], 2, mulberry32(7));
    expect(new Set(two).size).toBe(2);
  });
});

describe('drawReviewers (002: random experts among those eligible by checkPhysician)', () => {
  it('002 初审: draws one expert and records seed, candidates and choice so it replays', () => {
    const r = drawReviewers({ ...base, count: 1, seed: 123456 });
    expect(r.ok).toBe(true);
    expect(r.record.candidates).toEqual(['p1', 'p2', 'p3', 'p4', 'p5']);
    expect(r.record.chosen).toHaveLength(1);
    expect(replayDraw(r.record)).toEqual(r.record.chosen);
    expect(verifyDraw(r.record)).toBe(true);
    expect(verifyDraw({ ...r.record, chosen: r.record.chosen[0] === 'p1' ? ['p2'] : ['p1'] })).toBe(false);
  });

  it('002 终审: two different experts, never one who already reviewed the case', () => {
    const r = drawReviewers({ ...base, count: 2, exclude: ['p3'], seed: 99 });
    expect(r.ok && r.record.chosen.length).toBe(2);
    expect(new Set(r.record.chosen).size).toBe(2);
    expect(r.record.chosen).not.toContain('p3');
    expect(r.record.excluded).toEqual(['p3']);
  });

  it('the draw depends on the seed and the candidate set, not on roster order', () => {
    const a = drawReviewers({ ...base, count: 2, seed: 2024 });
    const b = drawReviewers({ ...base, physicians: [...roster].reverse(), count: 2, seed: 2024 });
    expect(b.record.chosen).toEqual(a.record.chosen);
  });

  it('000: assistants, lapsed payment qualification, low title, wrong department and expired registry are not drawn; the auditor sees why (for the matching department)', () => {
    const physicians = [
      physician('ok'),
      physician('asst', { licence: 'assistant' }),
      physician('nopay', { paymentQualifications: [{ from: '2020-01-01', to: '2024-12-31' }] }),
      physician('junior', { title: 'intermediate' }),
      physician('cardio', { department: '心血管内科' }),
      physician('expired', { registry: [{ physicianId: 'expired', institutionCode: institution.code!, department: '内分泌科', registeredOn: '2020-01-01', expiresOn: '2025-01-01', invalidOn: null }] }),
    ];
    const r = drawReviewers({ ...base, physicians, count: 1, seed: 1 });
    expect(r.record.candidates).toEqual(['ok']);
    expect(r.record.chosen).toEqual(['ok']);
    const why = Object.fromEntries(r.record.ineligible.map((i) => [i.id, i.codes]));
    expect(why['asst']).toContain('assistant-physician');
    expect(why['nopay']).toContain('no-payment-qualification');
    expect(why['junior']).toContain('title-too-low');
    expect(why['cardio']).toBeUndefined(); // another department's physician: not a candidate, not worth recording
    expect(r.record.candidates).not.toContain('cardio');
    expect(why['expired']).toContain('registry-expired');
  });

  it('002: a physician flagged by the refusal limit is not drawn', () => {
    const r = drawReviewers({ ...base, count: 1, flagged: ['p1', 'p2', 'p3', 'p4'], seed: 5 });
    expect(r.record.chosen).toEqual(['p5']);
    expect(r.record.ineligible.map((i) => i.id)).toEqual(['p1', 'p2', 'p3', 'p4']);
  });

  it('fails with the record when too few are eligible (the 医保办 must act)', () => {
    const r = drawReviewers({ ...base, count: 2, exclude: ['p1', 'p2', 'p3', 'p4'], seed: 5 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toBe('符合条件的认定医师不足：需要 2 名，仅有 1 名');
    expect(r.record.chosen).toEqual([]);
  });
});
