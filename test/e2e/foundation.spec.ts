import { expect, test } from '@playwright/test';
import { ADMIN, createAdministrator, createUserViaUi, login, logout, PHYSICIAN, shot, freshHospitalEachTest } from './support';

freshHospitalEachTest();

test('first run → administrator → physician → login → offline → reload: the account is still there', async ({ page, context }) => {
  await createAdministrator(page);
  await createUserViaUi(page, PHYSICIAN);

  await logout(page);
  await shot(page, 'login');
  await login(page, PHYSICIAN);
  await expect(page.getByTestId('current-user')).toContainText('认定医师');
  // A new physician has nothing assigned, and the worklist says so plainly — no made-up data.
  await page.getByRole('menuitem', { name: '待审案件' }).click();
  await expect(page.getByText('暂无分配给您的案件')).toBeVisible();
  await page.getByRole('menuitem', { name: '档案' }).click();
  await expect(page.getByText(/尚无参保人档案/)).toBeVisible();
  await page.getByRole('menuitem', { name: '待审案件' }).click();
  await expect(page.getByTestId('online-status')).toHaveText(/在线/);
  // The hospital server's link to the demo platform (· 在线, · 尚未通信 …); the desk never talks to it.
  await expect(page.getByTestId('platform-status')).toContainText('演示平台');
  await shot(page, 'shell');

  await context.setOffline(true);
  await expect(page.getByTestId('online-status')).toHaveText(/离线/);
  await shot(page, 'shell-offline');

  // In browser mode the page itself is served by the loopback host, which Chromium's offline
  // emulation also cuts; the desktop app loads from a local file. So the link returns before the
  // reload — what the reload proves is that the accounts were committed to IndexedDB.
  await context.setOffline(false);
  await page.reload();
  const stored = await page.evaluate(
    () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('opsp-workstation');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const request = open.result.transaction('users').objectStore('users').getAll();
          request.onsuccess = () => resolve((request.result as { username: string }[]).map((u) => u.username).sort());
        };
      }),
  );
  expect(stored).toEqual([ADMIN.username, PHYSICIAN.username].sort());
  await login(page, PHYSICIAN);
});

test('a wrong password is refused and the idle lock needs the password to unlock', async ({ page }) => {
  await page.clock.install();
  await createAdministrator(page);
  await logout(page);

  await page.getByLabel('用户名').fill(ADMIN.username);
  await page.getByLabel('密码').fill('not-the-password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByText('用户名或密码错误')).toBeVisible();
  await login(page, ADMIN);

  // Default idle lock: 10 minutes without keyboard or pointer activity.
  await page.clock.fastForward('09:00');
  await expect(page.getByRole('dialog', { name: '工作站已锁定' })).toBeHidden();
  await page.clock.fastForward('01:10');
  const lock = page.getByRole('dialog', { name: '工作站已锁定' });
  await expect(lock).toBeVisible();
  await shot(page, 'lock');
  await lock.getByLabel('密码').fill('wrong-password');
  await lock.getByRole('button', { name: '解锁' }).click();
  await expect(lock.getByText('密码错误')).toBeVisible();
  await lock.getByLabel('密码').fill(ADMIN.password);
  await lock.getByRole('button', { name: '解锁' }).click();
  await expect(lock).toBeHidden();
  await expect(page.getByTestId('current-user')).toContainText(ADMIN.displayName);
});

test('an administrator resets a forgotten password: the temporary one lets the user in once, to set their own', async ({ page }) => {
  await createAdministrator(page);
  await createUserViaUi(page, PHYSICIAN);
  await logout(page);
  await login(page, PHYSICIAN);
  await logout(page);

  await login(page, ADMIN);
  await page.getByRole('menuitem', { name: '设置' }).click();
  await page.getByRole('tab', { name: '用户管理' }).click();
  const row = page.getByRole('row').filter({ hasText: PHYSICIAN.username });
  await row.getByRole('button', { name: '重置密码' }).click();
  const dialog = page.getByRole('dialog', { name: /重置密码/ });
  await dialog.getByLabel('临时密码').fill('Temp-pass-2026');
  await dialog.getByLabel('再次输入').fill('Temp-pass-2027');
  await dialog.getByRole('button', { name: '重置' }).click();
  await expect(dialog.getByText('两次输入的密码不一致')).toBeVisible();
  await dialog.getByLabel('再次输入').fill('Temp-pass-2026');
  await shot(page, 'reset-password');
  await dialog.getByRole('button', { name: '重置' }).click();
  await expect(page.getByText(`已重置 ${PHYSICIAN.displayName} 的密码；其下次登录时须设置新密码`)).toBeVisible();
  await expect(row.getByText('待本人设置密码')).toBeVisible();
  await logout(page);

  // The old password no longer works; the temporary one leads straight to choosing a new one.
  await page.getByLabel('用户名').fill(PHYSICIAN.username);
  await page.getByLabel('密码').fill(PHYSICIAN.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByText(/用户名或密码错误/)).toBeVisible();
  await page.getByLabel('密码').fill('Temp-pass-2026');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('heading', { name: '请设置新密码' })).toBeVisible();
  await page.getByLabel('当前密码').fill('Temp-pass-2026');
  await page.getByLabel('新密码', { exact: true }).fill('Doctor-new-2026');
  await page.getByLabel('确认新密码').fill('Doctor-new-2026');
  await page.getByRole('button', { name: '保存新密码并进入' }).click();
  await expect(page.getByTestId('current-user')).toContainText(PHYSICIAN.displayName);
});
