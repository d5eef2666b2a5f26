// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fixClock } from '../../../../../test/fixtures/clock';
import { caseRow, doctor, glucose, hba1c, person, REVIEW_NOW, seedCase } from '../../../../../test/fixtures/review-case';
import { institution, randomPack } from '../../../../../test/fixtures/review-packs';
import type { User } from '../../../../shared/domain/user';
import { ok } from '../../../../shared/ipc/result';
import { findDisease, isExample } from '../../../../shared/policy';
import { verifyAudit } from '../../db/audit';
import { getDb } from '../../db/db';
import { stopSync } from '../../sync/sync-engine';
import { SessionContext } from '../auth/session';
import { INSTITUTION_KEY } from '../cases/useReviewContext';
import ReviewPage from './ReviewPage';

const PASSWORD = 'Doctor-pass-2026';
let user: User;

let restoreClock: () => void;

beforeAll(async () => {
  // The page counts days in China time from "now": it runs at the fixtures' instant.
  restoreClock = fixClock(REVIEW_NOW);
  // Main's side stubbed: the password check (scrypt lives in main; its own tests cover it) and a
  // platform that is never reached, so queued items stay queued.
  window.api = {
    auth: { verifyPassword: async ({ password, hash }: { password: string; hash: string }) => ok({ valid: hash === 'hash-of-the-password' && password === PASSWORD }) },
    platform: { getConfig: async () => ok({ config: { recognitionInfno: 'HR01' } }), send: async () => ok({ outcome: 'transient', reason: 'offline', message: '无法连接平台' }) },
  } as never;
  user = { ...doctor, passwordHash: 'hash-of-the-password' };
  const db = getDb();
  await db.open();
  await db.settings.bulkPut([
    { key: 'policy.activePackId', value: randomPack.id },
    { key: INSTITUTION_KEY, value: institution },
  ]);
  await seedCase(db);
});
afterEach(cleanup);
afterAll(() => {
  stopSync();
  restoreClock();
});

function mount(node = <ReviewPage caseId="c1" onBack={() => undefined} />) {
  return render(
    <ConfigProvider locale={zhCN}>
      <App>
        <SessionContext.Provider value={{ user, lock: () => undefined, logout: () => undefined }}>{node}</SessionContext.Provider>
      </App>
    </ConfigProvider>,
  );
}

const button = (scope: HTMLElement, text: string) => {
  const found = [...scope.querySelectorAll('button')].find((b) => b.textContent?.replace(/\s/g, '') === text);
  if (!found) throw new Error(`no ${text} button`);
  return found;
};
const resultRow = (item: string) => screen.getAllByTestId('outside-result').find((r) => r.textContent?.includes(item))!;

