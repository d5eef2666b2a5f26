import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_BACKOFF } from './backoff';

const policy = { baseMs: 1000, capMs: 30_000, factor: 2 };

describe('backoffDelay', () => {
  it('doubles per failure, between half and all of the step', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(500);
    expect(backoffDelay(1, policy, () => 1)).toBe(1000);
    expect(backoffDelay(2, policy, () => 1)).toBe(2000);
    expect(backoffDelay(4, policy, () => 0.5)).toBe(6000);
  });

  it('never exceeds the cap, however many failures', () => {
    expect(backoffDelay(50, policy, () => 1)).toBe(30_000);
    expect(backoffDelay(10_000, DEFAULT_BACKOFF, () => 1)).toBe(DEFAULT_BACKOFF.capMs);
  });

  it('treats nonsense input as the first failure and clamps the random source', () => {
    expect(backoffDelay(0, policy, () => 1)).toBe(1000);
    expect(backoffDelay(-3, policy, () => 7)).toBe(1000);
    expect(backoffDelay(1, policy, () => -1)).toBe(500);
  });

  it('spreads retries of many items (jitter)', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const delays = new Set(Array.from({ length: 100 }, () => backoffDelay(3, policy, random)));
    expect(delays.size).toBeGreaterThan(50);
  });
});
