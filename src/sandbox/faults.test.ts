import { describe, expect, it } from 'vitest';
import { FaultInjector, faultJsonSchema, faultJsonToSpec, FaultSpecError, formatFaultSpec, NO_FAULTS, parseFaultSpec } from './faults';

describe('fault spec', () => {
  it('parses every clause', () => {
    const cfg = parseFaultSpec('seed=42; delay=20-200@0.1; 5xx@0.1; reset@10%; hang=5000@0.05; drop@0.1; only=2503,2504');
    expect(cfg).toEqual({
      seed: 42,
      delay: { min: 20, max: 200, rate: 0.1 },
      http5xx: { rate: 0.1, status: null },
      reset: { rate: 0.1 },
      hang: { rate: 0.05, capMs: 5000 },
      drop: { rate: 0.1 },
      only: ['2503', '2504'],
    });
    expect(parseFaultSpec('delay=50')).toMatchObject({ delay: { min: 50, max: 50, rate: 1 } });
    expect(parseFaultSpec('5xx=503@0.2').http5xx).toEqual({ rate: 0.2, status: 503 });
    expect(parseFaultSpec('hang@1').hang).toEqual({ rate: 1, capMs: 120_000 });
    expect(parseFaultSpec('')).toEqual(NO_FAULTS);
    expect(parseFaultSpec('off')).toEqual(NO_FAULTS);
  });

  it('round-trips through its canonical form', () => {
    for (const spec of ['seed=7;delay=1-9@0.5;5xx=502@0.1;reset@0.1;hang=100@0.1;drop@0.2;only=2503', 'off', 'seed=3;hang@0.5']) {
      const cfg = parseFaultSpec(spec);
      expect(parseFaultSpec(formatFaultSpec(cfg))).toEqual(cfg);
    }
    expect(formatFaultSpec(NO_FAULTS)).toBe('off');
  });

  it('names what is wrong', () => {
    const bad: [string, RegExp][] = [
      ['drop@1.5', /0–1/],
      ['delay=abc', /delay/],
      ['delay=20-10', /上限/],
      ['5xx=404', /500–599/],
      ['explode@0.1', /未知的故障类型 explode/],
      ['seed=-1', /seed/],
      ['reset@0.6;drop@0.6', /之和不能超过 1/],
      ['only=', /only/],
    ];
    for (const [spec, re] of bad) expect(() => parseFaultSpec(spec), spec).toThrow(re);
    expect(() => parseFaultSpec('drop@2')).toThrow(FaultSpecError);
  });

  it('accepts the JSON form', () => {
    const json = faultJsonSchema.parse({ seed: 9, delay: { min: 5, max: 10 }, '5xx': { rate: 0.1, status: 503 }, drop: { rate: 0.2 }, only: ['2503'] });
    expect(parseFaultSpec(faultJsonToSpec(json))).toEqual(parseFaultSpec('seed=9;delay=5-10@1;5xx=503@0.1;drop@0.2;only=2503'));
    expect(faultJsonSchema.safeParse({ explode: 1 }).success).toBe(false);
  });
});

describe('FaultInjector', () => {
  const run = (spec: string, infnos: string[]) => {
    const f = new FaultInjector(parseFaultSpec(spec));
    return infnos.map((i) => f.decide(i));
  };
  const infnos = Array.from({ length: 2000 }, (_, i) => (i % 3 === 0 ? '9001' : '2503'));

  it('replays the same decisions from the same seed', () => {
    const spec = 'seed=42;delay=20-200@0.3;5xx@0.1;reset@0.1;hang@0.1;drop@0.1';
    expect(run(spec, infnos)).toEqual(run(spec, infnos));
    expect(run(spec, infnos)).not.toEqual(run(spec.replace('42', '43'), infnos));
    const f = new FaultInjector(parseFaultSpec(spec));
    const first = infnos.slice(0, 50).map((i) => f.decide(i));
    f.set(parseFaultSpec(spec)); // setting restarts from the seed
    expect(infnos.slice(0, 50).map((i) => f.decide(i))).toEqual(first);
  });

  it('draws each kind at about its rate, delays within the range', () => {
    const d = run('seed=1;delay=20-200@0.5;5xx@0.1;reset@0.1;hang@0.1;drop@0.2', infnos);
    const share = (k: string) => d.filter((x) => x.kind === k).length / d.length;
    expect(share('5xx')).toBeCloseTo(0.1, 1);
    expect(share('reset')).toBeCloseTo(0.1, 1);
    expect(share('hang')).toBeCloseTo(0.1, 1);
    expect(share('drop')).toBeCloseTo(0.2, 1);
    expect(share('none')).toBeCloseTo(0.5, 1);
    const delays = d.filter((x) => x.delayMs > 0).map((x) => x.delayMs);
    expect(delays.length / d.length).toBeCloseTo(0.5, 1);
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(20);
    expect(Math.max(...delays)).toBeLessThanOrEqual(200);
    expect(new Set(d.filter((x) => x.kind === '5xx').map((x) => x.status))).toEqual(new Set([500, 502, 503]));
  });

  it('applies only to the listed transactions, and their sequence ignores the others', () => {
    const only = run('seed=5;drop@0.5;only=2503', infnos);
    expect(only.filter((x, i) => infnos[i] === '9001' && x.kind !== 'none')).toEqual([]);
    const just2503 = run('seed=5;drop@0.5;only=2503', infnos.filter((i) => i === '2503'));
    expect(only.filter((_, i) => infnos[i] === '2503')).toEqual(just2503);
    expect(run('off', ['2503'])[0]).toEqual({ delayMs: 0, kind: 'none', status: 0, capMs: 0 });
  });
});
