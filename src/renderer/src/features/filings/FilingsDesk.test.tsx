// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import ExcelJS from 'exceljs';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CaseRow } from '../../../../shared/domain/case';
import type { Certification } from '../../../../shared/domain/certification';
import type { User } from '../../../../shared/domain/user';
import type { FilingBatchRow, FilingPhase, FilingRow } from '../../../../shared/hospital/filings';
import { getDb } from '../../db/db';
import { SessionContext } from '../auth/session';
import { batchWorkbook, exportFileName, RECEIPT_COLUMNS, receiptRows } from './batch-export';
import { CertificationFilingActions } from './CertificationFilingActions';
import { BatchView } from './FilingBatches';
import { revokeFiling } from './filing-commands';
import { ReadyToFile } from './ReadyToFile';

const office: User = { id: 'office-1', username: 'pang', displayName: '庞演示', role: 'office', passwordHash: 'x', createdAt: '2025-01-01T00:00:00.000Z', createdBy: null, disabled: false };
const NAMES = ['甲演示', '乙演示', '丙演示', '丁演示', '戊演示'];

const cert = (n: number, extra: Partial<Certification> = {}): Certification =>
  ({
    id: `cert-${n}`, caseId: `case-${n}`, personId: `p-${n}`, diseaseCode: n % 2 ? 'M01600' : 'M03900', diseaseName: n % 2 ? '糖尿病' : '高血压', certifiedOn: `2026-06-1${n}`,
    begnDate: `2026-06-1${n}`, endDate: '2028-06-15', reReviewDueOn: '2028-06-15', physicianId: 'dr-1', physicianName: '柯演示', state: 'ready', updatedAt: '2026-06-16T02:00:00.000Z', ...extra,
  }) as Certification;
const caseRow = (n: number) => ({ id: `case-${n}`, personId: `p-${n}`, personName: NAMES[n - 1]!, psnNo: `1400009000000000000${n}` }) as unknown as CaseRow;

const filing = (n: number, phase: FilingPhase, extra: Partial<FilingRow> = {}): FilingRow => ({
  id: `f-${n}`, kind: 'filing', infno: '2503', batchId: 'batch-1', certificationId: `cert-${n}`, caseId: `case-${n}`, psnNo: `1400009000000000000${n}`, psnName: NAMES[n - 1]!,
  summary: `糖尿病 2026-06-1${n} 起`, platform: 'demo', phase, reason: null, serial: null, sends: phase === 'queued' ? 0 : 1, nextAttemptAt: null,
  queuedAt: `2026-06-20T01:00:0${n}.000Z`, queuedBy: office.id, settledAt: null, updatedAt: '2026-06-20T01:05:00.000Z', ...extra,
});
const batch: FilingBatchRow = { id: 'batch-1', batchNo: '2026-P000012', createdAt: '2026-06-20T01:00:00.000Z', createdBy: office.id, createdByName: '庞演示', platform: 'demo', platformLabel: '演示平台', total: 4 };

const wrap = (node: ReactNode) =>
  render(
    <ConfigProvider locale={zhCN}>
      <App>
        <SessionContext.Provider value={{ user: office, lock: () => undefined, logout: () => undefined }}>{node}</SessionContext.Provider>
      </App>
    </ConfigProvider>,
  );

beforeEach(async () => {
  const db = getDb();
  await db.open();
  await Promise.all([db.certifications.clear(), db.cases.clear(), db.deskCommands.clear(), db.filings.clear(), db.filingBatches.clear()]);
});
afterEach(() => cleanup());

