// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { randomPack } from '../../../../../test/fixtures/review-packs';
import { getDb } from '../../db/db';
import { ApplicantStatus } from './ApplicantStatus';

beforeAll(async () => {
  await getDb().open();
  await getDb().deskCommands.put({
    id: 'cmd-1', seq: 1, kind: 'case.conclude', at: '2026-06-16T02:00:00.000Z', payload: { assignmentId: 'a-1', conclusion: { verdict: 'approve' }, criteriaMet: [] }, userId: 'office-1', caseId: 'c-1',
    state: 'pending', reason: null, value: undefined, attempts: 0, lastError: null, answeredAt: null,
  });
});
afterEach(() => cleanup());

describe('ApplicantStatus (受理申请)', { timeout: 30_000 }, () => {
  it('a case decided on this desk by a conclusion the server has not applied is still listed as in progress, waiting for the server', async () => {
    const history = { cases: [{ id: 'c-1', diseaseCode: 'M01600', diseaseName: '糖尿病', status: 'decided' as const, receivedOn: '2026-06-10' }, { id: 'c-2', diseaseCode: 'M03900', diseaseName: '高血压', status: 'decided' as const, receivedOn: '2025-01-10' }], certifications: [] };
    render(<ApplicantStatus pack={randomPack} history={history} held={[]} diseaseCode={undefined} assessment={null} />);
    await waitFor(() => expect(screen.getByTestId('case-awaiting').textContent).toBe('结论待确认'), { timeout: 10_000 });
    expect(document.body.textContent).toContain('糖尿病 · 2026-06-10 受理');
    expect(document.body.textContent).not.toContain('高血压'); // decided and confirmed: not in progress
    expect(document.body.textContent).not.toContain('已办结');
  });
});
