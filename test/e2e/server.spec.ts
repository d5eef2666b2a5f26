import { expect, test } from '@playwright/test';
import { startServer } from '../../src/server/server';
import { makeEnrolmentCode } from '../../src/server/auth';
import { ADMIN, createAdministrator, login, shot, freshHospitalEachTest } from './support';

freshHospitalEachTest();

test('院内服务器: the desk uses the embedded server by default; an administrator points it at a LAN server and back', async ({ page }) => {
  // A standalone hospital server, as IT would run it with `npm run server` (here on PGlite in memory).
  const lan = await startServer({ database: { kind: 'pglite', dataDir: null }, port: 0, sweepEveryMs: 0 });
  try {
    await createAdministrator(page);
    await expect(page.getByTestId('server-status')).toHaveText('内置服务器');

    await page.getByRole('menuitem', { name: '设置' }).click();
    await page.getByRole('tab', { name: '院内服务器' }).click();
    await expect(page.getByTestId('server-health')).toHaveText(/正常 · 数据库 PGlite · 结构版本 \d+/);
    await shot(page, 'server-settings-embedded');

    await page.getByText('院内服务器（医院局域网）').click();
    await page.getByLabel('服务器地址').fill('192.168.1.20');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await expect(page.getByText('请填写服务器地址，如 http://192.168.1.20:8787')).toBeVisible();
    await page.getByLabel('服务器地址').fill(lan.url);
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await expect(page.getByText(`已改用院内服务器 ${lan.url}`)).toBeVisible();
    await expect(page.getByTestId('server-health')).toHaveText(/正常 · 数据库 PGlite/);
    // The choice is main's, not the page's: it holds after a reload. The LAN server does not know
    // this desk: an administrator's one-time code enrols it (the first is printed at the server's
    // first start), and on a server without accounts the first administrator is created there.
    await page.reload();
    await expect(page.getByRole('heading', { name: '登记本工作站' })).toBeVisible();
    await shot(page, 'enrol-desk');
    // No dead end: without a code (a wrong address, a server not ready), the desk goes back to working alone.
    await page.getByRole('button', { name: '改回本机内置服务器' }).click();
    await login(page, ADMIN);
    await expect(page.getByTestId('server-status')).toHaveText('内置服务器');
    await page.getByRole('menuitem', { name: '设置' }).click();
    await page.getByRole('tab', { name: '院内服务器' }).click();
    await page.getByText('院内服务器（医院局域网）').click();
    await page.getByLabel('服务器地址').fill(lan.url);
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await expect(page.getByText(`已改用院内服务器 ${lan.url}`)).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { name: '登记本工作站' })).toBeVisible();
    const { code } = await makeEnrolmentCode(lan.hospital, '医保办前台', null);
    await page.getByLabel('登记码').fill('WRONG-CODE-0000');
    await page.getByLabel('工作站名称').fill('医保办前台');
    await page.getByRole('button', { name: '登记' }).click();
    await expect(page.getByText('登记码无效或已过期，请向管理员重新索取')).toBeVisible();
    await page.getByLabel('登记码').fill(code);
    await page.getByRole('button', { name: '登记' }).click();
    await createAdministrator(page, ADMIN, { navigate: false });
    await expect(page.getByTestId('server-status')).toHaveText(`院内服务器 ${lan.url.replace('http://', '')}`);
    await page.getByRole('menuitem', { name: '设置' }).click();
    await page.getByRole('tab', { name: '院内服务器' }).click();
    await expect(page.getByTestId('server-health')).toHaveText(/正常/);
    // The next PC: the administrator makes its one-time code here; it enrols once, and only once.
    const card = page.getByTestId('enrolment-code');
    await card.getByRole('button', { name: '生成登记码' }).click();
    await expect(card.getByText('请填写新工作站的名称')).toBeVisible();
    await card.getByLabel('工作站名称').fill('内分泌科 1 号');
    await card.getByRole('button', { name: '生成登记码' }).click();
    const issued = (await card.getByTestId('enrolment-code-value').innerText()).trim();
    expect(issued).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    await expect(card).toContainText('「内分泌科 1 号」的登记码');
    await shot(page, 'server-settings-lan');
    const enrol = () => fetch(`${lan.url}/desks/enrol`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: issued, name: '内分泌科 1 号' }) });
    expect((await enrol()).status).toBe(200);
    expect((await enrol()).status).toBe(401);

    await page.getByText('本机内置服务器（单机或乡镇卫生院）').click();
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await expect(page.getByText('已改用本机内置服务器')).toBeVisible();
    // Back on the embedded server, its own accounts.
    await page.reload();
    await login(page, ADMIN);
    await expect(page.getByTestId('server-status')).toHaveText('内置服务器');
  } finally {
    await lan.close();
  }
});
