import { describe, expect, it } from 'vitest';
import { commandIds } from './context';

describe('commandIds', () => {
  it('makes the same ids, in order, from the same command id on every side', () => {
    const a = commandIds('cmd-3f2b8c1e-9a4d-4e7b-8c2a-1d5e6f7a8b9c');
    const b = commandIds('cmd-3f2b8c1e-9a4d-4e7b-8c2a-1d5e6f7a8b9c');
    expect([a('case'), a('asg'), a('rcg')]).toEqual([b('case'), b('asg'), b('rcg')]);
    expect(a('rev')).toBe('rev-3f2b8c1e9a4d4e7b8c2a1d5e6f7a8b9c-4');
  });

  it('a 互认 record made under a desk’s command fits the platform’s hosp_rcgn_id (40 characters)', () => {
    const id = commandIds(`cmd-${crypto.randomUUID()}`)('rcg');
    expect(id.length).toBeLessThanOrEqual(40);
  });

  it('never derives the same id from two different command ids', () => {
    const ids = ['cmd-3f2b8c1e-9a4d-4e7b-8c2a-1d5e6f7a8b9c', 'cmd-3f2b8c1e9a4d4e7b8c2a1d5e6f7a8b9c', 'cmd-3f2b-8c1e9a4d4e7b8c2a1d5e6f7a8b9c', 'cmd-3F2B8C1E-9A4D-4E7B-8C2A-1D5E6F7A8B9C', 'cmd-a-1', 'cmd-a', 'a-1', 'cmd-bench-1'];
    const made = ids.map((id) => {
      const next = commandIds(id);
      return [next('case'), next('case')];
    });
    const all = made.flat();
    expect(new Set(all).size).toBe(all.length);
  });
});
