/**
 * The 医保办 files a batch through the hospital server: five approved certifications are on the
 * server; at the 备案 page three are chosen and submitted as one batch; the server files them with
 * the demo platform (2503) and the batch page follows, live, to 3/3 with the platform's serial
 * numbers; the receipts download as Excel.
 */
import { expect, test } from '@playwright/test';
import { DEMO_PLATFORM, syntheticPerson } from '../../src/shared/demo/population';
import { DESK_NOW, createAdministrator, deskRows, freshHospitalEachTest, readyCertificationRows, seedHospital, seededPhysician, shot } from './support';

freshHospitalEachTest(DESK_NOW);

test('备案: three of five ready certifications submitted as one batch, filed by the server, followed live, receipts exported', async ({ page, request }) => {
  test.setTimeout(180_000);
  page.on('pageerror', (e) => console.log('page error:', e.message));
  await createAdministrator(page);

  const at = DESK_NOW.toISOString();
  const physician = seededPhysician('dr-e2e', 'D140100000101', at);
  const people = [51, 52, 53, 54, 55].map((i) => syntheticPerson(i, DEMO_PLATFORM.regionCode));
  const rows = [{ table: 'physicians', row: physician }, ...readyCertificationRows(people, physician, { prefix: 'e2e', at, certifiedOn: (i) => `2026-06-1${i}` })];
  await seedHospital(request, rows);

  await page.getByRole('menuitem', { name: '备案' }).click();
  for (const p of people) await expect(page.getByRole('row').filter({ hasText: p.psn_name })).toBeVisible({ timeout: 15_000 });
  await shot(page, 'filing-ready');
  for (const i of [0, 2, 4]) await page.getByRole('checkbox', { name: new RegExp(`选择 ${people[i]!.psn_name}`) }).check();
  await page.getByRole('button', { name: /提交备案（3 条）/ }).click();

  // The batch's page: its address carries the batch id; the server's batch and filings come back by the pull.
  await expect(page).toHaveURL(/#\/filings\/batches\/batch-/);
  const view = page.getByTestId('batch-view');
  await expect(view).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.ant-progress-indicator')).toHaveText('3/3', { timeout: 60_000 });
  await expect(view.locator('[data-phase=accepted]')).toHaveCount(3);
  await shot(page, 'filing-batch-done');
  const certs = await deskRows<{ id: string; state: string }>(page, 'certifications');
  expect(certs.filter((c) => c.state === 'filed').map((c) => c.id).sort()).toEqual(['cert-e2e-0', 'cert-e2e-2', 'cert-e2e-4']);

  // Away and back: the batch list has it; its page opens again from there.
  await page.getByRole('tab', { name: '待备案' }).click();
  await expect(page.getByRole('row').filter({ hasText: people[1]!.psn_name })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: people[0]!.psn_name })).toHaveCount(0);
  await page.getByRole('tab', { name: '备案批次' }).click();
  await expect(page.getByRole('row').filter({ hasText: '3/3 已发送' })).toBeVisible();
  await page.getByRole('row').filter({ hasText: '3/3 已发送' }).click();
  await expect(page.locator('.ant-progress-indicator')).toHaveText('3/3');

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: /导出回执/ }).click();
  expect((await download).suggestedFilename()).toMatch(/^备案批次-.+\.xlsx$/);

  // 撤销备案 on the case page: a reason is required; the server revokes (2504).
  await page.goto(`web.html#/cases/case-e2e-0`);
  const progress = page.locator('.case-progress');
  await expect(progress.getByText('已备案', { exact: true })).toBeVisible({ timeout: 15_000 });
  await progress.getByRole('button', { name: '撤销备案' }).click();
  const revoke = page.getByRole('dialog', { name: '撤销备案' });
  await expect(revoke.getByRole('button', { name: '保存撤销' })).toBeDisabled();
  await revoke.getByLabel('撤销原因').fill('诊断有误，参保人申请撤销');
  await revoke.getByRole('button', { name: '保存撤销' }).click();
  await expect(revoke).toBeHidden();
  await expect(progress.getByText('备案已撤销')).toBeVisible({ timeout: 60_000 });
  await expect(progress.getByRole('button', { name: '撤销备案' })).toHaveCount(0);
  await shot(page, 'filing-revoked');

  // 更正备案: the fields carried over, one changed, with the reason; the server revokes and files again.
  await page.goto(`web.html#/cases/case-e2e-2`);
  await expect(progress.getByText('已备案', { exact: true })).toBeVisible({ timeout: 15_000 });
  await progress.getByRole('button', { name: '更正备案' }).click();
  const correct = page.getByRole('dialog', { name: '更正备案' });
  await expect(correct.getByLabel('病种名称')).toHaveValue('糖尿病');
  await correct.getByLabel('病种名称').fill('2型糖尿病');
  await correct.getByLabel('更正原因').fill('病种名称录入有误');
  await correct.getByRole('button', { name: '保存更正' }).click();
  await expect(correct).toBeHidden();
  await expect
    .poll(async () => (await deskRows<{ kind: string; state: string; reason: string | null }>(page, 'deskCommands')).filter((c) => c.kind === 'filing.correct').map((c) => `${c.state}${c.reason ?? ''}`), { timeout: 30_000 })
    .toEqual(['applied']);
  await expect
    .poll(async () => (await deskRows<{ diseaseName: string; state: string; correctsId?: string }>(page, 'certifications')).filter((c) => c.correctsId === 'cert-e2e-2').map((c) => `${c.diseaseName} ${c.state}`), { timeout: 60_000 })
    .toEqual(['2型糖尿病 filed']);
});

test('无认定结论备案: the administrator finds the person by 1101 through the server, states the reason, and the server files it', async ({ page }) => {
  test.setTimeout(120_000);
  const person = syntheticPerson(61, DEMO_PLATFORM.regionCode);
  await createAdministrator(page);
  await page.getByRole('menuitem', { name: '备案' }).click();
  await page.getByRole('tab', { name: '无认定结论备案' }).click();
  const form = page.getByRole('form', { name: '新建备案' });
  await form.getByRole('textbox', { name: '身份证号' }).fill(person.certno);
  await form.getByRole('button', { name: /查询/ }).click();
  await expect(form.getByLabel('人员编号')).toHaveValue(person.psn_no, { timeout: 15_000 });
  await form.getByLabel('病种').fill('糖尿病');
  await page.locator('.ant-select-item-option').filter({ hasText: '糖尿病' }).first().click();
  await form.getByLabel('认定医师编码').fill('D140100000101');
  await form.getByLabel('认定医师姓名').fill('柯文澜');
  await form.getByLabel('无认定结论备案的原因').fill('系统上线前已线下认定，补录备案');
  await form.getByRole('button', { name: '保存备案' }).click();
  await expect(page.getByText(new RegExp(`已保存：${person.psn_name}`))).toBeVisible();
  await expect
    .poll(async () => (await deskRows<{ kind: string; psnNo: string; phase: string }>(page, 'filings')).filter((f) => f.psnNo === person.psn_no).map((f) => `${f.kind} ${f.phase}`), { timeout: 60_000 })
    .toEqual(['filing accepted']);
});
