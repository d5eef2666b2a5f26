import { expect, test, type APIRequestContext, type Browser, type BrowserContext, type Page } from '@playwright/test';
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

// ---------------------------------------------------------------------------------------------
// Several desks (test/e2e/multi-desk.spec.ts): each desk is its own browser context, so its own
// IndexedDB, against the one hospital server the browser-mode host runs.

/** A one-page PDF (Helvetica, ASCII lines, a framed box) small enough to hand to a file input. */
export function tinyPdf(lines: readonly string[]): Buffer {
  const text = lines.map((l, i) => `${i === 0 ? '' : '0 -30 Td '}(${l.replace(/[\\()]/g, '\\$&')}) Tj`).join(' ');
  const content = `BT /F1 20 Tf 80 740 Td ${text} ET\n0.2 0.2 0.2 RG 2 w 60 520 475 260 re S`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Another desk: a new browser context (its own IndexedDB) on the app, its clock at `now` when given. */
export async function openDesk(browser: Browser, now?: Date): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  if (now) await context.clock.install({ time: now });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log('page error:', e.message));
  await page.goto('web.html');
  return { context, page };
}

/** The hospital server's origin as this desk's main process gives it to the page (server.desk). */
export async function hospitalOrigin(page: Page): Promise<string> {
  const desk = await page.evaluate(() => window.api.server.desk({}));
  if (!desk.ok) throw new Error('server.desk failed');
  return new URL(desk.value.url).origin;
}

/**
 * The hospital server becomes unreachable for this desk only: every new request to its origin
 * fails as a lost network would (`internetdisconnected`). The page itself and main's handlers
 * (served by the web host, on another origin) still answer — in Electron the renderer is loaded
 * from disk, so a desk "offline" is a desk whose server cannot be reached, not a page that is gone.
 * A response already streaming (the server's hints) is not cut; nothing new gets through.
 */
export async function cutFromServer(context: BrowserContext, origin: string): Promise<void> {
  await context.route(`${origin}/**`, (route) => route.abort('internetdisconnected'));
}

/** The link to the hospital server is back. */
export async function restoreServer(context: BrowserContext, origin: string): Promise<void> {
  await context.unroute(`${origin}/**`);
}

/** Rows of one table of this desk's IndexedDB. */
export function deskRows<T>(page: Page, table: string): Promise<T[]> {
  return page.evaluate(
    (name) =>
      new Promise<T[]>((resolve, reject) => {
        const open = indexedDB.open('opsp-workstation');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const read = open.result.transaction(name).objectStore(name).getAll();
          read.onsuccess = () => resolve(read.result as T[]);
          read.onerror = () => reject(read.error);
        };
      }),
    table,
  );
}

/**
 * Registry profiles (正高级, 内分泌科, 内科专业, a 医保支付资格 in force, registered here since
 * 2024) written into the hospital server for the given accounts, read from this desk's users.
 */
export async function seedPhysicianProfiles(page: Page, request: APIRequestContext, usernames: readonly string[], at: Date): Promise<void> {
  const users = await deskRows<{ id: string; username: string; displayName: string }>(page, 'users');
  const rows = usernames.map((name) => {
    const u = users.find((x) => x.username === name);
    if (!u) throw new Error(`no account ${name} on this desk`);
    return {
      table: 'physicians',
      row: {
        id: u.id, name: u.displayName, licence: 'physician', title: 'senior', department: '内分泌科', practiceScopes: ['内科专业'],
        paymentQualifications: [{ code: `D${u.username.replace(/\W/g, '').slice(0, 8)}`, from: '2020-01-01', to: null }],
        registry: [{ physicianId: u.id, institutionCode: INSTITUTION_CODE, department: '内分泌科', registeredOn: '2024-01-01', expiresOn: null, invalidOn: null }],
        flag: null, updatedAt: at.toISOString(),
      },
    };
  });
  await seedHospital(request, rows);
}

