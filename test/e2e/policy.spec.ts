import { expect, test } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { createAdministrator, shot, freshHospitalEachTest } from './support';

freshHospitalEachTest();

test('设置 → 政策: browse the active pack, refuse an invalid import with every error, import and switch', async ({ page }) => {
  await createAdministrator(page);
  await page.getByRole('menuitem', { name: '设置' }).click();
  await page.getByRole('tab', { name: '政策' }).click();

  // The default pack: Shanxi's 46 diseases, 11 special and 35 chronic (004).
  await expect(page.getByText('全部 46')).toBeVisible();
  await expect(page.getByText('特殊疾病 11')).toBeVisible();
  await expect(page.getByText('慢性病 35')).toBeVisible();
  await expect(page.getByRole('cell', { name: '高血压3级（极高危）' })).toBeVisible();
  await page.getByRole('tab', { name: '互斥病种' }).click();
  await expect(page.getByText(/肺源性心脏病.*×.*慢性阻塞性肺疾病|慢性阻塞性肺疾病.*×.*肺源性心脏病/)).toBeVisible();
  await shot(page, 'policy-exclusions');

  const packInput = page.locator('input[type=file]').first();
  const broken = { format: 'opsp-policy-pack/1', id: 'Bad Id', title: '', diseases: [] };
  await packInput.setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
  const errors = page.getByTestId('import-errors');
  await expect(errors).toBeVisible();
  expect(await errors.locator('li').count()).toBeGreaterThan(3);
  await expect(page.getByText(/政策包无效，未导入/)).toBeVisible();
  await shot(page, 'policy-import-errors');

  await page.getByRole('tab', { name: '节假日日历' }).click();
  await page.locator('input[type=file]').last().setInputFiles({
    name: '2027.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ format: 'opsp-holiday-calendar/1', year: 2027, status: 'provisional', source: { kind: 'other', reference: '测试用暂定日历' }, holidays: [{ date: '2027-01-01', name: '元旦' }], workdays: [] })),
  });
  await expect(page.getByText(/已导入 2027 年节假日日历/)).toBeVisible();
  await expect(page.getByRole('row', { name: /测试用暂定日历/ })).toContainText('暂定');
  await page.getByRole('tab', { name: '病种', exact: true }).click();

  const kaifeng = readFileSync('resources/policy/kaifeng-2023.json');
  await packInput.setInputFiles({ name: 'kaifeng.json', mimeType: 'application/json', buffer: kaifeng });
  await expect(page.getByText(/已导入政策包/)).toBeVisible();
  await page.getByLabel('切换政策包').click();
  // The imported pack's option, once the desk has pulled it from the server (the list re-renders then).
  const imported = page.getByTitle(/开封.*已导入/);
  await expect(imported).toBeVisible();
  await imported.click();
  await expect(page.getByText('已切换政策包')).toBeVisible();
  await page.getByRole('tab', { name: '流程与时限' }).click();
  await expect(page.getByText('48 小时内接受，否则改派')).toBeVisible();
  await shot(page, 'policy-process');
});