describe('待备案', { timeout: 30_000 }, () => {
  it('selecting 3 of 5 ready certifications queues one filing.submit with those ids, clears the selection and opens the batch', async () => {
    const db = getDb();
    await db.certifications.bulkPut([1, 2, 3, 4, 5].map((n) => cert(n)));
    await db.cases.bulkPut([1, 2, 3, 4, 5].map(caseRow));
    const onSubmitted = vi.fn();
    wrap(<ReadyToFile onSubmitted={onSubmitted} />);
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(6), { timeout: 10_000 });
    for (const n of [1, 3, 4]) fireEvent.click(screen.getByRole('checkbox', { name: new RegExp(`选择 ${NAMES[n - 1]}`) }));
    const submit = await screen.findByRole('button', { name: /提交备案（3 条）/ });
    fireEvent.click(submit);
    await waitFor(() => expect(onSubmitted).toHaveBeenCalledTimes(1), { timeout: 10_000 });
    const commands = await db.deskCommands.toArray();
    expect(commands).toHaveLength(1);
    expect(commands[0]).toMatchObject({ kind: 'filing.submit', state: 'pending', userId: office.id, payload: { certificationIds: ['cert-1', 'cert-3', 'cert-4'] } });
    const batchId = (commands[0]!.payload as { batchId: string }).batchId;
    expect(batchId).toMatch(/^batch-/);
    expect(onSubmitted).toHaveBeenCalledWith(batchId);
    // The selection is cleared, and the submitted ones wait for the server (not selectable again).
    await screen.findByRole('button', { name: /提交备案（0 条）/ });
    await waitFor(() => expect(screen.getAllByTestId('filing-command')).toHaveLength(3), { timeout: 10_000 });
    expect((screen.getByRole('checkbox', { name: new RegExp(`选择 ${NAMES[0]}`) }) as HTMLInputElement).disabled).toBe(true);
    expect((screen.getByRole('checkbox', { name: new RegExp(`选择 ${NAMES[1]}`) }) as HTMLInputElement).disabled).toBe(false);
  });

  it('filters by disease and selects all the filtered rows; a refused filing shows the platform reason', async () => {
    const db = getDb();
    await db.certifications.bulkPut([1, 2, 3, 4].map((n) => cert(n)));
    await db.certifications.put(cert(5, { state: 'filing-rejected', outboxId: 'o-5', rejectReason: '与已备案病种互斥', rejectedAt: '2026-06-20T01:00:00.000Z' } as Partial<Certification>));
    await db.cases.bulkPut([1, 2, 3, 4, 5].map(caseRow));
    wrap(<ReadyToFile onSubmitted={() => undefined} />);
    await screen.findByText('与已备案病种互斥', undefined, { timeout: 10_000 });
    // 糖尿病: 1, 3, 5.
    fireEvent.mouseDown(screen.getByRole('combobox', { name: '病种' }));
    fireEvent.click(await screen.findByTitle('糖尿病（M01600）'));
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(4));
    fireEvent.click(screen.getByRole('button', { name: /全选筛选结果（3 条）/ }));
    fireEvent.click(await screen.findByRole('button', { name: /提交备案（3 条）/ }));
    await waitFor(async () => expect(await db.deskCommands.count()).toBe(1), { timeout: 10_000 });
    expect((await db.deskCommands.toArray())[0]!.payload).toMatchObject({ certificationIds: ['cert-1', 'cert-3', 'cert-5'] });
  });
});