/** On the review page: a verdict, confirmed with the password; waits for the desk's 结论已提交. */
export async function concludeHere(page: Page, password: string, verdict: '符合' | '不符合', reason = '未见糖尿病并发症的检查证据'): Promise<void> {
  const panel = page.getByLabel('结论');
  await panel.getByText(verdict, { exact: true }).click();
  if (verdict === '不符合') await panel.getByLabel('不符合的理由').fill(reason);
  await panel.getByRole('button', { name: '提交结论（C）' }).click();
  const confirm = page.getByRole('dialog', { name: '确认结论' });
  await confirm.getByLabel('登录密码').fill(password);
  await confirm.getByRole('button', { name: '确认提交' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText(/结论已提交/).last()).toBeVisible();
}

/**
 * 受理申请 at this desk: the person found by 1101 lookup, 糖尿病, optional files as materials;
 * waits for the receipt. `takenAt` (performance.now()) times how soon another desk has it.
 */
export async function takeApplication(page: Page, person: { certno: string; psn_name: string }, files: { name: string; mimeType: string; buffer: Buffer }[] = []): Promise<{ takenAt: number }> {
  await page.getByRole('menuitem', { name: '受理申请' }).click();
  const form = page.getByRole('form', { name: '受理申请' });
  await form.getByLabel('身份证号').fill(person.certno);
  await form.getByRole('button', { name: /查询参保信息/ }).click();
  await expect(form.getByLabel('姓名')).toHaveValue(person.psn_name);
  await form.getByLabel('申请病种').click();
  await page.getByTitle(/糖尿病/).first().click();
  if (files.length > 0) {
    await form.locator('input[type=file]').setInputFiles(files);
    await expect(form.getByText(new RegExp(`${files.length} 个文件`))).toBeVisible();
  }
  await form.getByRole('button', { name: /受理并分配/ }).click();
  await expect(page.getByText(`已受理：${person.psn_name} · 糖尿病`)).toBeVisible();
  return { takenAt: performance.now() };
}

/** A person's row on this desk's worklist. */
export const worklistRow = (page: Page, name: string) => page.locator('.worklist-row').filter({ hasText: name }).first();

/** The administrator's set-up for a Jilin desk run: the Jilin pack, a physician and a 医保办 account, the physician the only one in the registry (so every draw is theirs); logged out after. */
export async function setUpJilin(page: Page): Promise<void> {
  await createAdministrator(page);
  await switchPack(page, /吉林/);
  await createUserViaUi(page, JILIN_PHYSICIAN);
  await createUserViaUi(page, JILIN_OFFICE, '医保办');
  await registerPhysician(page, JILIN_PHYSICIAN, 'D220100000101');
  await logout(page);
}

type SeedRow = { table: string; row: Record<string, unknown> & { id: string } };

/** A registry profile for a physician who concluded cases seeded on the server: eligible, with a 医保医师代码. */
export function seededPhysician(id: string, code: string, at: string): Record<string, unknown> & { id: string; name: string } {
  return {
    id, name: '柯文澜', licence: 'physician', title: 'senior', department: '内分泌科', practiceScopes: ['内科专业'],
    paymentQualifications: [{ code, from: '2020-01-01', to: null }],
    registry: [{ physicianId: id, institutionCode: 'H00000000001', department: '内分泌科', registeredOn: '2024-01-01', expiresOn: null, invalidOn: null }], flag: null, updatedAt: at,
  };
}

/**
 * For each person, a decided case and its approved certification (糖尿病, state ready) as the
 * review rules would leave them on the server, concluded by `physician`: `${prefix}-${i}` names
 * the case (`case-`) and the certification (`cert-`).
 */
export function readyCertificationRows(
  people: readonly { psn_no: string; certno: string; psn_name: string; gend: string; brdy: string; insutype: string; insuplc_admdvs: string }[],
  physician: { id: string; name: unknown },
  options: { prefix: string; at: string; certifiedOn?: (i: number) => string },
): SeedRow[] {
  const { prefix, at } = options;
  return people.flatMap((p, i) => {
    const caseId = `case-${prefix}-${i}`;
    const personId = `person-${prefix}-${p.psn_no}`;
    const day = options.certifiedOn?.(i) ?? '2026-06-12';
    return [
      { table: 'persons', row: { id: personId, psnNo: p.psn_no, certType: '01', certNo: p.certno, name: p.psn_name, gender: p.gend === '1' ? 'male' : 'female', birthDate: p.brdy, insutype: p.insutype, regionCode: p.insuplc_admdvs, offSiteResident: false, createdAt: at } },
      {
        table: 'cases',
        row: {
          id: caseId, personId, personName: p.psn_name, certNo: p.certno, psnNo: p.psn_no, insutype: p.insutype, regionCode: p.insuplc_admdvs, diseaseCode: 'M01600', diseaseName: '糖尿病', kind: 'first', channel: 'assisted',
          submittedAt: at, receivedOn: '2026-06-10', status: 'decided', stage: null, stageLabel: '', tieBreak: false, dueOn: null, dueAwaits: null, dueProvisional: false, deadlineAt: '9999-12-31T23:59:59.999Z', paused: [],
          result: 'approved', decidedAt: at, updatedAt: at,
        },
      },
      {
        table: 'certifications',
        row: { id: `cert-${prefix}-${i}`, caseId, personId, diseaseCode: 'M01600', diseaseName: '糖尿病', certifiedOn: day, begnDate: day, endDate: '2028-06-11', reReviewDueOn: '2028-06-11', physicianId: physician.id, physicianName: physician.name, state: 'ready', updatedAt: at },
      },
    ];
  });
}
