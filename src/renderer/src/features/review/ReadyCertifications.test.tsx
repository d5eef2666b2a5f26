// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Certification } from '../../../../shared/domain/certification';
import type { User } from '../../../../shared/domain/user';
import { getDb } from '../../db/db';
import { SessionContext } from '../auth/session';
import { ReadyCertifications } from './ReadyCertifications';

const office: User = { id: 'office-1', username: 'pang', displayName: '庞演示', role: 'office', passwordHash: 'x', createdAt: '2025-01-01T00:00:00.000Z', createdBy: null, disabled: false };
const cert = (n: number): Certification => ({
  id: `cert-${n}`, caseId: `case-${n}`, personId: `p-${n}`, diseaseCode: 'M01600', diseaseName: '糖尿病', certifiedOn: '2026-06-16', begnDate: '2026-06-16', endDate: '2028-06-15', reReviewDueOn: '2028-06-15',
  physicianId: 'dr-1', physicianName: '柯演示', state: 'ready', updatedAt: '2026-06-16T02:00:00.000Z',
});

beforeAll(async () => {
  const db = getDb();
  await db.open();
  await db.certifications.bulkPut([cert(1), cert(2)]);
  // Certification 2 was made on this desk by a 院内复核 conclusion the server has not applied yet.
  await db.deskCommands.put({
    id: 'cmd-2', seq: 1, kind: 'case.conclude', at: '2026-06-16T02:00:00.000Z', payload: { assignmentId: 'a-2', conclusion: { verdict: 'approve' }, criteriaMet: [] }, userId: office.id, caseId: 'case-2',
    state: 'pending', reason: null, value: undefined, attempts: 0, lastError: null, answeredAt: null,
  });
});
afterEach(() => cleanup());

describe('ReadyCertifications (工作台)', { timeout: 30_000 }, () => {
  it('offers 提交备案 only for certifications the server has confirmed; one from a conclusion still waiting says so', async () => {
    render(
      <ConfigProvider locale={zhCN}>
        <App>
          <SessionContext.Provider value={{ user: office, lock: () => undefined, logout: () => undefined }}>
            <ReadyCertifications />
          </SessionContext.Provider>
        </App>
      </ConfigProvider>,
    );
    await waitFor(() => expect(screen.getAllByRole('row').length).toBe(3), { timeout: 10_000 });
    await waitFor(() => expect(screen.getByTestId('case-awaiting').textContent).toBe('结论待确认'), { timeout: 10_000 });
    const file = [...document.querySelectorAll('button')].filter((b) => b.textContent?.replace(/\s/g, '') === '提交备案');
    expect(file).toHaveLength(1);
    expect(screen.getByTestId('case-awaiting').closest('tr')).not.toBe(file[0]!.closest('tr'));
    // Applied by the server: both can be filed.
    await getDb().deskCommands.update('cmd-2', { state: 'applied' });
    await waitFor(() => expect([...document.querySelectorAll('button')].filter((b) => b.textContent?.replace(/\s/g, '') === '提交备案')).toHaveLength(2), { timeout: 10_000 });
  });
});
