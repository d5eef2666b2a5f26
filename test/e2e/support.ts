import { expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Where end-to-end screenshots go; open them and look (DEVELOPERS.md). */
export const SCREENSHOTS = join('test-results', 'screenshots');
mkdirSync(SCREENSHOTS, { recursive: true });

/**
 * The desk's clock in tests that seed cases or depend on "today": a Tuesday morning in June 2026,
 * China time (the bundled calendars cover it). Installed per browser context, it then runs on
 * (timers fire, countdowns move); the host and the demo platform keep the real clock, which only
 * the platform's own timestamps see.
 */
export const DESK_NOW = new Date('2026-06-16T09:00:00+08:00');

export const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });

export const ADMIN = { displayName: '王建国', username: 'admin', password: 'Admin-pass-2026' };
export const PHYSICIAN = { displayName: '赵一鸣', username: 'zhao.yiming', password: 'Doctor-pass-2026', department: '心血管内科' };

/** First run: the setup page creates the administrator, who lands in the shell. */
export async function createAdministrator(page: Page, admin = ADMIN): Promise<void> {
  await page.goto('web.html');
  await expect(page.getByText('首次使用：创建管理员账户')).toBeVisible();
  await page.getByLabel('姓名').fill(admin.displayName);
  await page.getByLabel('用户名').fill(admin.username);
  await page.getByLabel('密码', { exact: true }).fill(admin.password);
  await page.getByLabel('确认密码').fill(admin.password);
  await page.getByRole('button', { name: '创建管理员并登录' }).click();
  await expect(page.getByTestId('current-user')).toContainText(admin.displayName);
}

/** 设置 → 用户管理 → 新建用户, as the logged-in administrator. */
export async function createUserViaUi(
  page: Page,
  user: { displayName: string; username: string; password: string; department?: string },
  roleLabel = '认定医师',
): Promise<void> {
  await page.getByRole('menuitem', { name: '设置' }).click();
  await page.getByRole('tab', { name: '用户管理' }).click();
  await page.getByRole('button', { name: '新建用户' }).click();
  const dialog = page.getByRole('dialog', { name: '新建用户' });
  if (roleLabel !== '认定医师') {
    await dialog.getByLabel('角色').click();
    await page.getByTitle(roleLabel).click();
  }
  await dialog.getByLabel('姓名').fill(user.displayName);
  await dialog.getByLabel('用户名').fill(user.username);
  if (user.department) await dialog.getByLabel('科室').fill(user.department);
  await dialog.getByLabel('初始密码').fill(user.password);
  await dialog.getByRole('button', { name: '创建' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('cell', { name: user.username, exact: true })).toBeVisible();
}

export async function login(page: Page, user: { username: string; password: string; displayName: string }): Promise<void> {
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码').fill(user.password);
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByTestId('current-user')).toContainText(user.displayName);
}

/** 设置 → 演示数据 → 载入: `count` invented cases (a share assigned to the logged-in physician). */
export async function loadDemoCases(page: Page, count = 300): Promise<void> {
  await page.getByRole('menuitem', { name: '设置' }).click();
  await page.getByRole('tab', { name: '演示数据' }).click();
  await page.getByLabel('案件数').fill(String(count));
  await page.getByRole('button', { name: '载入演示数据' }).click();
  await expect(page.getByText(`已载入 ${count} 件演示案件`)).toBeVisible({ timeout: 150_000 });
}

export async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出' }).click();
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
}

/** Assignees (usernames, or 'office' for the 医保办's queue) holding an open work item of the case, read from IndexedDB. */
export function holders(page: Page, caseId: string): Promise<string[]> {
  return page.evaluate(
    (id) =>
      new Promise<string[]>((resolve) => {
        const open = indexedDB.open('opsp-workstation');
        open.onsuccess = () => {
          const tx = open.result.transaction(['users', 'workItems']);
          const users = tx.objectStore('users').getAll();
          const items = tx.objectStore('workItems').getAll();
          tx.oncomplete = () => {
            const byId = new Map((users.result as { id: string; username: string }[]).map((u) => [u.id, u.username]));
            resolve((items.result as { caseId: string; assigneeId: string }[]).filter((i) => i.caseId === id).map((i) => byId.get(i.assigneeId) ?? i.assigneeId));
          };
        };
      }),
    caseId,
  );
}
