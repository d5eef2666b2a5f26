import { expect, test } from '@playwright/test';
import { createAdministrator, loadDemoCases, shot, freshHospitalEachTest } from './support';

freshHospitalEachTest();

test('档案: after demo data is loaded, search a person and read their file and timeline', async ({ page }) => {
  await createAdministrator(page);

  // Before any data the area says plainly there is nothing yet.
  await page.getByRole('menuitem', { name: '档案' }).click();
  await expect(page.getByText(/尚无参保人档案/)).toBeVisible();

  await loadDemoCases(page);

  await page.getByRole('menuitem', { name: '档案' }).click();
  await expect(page.getByText(/本机共有 \d+ 位参保人的档案/)).toBeVisible();
  const search = page.getByLabel('查找参保人');

  // Every demo ID number starts with the pack's province code: a broad number search lists people.
  await search.fill('14');
  await expect(page.locator('.case-file-results tbody tr').first()).toBeVisible();

  // Someone who holds a certification, so the file shows holdings too; found by psn_no through the box.
  const target = await page.evaluate(
    () =>
      new Promise<{ id: string; name: string; psnNo: string; caseId: string }>((resolve, reject) => {
        const open = indexedDB.open('opsp-workstation');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['certifications', 'persons']);
          const certs = tx.objectStore('certifications').getAll();
          const persons = tx.objectStore('persons').getAll();
          tx.oncomplete = () => {
            const byId = new Map((persons.result as { id: string; name: string; psnNo: string | null }[]).map((p) => [p.id, p]));
            const cert = (certs.result as { personId: string; caseId: string }[]).find((c) => byId.get(c.personId)?.psnNo);
            const held = cert && byId.get(cert.personId);
            if (!cert || !held) reject(new Error('no certified person with psn_no in the demo data'));
            else resolve({ id: held.id, name: held.name, psnNo: held.psnNo!, caseId: cert.caseId });
          };
        };
      }),
  );
  await search.fill(target.psnNo);
  await expect(page.locator('.case-file-results tbody tr')).toHaveCount(1);
  await page.locator('.case-file-results tbody tr').first().click();
  await expect(page).toHaveURL(new RegExp(`#/files/${target.id}$`));
  const name = target.name;
  const file = page.getByTestId('case-file');
  await expect(file.getByText('身份证号')).toBeVisible();
  await expect(file.getByText(/^\d{6}\*{8}\d{3}[\dX]$/)).toBeVisible();
  await expect(file.getByText(/首次认定申请|复审申请/).first()).toBeVisible();
  await expect(file.getByText(/分配给/).first()).toBeVisible();
  await expect(file.getByText(/^认定：/).first()).toBeVisible();
  await expect(file.getByText('未备案').first()).toBeVisible();
  await expect(file.getByRole('columnheader', { name: '复审期限' })).toBeVisible();
  await expect(page.getByTestId('case-file-event').first()).toBeVisible();
  // No 18-character ID number in clear (a 20-digit psn_no is not one).
  expect(await page.locator('body').innerText()).not.toMatch(/(?<![\dX])\d{17}[\dX](?![\dX])/);

  // A deep link opens the same file (the review page links here).
  const url = page.url();
  await page.getByRole('menuitem', { name: '同步' }).click();
  await page.goto(url);
  await expect(page.getByTestId('case-file')).toBeVisible();
  await expect(page.getByText(name).first()).toBeVisible();

  // The 医保办 files the certification from the case page; once the hospital server has sent it,
  // the file shows the filing with the demo platform's receipt (demo persons are the ones it holds).
  await file.getByRole('link', { name: '去备案' }).click();
  await expect(page).toHaveURL(new RegExp(`#/cases/${target.caseId}$`));
  await page.getByRole('button', { name: /提交备案（2503）/ }).click();
  await expect(page.getByText('备案已保存并排队，将经院内服务器自动上传平台（2503）')).toBeVisible();
  await page.goto(url);
  await expect(file.getByText(/^提交备案（2503）：/)).toBeVisible();
  await expect(file.getByText(/^平台已接受备案/)).toBeVisible({ timeout: 30_000 });
  await expect(file.getByText(/^备案流水号 \S+$/).first()).toBeVisible();
  await expect(page.locator('.ant-message-notice')).toHaveCount(0, { timeout: 10_000 });
  await shot(page, 'case-file');
  await page.getByTestId('case-file-event').last().scrollIntoViewIfNeeded();
  await shot(page, 'case-file-timeline');
});