describe('备案批次', { timeout: 30_000 }, () => {
  const rows = () => [
    filing(1, 'accepted', { serial: 'SN0001', settledAt: '2026-06-20T01:02:00.000Z' }),
    filing(2, 'rejected', { reason: '参保信息不符', settledAt: '2026-06-20T01:03:00.000Z' }),
    filing(3, 'waiting', { reason: '平台忙，稍后重试' }),
    filing(4, 'set-aside', { reason: '连续失败 5 次', sends: 5 }),
  ];

  it('shows the progress and counts from the filings rows, live, with 重新发送 and 关闭 where a person must act', async () => {
    const db = getDb();
    await db.filingBatches.put(batch);
    await db.filings.bulkPut(rows());
    wrap(<BatchView batchId="batch-1" onBack={() => undefined} />);
    const view = await screen.findByTestId('batch-view', undefined, { timeout: 10_000 });
    expect(view.textContent).toContain('2026-P000012');
    const counts = within(screen.getByTestId('batch-counts'));
    const stat = (title: string) => counts.getByText(title).closest('.ant-statistic')!.querySelector('.ant-statistic-content')!.textContent;
    expect(stat('已发送')).toBe('3/ 4');
    expect(stat('已接受')).toBe('1');
    expect(stat('被拒')).toBe('1');
    expect(stat('已搁置')).toBe('1');
    expect(stat('等待网络/平台')).toBe('1');
    expect(document.querySelector('.ant-progress-indicator')?.textContent).toBe('3/4');
    expect(view.textContent).toContain('SN0001');
    expect(view.textContent).toContain('参保信息不符');
    // 重新发送 only for the set-aside one; 关闭 for the set-aside and the refused one.
    expect(screen.getAllByRole('button', { name: '重新发送' })).toHaveLength(1);
    expect(screen.getAllByRole('button', { name: /^关\s*闭$/ })).toHaveLength(2);
    fireEvent.click(screen.getByRole('button', { name: '重新发送' }));
    await waitFor(async () => expect((await db.deskCommands.toArray()).map((c) => [c.kind, c.payload])).toEqual([['filing.retry', { filingId: 'f-4' }]]), { timeout: 10_000 });
    await waitFor(() => expect(screen.queryAllByRole('button', { name: '重新发送' })).toHaveLength(0));
    // The server's next pull: the waiting one is accepted.
    await act(async () => {
      await db.filings.update('f-3', { phase: 'accepted', serial: 'SN0003', reason: null, settledAt: '2026-06-20T01:06:00.000Z' });
    });
    await waitFor(() => expect(document.querySelector('.ant-progress-indicator')?.textContent).toBe('4/4'), { timeout: 10_000 });
    expect(stat('已接受')).toBe('2');
  });

  it('says 待发送到院内服务器 while the batch command waits, and the refusal when the server refused it', async () => {
    const db = getDb();
    await db.deskCommands.put({
      id: 'cmd-b2', seq: 1, kind: 'filing.submit', at: '2026-06-20T01:00:00.000Z', payload: { batchId: 'batch-2', certificationIds: ['cert-1', 'cert-2'] }, userId: office.id, caseId: null,
      state: 'pending', reason: null, value: undefined, attempts: 0, lastError: null, answeredAt: null,
    });
    wrap(<BatchView batchId="batch-2" onBack={() => undefined} />);
    await screen.findByText('待发送到院内服务器（2 条）', undefined, { timeout: 10_000 });
    await act(async () => {
      await db.deskCommands.update('cmd-b2', { state: 'refused', reason: '认定 cert-2 不在待备案状态' });
    });
    await screen.findByText('认定 cert-2 不在待备案状态', undefined, { timeout: 10_000 });
  });

  it('exports the receipts as a workbook whose rows match the filings', async () => {
    const db = getDb();
    await db.certifications.bulkPut([1, 2, 3, 4].map((n) => cert(n)));
    const certs = new Map((await db.certifications.toArray()).map((c) => [c.id, c]));
    const receipts = receiptRows(rows(), certs);
    const bytes = await batchWorkbook(batch, receipts);
    expect(exportFileName(batch)).toBe('备案批次-2026-P000012.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes);
    const ws = wb.getWorksheet('备案回执')!;
    const values = (n: number) => (ws.getRow(n).values as unknown[]).slice(1).map(String);
    expect(values(2)).toEqual([...RECEIPT_COLUMNS]);
    expect(ws.rowCount).toBe(6);
    expect(values(3)).toEqual(['甲演示', '14000090000000000001', '糖尿病（M01600）', '柯演示', '2026-06-11', '平台已接受', 'SN0001', '2026-06-20 09:02:00']);
    expect(values(4)).toEqual(['乙演示', '14000090000000000002', '高血压（M03900）', '柯演示', '2026-06-12', '平台已拒绝', '参保信息不符', '2026-06-20 09:03:00']);
    expect(values(6)[5]).toBe('已搁置，需处理');
    expect(values(6)[6]).toBe('连续失败 5 次');
  });
});

describe('撤销备案', { timeout: 30_000 }, () => {
  const filed = cert(1, { state: 'filed', outboxId: 'o-1', trtDclaDetlSn: 'SN0001', filedAt: '2026-06-20T01:02:00.000Z' } as Partial<Certification>);

  it('requires a reason and queues filing.revoke', async () => {
    const db = getDb();
    await expect(revokeFiling(db, office.id, 'cert-1', ' ')).rejects.toThrow('请写明原因');
    expect(await db.deskCommands.count()).toBe(0);
    wrap(<CertificationFilingActions certification={filed} user={office} />);
    fireEvent.click(await screen.findByRole('button', { name: '撤销备案' }));
    const ok = await screen.findByRole('button', { name: '保存撤销' });
    expect((ok as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByRole('textbox', { name: '撤销原因' }), { target: { value: '诊断有误，患者要求撤销' } });
    await waitFor(() => expect((screen.getByRole('button', { name: '保存撤销' }) as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: '保存撤销' }));
    await waitFor(async () => expect(await db.deskCommands.count()).toBe(1), { timeout: 10_000 });
    expect((await db.deskCommands.toArray())[0]).toMatchObject({ kind: 'filing.revoke', state: 'pending', payload: { certificationId: 'cert-1', reason: '诊断有误，患者要求撤销' } });
    // While it waits, no more buttons: the command's tag instead.
    await screen.findByText('待发送到院内服务器', undefined, { timeout: 10_000 });
    expect(screen.queryByRole('button', { name: '撤销备案' })).toBeNull();
  });

  it('offers nothing on a revocation under way or a revoked filing', async () => {
    const revoking = { ...filed, state: 'revoking', revokeReason: '诊断有误', revocationId: 'o-2' } as Certification;
    const { rerender } = wrap(<CertificationFilingActions certification={revoking} user={office} />);
    await new Promise((r) => setTimeout(r, 200));
    expect(screen.queryByRole('button')).toBeNull();
    const revoked = { ...cert(1), state: 'revoked', trtDclaDetlSn: 'SN0001', revokedAt: '2026-06-21T01:00:00.000Z', revokeReason: '诊断有误' } as Certification;
    rerender(
      <ConfigProvider locale={zhCN}>
        <App>
          <SessionContext.Provider value={{ user: office, lock: () => undefined, logout: () => undefined }}>
            <CertificationFilingActions certification={revoked} user={office} />
          </SessionContext.Provider>
        </App>
      </ConfigProvider>,
    );
    await new Promise((r) => setTimeout(r, 200));
    expect(screen.queryByRole('button')).toBeNull();
  });
});

describe('关闭', { timeout: 30_000 }, () => {
  it('closes a refused filing with a note: filing.dismiss', async () => {
    const db = getDb();
    await db.filingBatches.put(batch);
    await db.filings.put(filing(2, 'rejected', { reason: '参保信息不符' }));
    wrap(<BatchView batchId="batch-1" onBack={() => undefined} />);
    fireEvent.click(await screen.findByRole('button', { name: /^关\s*闭$/ }, { timeout: 10_000 }));
    const ok = await screen.findByRole('button', { name: '关闭这条报文' });
    expect((ok as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByRole('textbox', { name: '处理结果' }), { target: { value: '已与参保人核实，改日重新受理' } });
    await waitFor(() => expect((screen.getByRole('button', { name: '关闭这条报文' }) as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByRole('button', { name: '关闭这条报文' }));
    await waitFor(async () => expect(await db.deskCommands.count()).toBe(1), { timeout: 10_000 });
    expect((await db.deskCommands.toArray())[0]).toMatchObject({ kind: 'filing.dismiss', payload: { filingId: 'f-2', note: '已与参保人核实，改日重新受理' } });
    await screen.findByText('待发送到院内服务器', undefined, { timeout: 10_000 });
  });
});

describe('更正备案', { timeout: 30_000 }, () => {
  it('carries the certification over and queues filing.correct with what changed and why', async () => {
    const db = getDb();
    const filed = cert(1, { state: 'filed', outboxId: 'o-1', trtDclaDetlSn: 'SN0001', filedAt: '2026-06-20T01:02:00.000Z' } as Partial<Certification>);
    wrap(<CertificationFilingActions certification={filed} user={office} />);
    fireEvent.click(await screen.findByRole('button', { name: '更正备案' }));
    const dialog = await screen.findByRole('dialog');
    const name = within(dialog).getByLabelText('病种名称') as HTMLInputElement;
    expect(name.value).toBe('糖尿病');
    expect((within(dialog).getByLabelText('病种编码') as HTMLInputElement).value).toBe('M01600');
    fireEvent.click(within(dialog).getByRole('button', { name: '保存更正' }));
    // No reason: refused at the desk.
    await within(dialog).findByText('请写明原因', undefined, { timeout: 10_000 });
    fireEvent.change(within(dialog).getByLabelText('更正原因'), { target: { value: '病种名称录入有误' } });
    // A reason but nothing changed: nothing to correct.
    fireEvent.click(within(dialog).getByRole('button', { name: '保存更正' }));
    await within(dialog).findByText('没有改动：请修改需要更正的内容', undefined, { timeout: 10_000 });
    expect(await db.deskCommands.count()).toBe(0);
    fireEvent.change(name, { target: { value: '2型糖尿病' } });
    fireEvent.click(within(dialog).getByRole('button', { name: '保存更正' }));
    await waitFor(async () => expect(await db.deskCommands.count()).toBe(1), { timeout: 10_000 });
    expect((await db.deskCommands.toArray())[0]).toMatchObject({ kind: 'filing.correct', payload: { certificationId: 'cert-1', reason: '病种名称录入有误', changes: { diseaseName: '2型糖尿病' } } });
  });
});
