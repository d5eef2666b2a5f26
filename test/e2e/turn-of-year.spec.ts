import { expect, test } from '@playwright/test';
import { calendar2027 } from '../fixtures/calendars';
import { ADMIN, PHYSICIAN, createAdministrator, createUserViaUi, loadDemoCases, login, logout, resetHospital, shot, freshHospitalEachTest } from './support';

freshHospitalEachTest();

// December 2026 on this desk's clock (the whole browser context), the bundled calendars ending
// with 2026: deadlines counted from here reach a year nobody has imported yet.
const DECEMBER = new Date('2026-12-10T10:00:00+08:00');

const CALENDAR_2027 = calendar2027('official');

test('December without a 2027 calendar: the notice, deadlines that wait for it, then an import at another desk recomputes them on every open page', async ({ page, context, browser, request }) => {
  test.setTimeout(240_000);
  page.on('pageerror', (e) => console.log('page error:', e.message));
  // The hospital server's clock is in December too: it counts the deadlines.
  await resetHospital(request, DECEMBER);
  await context.clock.setFixedTime(DECEMBER);

  // The administrator sees the notice at once, in the header and on 工作台.
  await createAdministrator(page);
  await expect(page.getByTestId('calendar-notice')).toContainText('缺 2027 年节假日日历');
  await expect(page.getByTestId('calendar-banner')).toContainText('国务院办公厅每年秋季公布次年节假日安排');
  await shot(page, 'calendar-notice');
  await createUserViaUi(page, PHYSICIAN);
  // Demo data is loaded on the server by the administrator; the physician gets a share of it.
  await loadDemoCases(page);
  await logout(page);

  // A physician's worklist in December: deadlines reaching 2027 read 时限待定, and say why.
  await login(page, PHYSICIAN);
  await expect(page.getByTestId('calendar-notice')).toHaveCount(0); // physicians never see the notice
  await page.getByRole('menuitem', { name: '待审案件' }).click();
  await page.getByRole('switch', { name: '时限待定' }).click();
  const waiting = page.locator('.worklist-row').filter({ hasText: '时限待定' });
  await expect(waiting.first()).toBeVisible();
  await expect(waiting.first()).toContainText('缺 2027 年日历');
  await expect(page.locator('.worklist-row').filter({ hasText: '无办结时限' })).toHaveCount(0);
  await shot(page, 'worklist-awaiting-calendar');
  await page.getByRole('switch', { name: '时限待定' }).click();
  await expect(page.locator('.worklist-row').first()).toBeVisible();

  // The review header of such a case says the same.
  await page.getByRole('switch', { name: '时限待定' }).click();
  const name = (await waiting.first().locator('strong').first().textContent())!.trim();
  await waiting.first().getByRole('button', { name: /打\s*开/ }).click();
  await expect(page.getByTestId('due-awaiting')).toContainText('时限待定：待导入 2027 年节假日日历');
  await shot(page, 'review-header-awaiting-calendar');
  await page.goBack();
  await page.getByRole('switch', { name: '时限待定' }).click();
  await expect(waiting.filter({ hasText: name }).first()).toBeVisible();

  // At another desk, the administrator follows the notice and imports 2027 into the server.
  const adminDesk = await browser.newContext();
  await adminDesk.clock.setFixedTime(DECEMBER);
  const admin = await adminDesk.newPage();
  await admin.goto('web.html');
  await login(admin, ADMIN);
  await admin.getByTestId('calendar-notice').click();
  await expect(admin.getByRole('tab', { name: '节假日日历', selected: true })).toBeVisible();
  await expect(admin.getByTestId('calendar-missing')).toContainText('尚无 2027 年节假日日历');
  await admin.getByRole('tabpanel', { name: '节假日日历' }).locator('input[type=file]').setInputFiles({ name: '2027.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(CALENDAR_2027)) });
  // The server counts every waiting deadline again before it answers: a few seconds for a few hundred cases.
  await expect(admin.getByText('已导入 2027 年节假日日历，相关办结时限已重新计算')).toBeVisible({ timeout: 60_000 });
  await expect(admin.getByTestId('calendar-notice')).toHaveCount(0);
  await expect(admin.getByRole('row', { name: /2027/ }).first()).toContainText('正式');
  await shot(admin, 'calendar-imported');

  // The physician's worklist, open all along, now shows dates: nothing waits any more.
  await page.bringToFront();
  await expect(page.getByText('没有符合条件的案件')).toBeVisible({ timeout: 15_000 });
  await page.getByRole('switch', { name: '时限待定' }).click(); // off; with nothing missing it is no longer offered
  await expect(page.getByRole('switch', { name: '时限待定' })).toHaveCount(0);
  await page.getByLabel('搜索').fill(name);
  await page.getByLabel('搜索').press('Enter');
  await expect(page.locator('.worklist-row').filter({ hasText: name }).first()).toContainText(/办结剩|今日须办结|受理剩/);
  await expect(page.locator('.worklist-row').filter({ hasText: name }).first()).toContainText(/截止 2027-01-\d\d|办结剩/);
  await expect(page.locator('.worklist-row').filter({ hasText: '时限待定' })).toHaveCount(0);
  await shot(page, 'worklist-after-import');
  await adminDesk.close();
});