describe('ReviewPage', { timeout: 40_000 }, () => {
  it('shows the patient with a masked ID number, the criteria marked 示例 or sourced, and each result’s mark and validity', async () => {
    mount();
    expect(await screen.findByText('140105********1234', {}, { timeout: 10_000 })).toBeTruthy();
    expect(document.body.textContent).not.toContain(person.certNo);
    expect(screen.getByText(/310 职工医保/)).toBeTruthy();
    expect(screen.getByText('准入标准')).toBeTruthy();
    const criteria = findDisease(randomPack, caseRow.diseaseCode)!.disease.criteria;
    const tags = [...document.querySelectorAll('.criteria-source')].map((t) => t.textContent);
    expect(tags).toEqual(criteria.map((c) => (isExample(c.source) ? '示例' : c.source.doc)));
    const glu = resultRow('血糖');
    expect(within(glu).getByText('HR')).toBeTruthy();
    expect(within(glu).getByText(/已 3 天 \/ 有效期 30 天/)).toBeTruthy();
    expect(within(resultRow('糖化血红蛋白')).getByText('无互认标识')).toBeTruthy();
    expect(screen.getByText(/快捷键：J\/K/)).toBeTruthy();
  });

  it('a repeat is refused without a reason and the patient informed; with both it is saved and queued', async () => {
    mount();
    await screen.findAllByTestId('outside-result', {}, { timeout: 10_000 });
    const db = getDb();
    await act(async () => fireEvent.click(button(resultRow('糖化血红蛋白'), '重复检查')));
    const dialog = await screen.findByRole('dialog');
    await act(async () => fireEvent.click(button(dialog, '确认重复检查')));
    expect(await within(dialog).findByText('请选择重复检查的理由；须确认已向患者说明重复检查的原因')).toBeTruthy();
    expect(await db.recognitions.count()).toBe(0);

    fireEvent.mouseDown(within(dialog).getByRole('combobox').closest('.ant-select')!);
    await waitFor(() => expect(document.querySelector('.ant-select-dropdown')).toBeTruthy());
    const option = await screen.findByTitle('患者本人要求重新检查');
    await act(async () => fireEvent.click(option));
    await act(async () => fireEvent.click(button(dialog, '确认重复检查')));
    expect(await within(dialog).findByText('须确认已向患者说明重复检查的原因')).toBeTruthy();
    expect(await db.recognitions.count()).toBe(0);

    await act(async () => fireEvent.click(within(dialog).getByRole('checkbox')));
    await act(async () => fireEvent.click(button(dialog, '确认重复检查')));
    await waitFor(async () => expect(await db.recognitions.count()).toBe(1));
    const rec = (await db.recognitions.toArray())[0]!;
    expect(rec).toMatchObject({ resultId: hba1c.id, decision: { decision: 'repeated', reasonCode: 'patient-request', patientInformed: true } });
    expect(await db.outbox.get(rec.outboxId!)).toMatchObject({ kind: 'recognition', infno: 'HR01', status: 'queued' });
    await waitFor(() => expect(within(resultRow('糖化血红蛋白')).getByText(/重复检查：患者本人要求重新检查/)).toBeTruthy());

    await act(async () => fireEvent.click(button(resultRow('血糖'), '互认')));
    await waitFor(async () => expect(await db.recognitions.where('resultId').equals(glucose.id).count()).toBe(1));
    await waitFor(() => expect(within(resultRow('血糖')).getByText('已互认')).toBeTruthy());
  });

  it('a conclusion needs its reason and the right password; once confirmed it is sealed in the audit chain', async () => {
    mount();
    await screen.findAllByTestId('outside-result', {}, { timeout: 10_000 });
    const db = getDb();
    const panel = screen.getByLabelText('结论');
    // 需补充材料: at least one item, and the one-time notice lists every item picked.
    await act(async () => fireEvent.click(within(panel).getByText('需补充材料')));
    await act(async () => fireEvent.click(button(panel, '提交结论（C）')));
    expect(await within(panel).findByText('请选择需补充的材料')).toBeTruthy();
    await act(async () => fireEvent.click(within(panel).getByText('身份证或社会保障卡复印件')));
    await act(async () => fireEvent.click(within(panel).getByText('治疗医院盖章')));
    const notice = within(panel).getByLabelText('一次性告知书').textContent!;
    expect(notice).toMatch(/尚需补充以下 2 项材料.*1\. 身份证或社会保障卡复印件.*2\. 治疗医院盖章/s);
    expect(notice).not.toContain(person.certNo);

    await act(async () => fireEvent.click(within(panel).getByText('不符合')));
    await act(async () => fireEvent.click(button(panel, '提交结论（C）')));
    expect(await within(panel).findByText('请填写不符合的理由')).toBeTruthy();
    expect(screen.queryByRole('dialog')).toBeNull();

    fireEvent.change(within(panel).getByLabelText('不符合的理由'), { target: { value: '未见糖尿病并发症的检查证据' } });
    await act(async () => fireEvent.click(button(panel, '提交结论（C）')));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('登录密码'), { target: { value: 'wrong-password' } });
    await act(async () => fireEvent.click(button(dialog, '确认提交')));
    expect(await within(dialog).findByText('密码错误，结论未提交', {}, { timeout: 10_000 })).toBeTruthy();
    expect(await db.reviews.where('caseId').equals('c1').count()).toBe(0);

    fireEvent.change(within(dialog).getByLabelText('登录密码'), { target: { value: PASSWORD } });
    await act(async () => fireEvent.click(button(dialog, '确认提交')));
    await waitFor(async () => expect(await db.reviews.where('caseId').equals('c1').count()).toBe(1), { timeout: 10_000 });
    const review = (await db.reviews.where('caseId').equals('c1').toArray())[0]!;
    expect(review).toMatchObject({ reviewerId: 'dr-me', conclusion: { verdict: 'reject', reason: '未见糖尿病并发症的检查证据' } });
    expect(review.auditSeq).not.toBeNull();
    expect((await verifyAudit(db)).ok).toBe(true);
    // Sealed: the page no longer offers a conclusion for this assignment and shows the review.
    await waitFor(() => expect(screen.queryByLabelText('结论')).toBeNull());
    expect(await screen.findByText(/不符合：未见糖尿病并发症的检查证据/)).toBeTruthy();
  });

  it('an image material zooms and rotates from the keyboard', async () => {
    const db = getDb();
    // fake-indexeddb stores a clone that is not happy-dom's Blob; the viewer only needs a URL for it.
    URL.createObjectURL = () => 'blob:test-image';
    URL.revokeObjectURL = () => undefined;
    const blob = new Blob([new Uint8Array([0x89, 0x50, 0x4e, 0x47])], { type: 'image/png' });
    await db.attachments.put({ id: 'att-img', sha256: 'a'.repeat(64), name: '足部照片.png', type: 'image/png', size: 4, blob, createdAt: new Date().toISOString() });
    await db.materials.put({ id: 'm-img', caseId: 'c1', personId: 'p1', kind: 'other', recordType: null, title: '足部照片', sourceInstitution: '演示县人民医院', documentDate: '2026-01-05', mime: 'image/png', size: 4, sha256: 'a'.repeat(64), attachmentId: 'att-img', stamped: false, addedAt: new Date().toISOString() });
    mount();
    const img = await screen.findByTestId('image-material', {}, { timeout: 10_000 });
    expect(screen.getAllByText(/2026-01-05 · 演示县人民医院/).length).toBeGreaterThan(0);
    expect(img.style.width).toBe('80%');
    await act(async () => fireEvent.keyDown(window, { key: '+' }));
    await act(async () => fireEvent.keyDown(window, { key: 'o' }));
    await waitFor(() => expect(screen.getByTestId('image-material').style.transform).toBe('rotate(90deg)'));
    expect(screen.getByTestId('image-material').style.width).toBe('100%');
    await db.materials.delete('m-img');
  });

  it('a case the user holds no assignment of is read only', async () => {
    const db = getDb();
    await db.cases.put({ ...caseRow, id: 'c2' });
    mount(<ReviewPage caseId="c2" onBack={() => undefined} />);
    await screen.findByText('140105********1234', {}, { timeout: 10_000 });
    // Not assigned to this physician: read only.
    expect(screen.getByText('您当前没有该案件的审核任务，以下内容仅供查阅')).toBeTruthy();
  });
});
