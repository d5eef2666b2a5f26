/**
 * Several desks, one hospital server: the 医保办 at desk A takes an application; the physician it is
 * drawn to, logged in at desk B (another browser context, its own IndexedDB), has it on the
 * worklist within two seconds without reloading, accepts and concludes; desk A then has it in
 * its 院内复核 queue (Jilin), again without reloading.
 */
import { expect, test } from '@playwright/test';
import { DEMO_PLATFORM, syntheticPerson } from '../../src/shared/demo/population';
import { JILIN_OFFICE, JILIN_PHYSICIAN, freshHospitalEachTest, login, setUpJilin, shot, takeApplication } from './support';

freshHospitalEachTest();

test('two desks: taken at the 医保办’s desk, on the physician’s desk within 2 s, concluded there, back in the 医保办’s queue', async ({ page, browser }) => {
  test.setTimeout(240_000);
  const person = syntheticPerson(23, DEMO_PLATFORM.regionCode);
  await setUpJilin(page);

  // Desk B: the physician, on the worklist, waiting.
  const deskB = await browser.newContext();
  const physician = await deskB.newPage();
  await physician.goto('web.html');
  await login(physician, JILIN_PHYSICIAN);
  await physician.getByRole('menuitem', { name: '待审案件' }).click();
  await expect(physician.getByText('暂无分配给您的案件')).toBeVisible();

  // Desk A: the 医保办 takes the application.
  await login(page, JILIN_OFFICE);
  const { takenAt: taken } = await takeApplication(page, person);
  await expect(page.locator('.ant-descriptions').filter({ hasText: '已分配给' })).toContainText(JILIN_PHYSICIAN.displayName);
  await expect(page.locator('.ant-result-subtitle')).toContainText(/\d{4}-\d{6}/);
  await shot(page, 'desks-a-received');

  // Desk B has it, told by the server, no reload.
  const row = physician.locator('.worklist-row').filter({ hasText: person.psn_name }).first();
  await expect(row).toBeVisible({ timeout: 2_000 });
  const seenAfter = performance.now() - taken;
  expect(seenAfter, 'on the drawn physician’s worklist within two seconds').toBeLessThan(2_000);
  await shot(physician, 'desks-b-worklist');
  await row.getByRole('button', { name: /受\s*理/ }).click();
  await expect(physician.getByText(`已受理：${person.psn_name}`, { exact: false }).last()).toBeVisible();
  await physician.locator('.worklist-row').filter({ hasText: person.psn_name }).first().getByRole('button', { name: /打\s*开/ }).click();
  const panel = physician.getByLabel('结论');
  await panel.getByText('符合', { exact: true }).click();
  await panel.getByRole('button', { name: '提交结论（C）' }).click();
  const confirm = physician.getByRole('dialog', { name: '确认结论' });
  await confirm.getByLabel('登录密码').fill(JILIN_PHYSICIAN.password);
  await confirm.getByRole('button', { name: '确认提交' }).click();
  await expect(physician.getByText(/结论已提交/).last()).toBeVisible();
  await shot(physician, 'desks-b-concluded');

  // Desk A: the 院内复核 queue has it, without a reload.
  await page.getByRole('menuitem', { name: '院内复核' }).click();
  await expect(page.locator('.worklist-row').filter({ hasText: person.psn_name })).toHaveCount(1, { timeout: 10_000 });
  await expect(page.locator('.worklist-row').filter({ hasText: person.psn_name })).toContainText('院内复核（医保办）');
  await shot(page, 'desks-a-recheck');
  await deskB.close();
});
