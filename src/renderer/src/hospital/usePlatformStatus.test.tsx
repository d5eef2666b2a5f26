// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ServerPlatformStatus } from '../../../shared/hospital/filings';
import { HospitalError } from './client';
import { usePlatformStatus } from './usePlatformStatus';

const status: ServerPlatformStatus = {
  platform: 'demo', label: '演示平台', online: true, signedIn: true, lastSuccessAt: null, lastError: null, clockOffsetMs: null, runner: 'idle',
  counts: { queued: 0, inFlight: 0, waiting: 0, checking: 0, needsPerson: 0 }, nextAttemptAt: null, heldForOther: [],
};
let answer: () => Promise<ServerPlatformStatus> = async () => status;
vi.mock('./platform-link', () => ({ platformClient: () => ({ platformStatus: () => answer() }) }));

function Probe() {
  const { value, failure } = usePlatformStatus(20);
  return <div data-testid="probe">{`${value?.label ?? '—'}|${failure ?? ''}`}</div>;
}

afterEach(cleanup);

describe('usePlatformStatus', () => {
  it('asks the server at once and again; a later failure keeps the last answer and says why', async () => {
    render(<Probe />);
    await waitFor(() => expect(screen.getByTestId('probe').textContent).toBe('演示平台|'));
    answer = async () => {
      throw new HospitalError(0, '无法连接院内服务器');
    };
    await waitFor(() => expect(screen.getByTestId('probe').textContent).toBe('演示平台|无法连接院内服务器'));
    answer = async () => ({ ...status, label: '省平台' });
    await waitFor(() => expect(screen.getByTestId('probe').textContent).toBe('省平台|'));
  });
});
