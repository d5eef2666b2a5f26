import { expect, test, type Page } from '@playwright/test';
import { createAdministrator, createUserViaUi, login, logout, PHYSICIAN, shot } from './support';

interface Target {
  caseId: string;
  personName: string;
  state: 'offered' | 'accepted';
}

/**
 * One of the physician's open cases with a scanned PDF record and at least two outside results,
 * read straight from IndexedDB (the demo data is random; the test needs a case it can work).
 */
function findWorkableCase(page: Page, username: string): Promise<Target> {
  return page.evaluate(
    (name) =>
      new Promise<Target>((resolve, reject) => {
        const open = indexedDB.open('opsp-workstation');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['users', 'workItems', 'materials', 'outsideResults']);
          const users = tx.objectStore('users').getAll();
          const items = tx.objectStore('workItems').getAll();
          const materials = tx.objectStore('materials').getAll();
          const results = tx.objectStore('outsideResults').getAll();
          tx.oncomplete = () => {
            const me = (users.result as { id: string; username: string }[]).find((u) => u.username === name)!;
            const pdf = new Set((materials.result as { caseId: string; attachmentId: string | null; mime: string }[]).filter((m) => m.attachmentId && m.mime === 'application/pdf').map((m) => m.caseId));
            const count = new Map<string, number>();
            for (const r of results.result as { caseId: string }[]) count.set(r.caseId, (count.get(r.caseId) ?? 0) + 1);
            const mine = (items.result as { caseId: string; assigneeId: string; personName: string; state: 'offered' | 'accepted' }[])
              .filter((i) => i.assigneeId === me.id && pdf.has(i.caseId) && (count.get(i.caseId) ?? 0) >= 2)
              .sort((a, b) => (a.state === b.state ? 0 : a.state === 'offered' ? -1 : 1));
            if (mine.length === 0) reject(new Error('no open case with a scanned record and two outside results'));
            else resolve({ caseId: mine[0]!.caseId, personName: mine[0]!.personName, state: mine[0]!.state });
          };
        };
      }),
    username,
  );
}

test('a physician’s day: worklist, accept, open a PDF record, recognise and repeat, conclude', async ({ page }) => {
  test.setTimeout(240_000);
  page.on('pageerror', (e) => console.log('page error:', e.message));
  await createAdministrator(page);
  await createUserViaUi(page, PHYSICIAN);
  await logout(page);
  await login(page, PHYSICIAN);

  // 设置 → 演示数据: invented cases, a share assigned to this physician, scans for the nearest ones.
  await page.getByRole('menuitem', { name: '设置' }).click();
  await page.getByRole('tab', { name: '演示数据' }).click();
  await page.getByLabel('案件数').fill('300');
  await page.getByRole('button', { name: '载入演示数据' }).click();
  await expect(page.getByText('已载入 300 件演示案件')).toBeVisible({ timeout: 150_000 });

  await page.getByRole('menuitem', { name: '待审案件' }).click();
  await expect(page.getByText(/受理剩|办结剩|今日须办结/).first()).toBeVisible();
  await shot(page, 'physician-worklist');

  const target = await findWorkableCase(page, PHYSICIAN.username);
  await page.getByLabel('搜索').fill(target.personName);
  await page.getByLabel('搜索').press('Enter');
  const row = page.locator('.worklist-row').filter({ hasText: target.personName }).first();
  await expect(row).toBeVisible();
  if (target.state === 'offered') {
    await row.getByRole('button', { name: /受\s*理/ }).click();
    await expect(page.getByText(`已受理：${target.personName}`, { exact: false })).toBeVisible();
  }
  await page.locator('.worklist-row').filter({ hasText: target.personName }).first().getByRole('button', { name: /打\s*开/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/cases/${target.caseId}$`));

  // The header: name and a masked ID number, never the number in clear.
  await expect(page.locator('.patient-name')).toHaveText(target.personName);
  await expect(page.locator('.patient-certno')).toHaveText(/^\d{6}\*{8}\d{3}[\dX]$/);
  expect(await page.locator('body').innerText()).not.toMatch(/(?<![\dX])\d{17}[\dX](?![\dX])/);

  // The scanned record opens in pdf.js: the page canvas renders, with a thumbnail; + zooms.
  const pdfItem = page.locator('.material-item').filter({ hasText: /病历|报告/ }).filter({ hasNotText: '无文件' }).first();
  await pdfItem.click();
  const canvas = page.getByTestId('pdf-canvas');
  await expect(canvas).toHaveAttribute('data-rendered', 'true', { timeout: 30_000 });
  expect(await canvas.evaluate((c: HTMLCanvasElement) => c.width > 300 && c.height > 300)).toBe(true);
  await expect(page.locator('.pdf-thumb canvas')).toHaveCount(1);
  await expect(page.locator('.viewer-zoom')).toHaveText('80%');
  await page.locator('.review-hint').click();
  await page.keyboard.press('+');
  await expect(page.locator('.viewer-zoom')).toHaveText('100%');
  await expect(canvas).toHaveAttribute('data-rendered', 'true');

  // 互认: recognise the first outside result, repeat the second with a reason, the patient told.
  const results = page.getByTestId('outside-result');
  await results.nth(0).getByRole('button', { name: /互\s*认/ }).click();
  await expect(results.nth(0).getByText('已互认')).toBeVisible();
  await results.nth(1).getByRole('button', { name: '重复检查' }).click();
  const dialog = page.getByRole('dialog', { name: '重复检查' });
  await dialog.getByRole('button', { name: '确认重复检查' }).click();
  await expect(dialog.getByText(/请选择重复检查的理由/)).toBeVisible();
  await dialog.getByLabel('重复检查理由').click();
  await page.getByTitle('其他临床需要').click();
  await dialog.getByRole('checkbox', { name: '已向患者说明重复检查的原因' }).check();
  await dialog.getByRole('button', { name: '确认重复检查' }).click();
  await expect(dialog).toBeHidden();
  await expect(results.nth(1).getByText('重复检查：其他临床需要')).toBeVisible();
  await shot(page, 'physician-review');

  // Conclude 符合 with the C key; the password confirms it and the review is sealed.
  await page.locator('.criteria .ant-checkbox-input').first().check();
  await page.locator('.review-hint').click();
  await page.keyboard.press('c');
  const confirm = page.getByRole('dialog', { name: '确认结论' });
  await confirm.getByLabel('登录密码').fill('not-my-password');
  await confirm.getByRole('button', { name: '确认提交' }).click();
  await expect(confirm.getByText('密码错误，结论未提交')).toBeVisible();
  await confirm.getByLabel('登录密码').fill(PHYSICIAN.password);
  await confirm.getByRole('button', { name: '确认提交' }).click();
  await expect(page.getByText(/结论已提交/)).toBeVisible();
  await expect(page.locator('.case-progress').getByText(PHYSICIAN.displayName)).toBeVisible();
  await expect(page.locator('.case-progress').getByText(/审计 #\d+/)).toBeVisible();
  await shot(page, 'physician-review-concluded');

  // 工作台: the physician's recognition figures.
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/#\/cases$/);
  await page.getByRole('menuitem', { name: '工作台' }).click();
  await expect(page.getByText('共 2 条互认记录')).toBeVisible();
  await expect(page.getByText('其他临床需要 × 1')).toBeVisible();
  await shot(page, 'workbench-recognition');
});
