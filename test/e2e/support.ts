import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
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

/**
 * Every test starts with a new, empty hospital server (the host's embedded one, reset through its
 * test hook) and, as always, fresh browser contexts: nothing of one test is seen by the next. Each
 * spec file registers it (a hook in this shared module would bind to the first file only).
 */
export function freshHospitalEachTest(now?: Date): void {
  test.beforeEach(({ request }) => resetHospital(request, now));
}

/** A new, empty hospital server; its clock starts at `now` when given (and runs on). */
export async function resetHospital(request: APIRequestContext, now?: Date): Promise<void> {
  awaitingFirstLogin.clear();
  const r = await request.post('__test/reset-hospital', { data: now ? { now: now.toISOString() } : {} });
  expect(r.status(), 'the e2e host resets its hospital server (--test-hooks)').toBe(204);
}

/** Rows written into the hospital server as its rules would have (shares settled, desks told). */
export async function seedHospital(request: APIRequestContext, rows: { table: string; row: Record<string, unknown> & { id: string } }[]): Promise<void> {
  const r = await request.post('__test/seed-hospital', { data: { rows } });
  expect(r.status(), await r.text()).toBe(204);
}

/** The password an administrator gives a new account; the person replaces it at first login (login() does). */
export const initialPassword = (password: string) => `${password}-init`;

export const shot = (page: Page, name: string) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });

export const ADMIN = { displayName: '王建国', username: 'admin', password: 'Admin-pass-2026' };
export const PHYSICIAN = { displayName: '赵一鸣', username: 'zhao.yiming', password: 'Doctor-pass-2026', department: '心血管内科' };

/** First run: the setup page creates the administrator, who lands in the shell. */
export async function createAdministrator(page: Page, admin = ADMIN, { navigate = true }: { navigate?: boolean } = {}): Promise<void> {
  if (navigate) await page.goto('web.html');
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
  await dialog.getByLabel('初始密码').fill(initialPassword(user.password));
  awaitingFirstLogin.add(user.username);
  await dialog.getByRole('button', { name: '创建' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('cell', { name: user.username, exact: true })).toBeVisible();
}

/** Accounts made in this test by createUserViaUi that have not logged in yet (they must set their own password). */
const awaitingFirstLogin = new Set<string>();

/**
 * Logs in. An account an administrator made (createUserViaUi) first logs in with its initial
 * password and sets its own, which this does on its first login.
 */
export async function login(page: Page, user: { username: string; password: string; displayName: string }): Promise<void> {
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  const first = awaitingFirstLogin.delete(user.username);
  await page.getByLabel('用户名').fill(user.username);
  await page.getByLabel('密码').fill(first ? initialPassword(user.password) : user.password);
  await page.getByRole('button', { name: '登录' }).click();
  if (first) {
    await expect(page.getByRole('heading', { name: '请设置新密码' })).toBeVisible();
    await page.getByLabel('当前密码').fill(initialPassword(user.password));
    await page.getByLabel('新密码', { exact: true }).fill(user.password);
    await page.getByLabel('确认新密码').fill(user.password);
    await page.getByRole('button', { name: '保存新密码并进入' }).click();
  }
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

interface Account {
  displayName: string;
  username: string;
  password: string;
  department?: string;
}

/** The hospital code the registry defaults to while 本院信息 is unsaved (useReviewContext's DEFAULT_INSTITUTION). */
const INSTITUTION_CODE = 'H00000000001';

export const JILIN_PHYSICIAN = { displayName: '柯文澜', username: 'ke.wenlan', password: 'Doctor-pass-2026', department: '内分泌科' };
export const JILIN_OFFICE = { displayName: '庞晓岚', username: 'pang.xiaolan', password: 'Office-pass-2026' };

export async function switchPack(page: Page, title: RegExp): Promise<void> {
  await page.getByRole('menuitem', { name: '设置' }).click();
  await page.getByRole('tab', { name: '政策' }).click();
  await page.getByLabel('切换政策包').click();
  await page.getByTitle(title).first().click();
  await expect(page.getByText('已切换政策包')).toBeVisible();
}

export async function openRegistry(page: Page): Promise<void> {
  await page.getByRole('menuitem', { name: '设置' }).click();
  await page.getByRole('tab', { name: '认定医师' }).click();
  await expect(page.getByText(/认定医师库：在本院备案/)).toBeVisible();
}

/** The registry table's row of one physician. */
export const registryRow = (page: Page, name: string) => page.locator('.ant-table-row').filter({ hasText: name });

/**
 * 设置 → 认定医师, as an administrator or the 医保办: builds the physician's profile from their
 * account (正高级, the account's department, 内科专业, a 医保支付资格 in force) and registers them
 * at this hospital from today.
 */
export async function registerPhysician(page: Page, user: Account & { department: string }, doctorCode: string): Promise<void> {
  await openRegistry(page);
  await page.getByRole('button', { name: '新建认定医师资料' }).click();
  const drawer = page.getByRole('dialog', { name: '新建认定医师资料' });
  await drawer.getByLabel('认定医师账户').click();
  await page.getByTitle(`${user.displayName}（${user.username} · ${user.department}）`).click();
  // The department comes from the account.
  await expect(drawer.getByLabel('科室')).toHaveValue(user.department);
  await drawer.getByLabel('职称').click();
  await page.getByTitle('正高级', { exact: true }).click();
  await drawer.getByLabel('执业范围').click();
  await page.locator('.ant-select-item-option').filter({ hasText: '内科专业' }).click();
  await drawer.getByLabel('医保医师代码').fill(doctorCode);
  const from = drawer.getByPlaceholder('起始日期');
  await from.click();
  await from.fill('2020-01-01');
  await from.press('Enter');
  await expect(from).toHaveValue('2020-01-01');
  await drawer.getByRole('button', { name: /保\s*存/ }).click();
  await expect(page.getByText(`已建立 ${user.displayName} 的认定医师资料，请继续新增认定医师库记录`)).toBeVisible();
  await expect(drawer).toBeHidden();

  const row = registryRow(page, user.displayName);
  await expect(row.getByText('未登记')).toBeVisible();
  await row.getByRole('button', { name: '新增备案' }).click();
  const modal = page.getByRole('dialog', { name: `新增认定医师库记录：${user.displayName}` });
  await expect(modal.getByLabel('机构编码')).toHaveValue(INSTITUTION_CODE);
  await expect(modal.getByLabel('备案科室')).toHaveValue(user.department);
  await modal.getByRole('button', { name: /登\s*记/ }).click();
  await expect(page.getByText(`已为 ${user.displayName} 新增认定医师库记录`)).toBeVisible();
  await expect(modal).toBeHidden();
  await expect(row.getByText('在库', { exact: true })).toBeVisible();
  await expect(row.getByText(/可认定 \d+ 个病种/)).toBeVisible();
}
