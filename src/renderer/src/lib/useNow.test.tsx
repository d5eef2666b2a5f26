// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useToday } from './useNow';

function Today() {
  return <span data-testid="today">{useToday()}</span>;
}

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('useToday', () => {
  it('a page left open past midnight in China moves to the new day by itself', () => {
    vi.useFakeTimers({ toFake: ['Date', 'setInterval', 'clearInterval'] });
    vi.setSystemTime(new Date('2026-12-31T23:59:30+08:00'));
    render(<Today />);
    expect(screen.getByTestId('today').textContent).toBe('2026-12-31');
    act(() => vi.advanceTimersByTime(60_000));
    expect(screen.getByTestId('today').textContent).toBe('2027-01-01');
  });
});
