/**
 * The proof with several desks, end to end in Chromium: each desk is its own browser context (its
 * own IndexedDB) against the one hospital server the browser-mode host runs (reset for each test,
 * its clock started at DESK_NOW, every desk's clock set to the server's time).
 *
 * - Jilin: the 医保办 at desk A takes an application with a PDF record; the physician drawn, at
 *   desk B, has it on the worklist within two seconds, accepts, loses the server, reads the PDF
 *   (bytes fetched ahead into IndexedDB), records 互认 of an outside result, concludes, reloads the
 *   page while still cut off (the case, the PDF and the conclusion waiting to be sent are all still
 *   there), and gets the server back; desk A then has the conclusion in its 院内复核 queue,
 *   re-checks it (000: 认定机构院内医保管理部门复核) and queues the 2503 filing.
 * - Kaifeng: the 医保办 takes an application; a 初审 expert passes it; the two 终审 experts drawn
 *   (each at a desk of their own) disagree, the third (the one left) decides; the 医保办's desk
 *   shows the decided case and queues its filing.
 */
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { DEMO_PLATFORM, syntheticPerson } from '../../src/shared/demo/population';
import {
  DESK_NOW, JILIN_OFFICE, JILIN_PHYSICIAN, concludeHere, createAdministrator, createUserViaUi, cutFromServer, deskRows, holders, hospitalOrigin, login, logout, openDesk,
  resetHospital, restoreServer, seedHospital, seedPhysicianProfiles, setUpJilin, shot, switchPack, takeApplication, tinyPdf, worklistRow,
} from './support';

/**
 * The server's clock starts at DESK_NOW (a Tuesday in June 2026) and runs on; every desk's clock is
 * set to the server's time when the desk opens, as machines kept in step by NTP would be (taken
 * from just before the reset: at most the server's start-up, a second or two, ahead). A desk
 * whose clock is behind still reads its own new conclusion as the latest (conclude.test.ts).
 */
let serverStartedAt = 0;
const serverNow = () => new Date(DESK_NOW.getTime() + (performance.now() - serverStartedAt));
test.beforeEach(async ({ context, request }) => {
  serverStartedAt = performance.now();
  await resetHospital(request, DESK_NOW);
  await context.clock.install({ time: serverNow() });
});

/** The id of the one case of this person on the desk. */
async function caseIdOf(page: Page, personName: string): Promise<string> {
  const cases = await deskRows<{ id: string; personName: string }>(page, 'cases');
  const mine = cases.filter((c) => c.personName === personName);
  expect(mine, `one case of ${personName} on the desk`).toHaveLength(1);
  return mine[0]!.id;
}

test('Jilin, two desks: taken at A with a PDF; at B within 2 s, accepted, read and 互认 offline, concluded, reloaded offline, back online; A re-checks and queues the filing', async ({ page, browser, request }) => {
  test.setTimeout(300_000);
  page.on('pageerror', (e) => console.log('page error (desk A):', e.message));
  const person = syntheticPerson(31, DEMO_PLATFORM.regionCode);
  const pdf = tinyPdf(['Outpatient record - Jilin e2e', `Patient: ${person.psn_no}`, 'Diagnosis: type 2 diabetes with nephropathy', 'HbA1c 7.8 % (outside lab, HR)']);
  const pdfSha = createHash('sha256').update(pdf).digest('hex');

  // Desk A, set up by the administrator: the Jilin pack, the two accounts, and one physician in the
  // registry — the only one eligible, so the draw must pick the physician who sits at desk B.
  await setUpJilin(page);

  // Desk B: the physician, on the worklist, waiting.
  const b = await openDesk(browser, serverNow());
  const physician = b.page;
  await login(physician, JILIN_PHYSICIAN);
  await physician.getByRole('menuitem', { name: '待审案件' }).click();
  await expect(physician.getByText('暂无分配给您的案件')).toBeVisible();
  await shot(physician, 'multi-jilin-b-waiting');

  // Desk A: the 医保办 takes the application with the PDF record.
  await login(page, JILIN_OFFICE);
  const { takenAt } = await takeApplication(page, person, [{ name: '门诊病历.pdf', mimeType: 'application/pdf', buffer: pdf }]);
  await expect(page.locator('.ant-descriptions').filter({ hasText: '已分配给' })).toContainText(JILIN_PHYSICIAN.displayName);
  await shot(page, 'multi-jilin-a-taken');

  // Desk B has it within two seconds, told by the server, without a reload.
  const row = worklistRow(physician, person.psn_name);
  await expect(row).toBeVisible({ timeout: 2_000 });
  const seenAfter = performance.now() - takenAt;
  expect(seenAfter, 'on the drawn physician’s worklist within two seconds').toBeLessThan(2_000);
  await shot(physician, 'multi-jilin-b-worklist');
  const caseId = await caseIdOf(physician, person.psn_name);

  // An outside lab result read from the record, as the hospital server holds it (the intake form
  // has no field for outside results: the demo loader is the only other source), for the 互认 log.
  await seedHospital(request, [
    {
      table: 'outsideResults',
      row: {
        id: 'e2e-res-hba1c', caseId, materialId: null, item: '糖化血红蛋白', itemCode: 'HBA1C', category: '检验', validityId: null,
        sourceInstitution: '长春市中心医院', sourceInstitutionCode: 'H22010400001', reportNo: 'LAB-20260610-0042', reportDate: '2026-06-10', hrMark: 'HR', value: '7.8 %',
      },
    },
  ]);

  await row.getByRole('button', { name: /受\s*理/ }).click();
  await expect(physician.getByText(`已受理：${person.psn_name}`, { exact: false }).last()).toBeVisible();
  // The acceptance reached the server, the outside result and the PDF's bytes reached the desk
  // (fetched ahead, for days without the server).
  await expect.poll(async () => (await deskRows<{ kind: string; state: string }>(physician, 'deskCommands')).filter((c) => c.kind === 'offer.accept').map((c) => c.state), { timeout: 30_000 }).toEqual(['applied']);
  await expect.poll(async () => (await deskRows<{ caseId: string }>(physician, 'outsideResults')).filter((r) => r.caseId === caseId).length, { timeout: 30_000 }).toBe(1);
  await expect.poll(async () => (await deskRows<{ sha256: string; size: number }>(physician, 'attachments')).filter((a) => a.sha256 === pdfSha && a.size === pdf.length).length, { timeout: 30_000 }).toBe(1);

  // Desk B loses the hospital server.
  const origin = await hospitalOrigin(physician);
  await cutFromServer(b.context, origin);

  // Open the case, read the PDF (from IndexedDB), record 互认, conclude.
  await worklistRow(physician, person.psn_name).getByRole('button', { name: /打\s*开/ }).click();
  await expect(physician).toHaveURL(new RegExp(`#/cases/${caseId}$`));
  const canvas = physician.getByTestId('pdf-canvas');
  await expect(canvas).toHaveAttribute('data-rendered', 'true', { timeout: 30_000 });
  expect(await canvas.evaluate((c: HTMLCanvasElement) => c.width > 300 && c.height > 300)).toBe(true);
  const result = physician.getByTestId('outside-result').filter({ hasText: '糖化血红蛋白' });
  await result.getByRole('button', { name: /互\s*认/ }).click();
  await expect(result.getByText('已互认')).toBeVisible();
  await physician.locator('.criteria .ant-checkbox-input').first().check();
  await concludeHere(physician, JILIN_PHYSICIAN.password, '符合');
  await expect(physician.locator('.case-progress').getByText(JILIN_PHYSICIAN.displayName)).toBeVisible();
  await shot(physician, 'multi-jilin-b-concluded-offline');
  const pendingConclusion = async (p: Page) => (await deskRows<{ kind: string; state: string; caseId: string | null }>(p, 'deskCommands')).filter((c) => c.kind === 'case.conclude' && c.caseId === caseId).map((c) => c.state);
  expect(await pendingConclusion(physician)).toEqual(['pending']);

  // Reloaded while still cut off: the physician logs in on the desk's own verifier; the case, the
  // PDF and the conclusion are there, the conclusion still waiting to be sent.
  await physician.reload();
  await expect(physician.getByText('院内服务器暂时无法连接')).toBeVisible({ timeout: 30_000 });
  await shot(physician, 'multi-jilin-b-reloaded-offline-login');
  await login(physician, JILIN_PHYSICIAN);
  // Concluded, the case has left 待审案件 (open assignments only); the desk still holds it (a
  // reviewer follows a case until it is decided): 档案 finds the person and opens the case.
  await physician.getByRole('menuitem', { name: '待审案件' }).click();
  await expect(physician.getByText('暂无分配给您的案件')).toBeVisible();
  await physician.getByRole('menuitem', { name: '档案' }).click();
  await physician.getByLabel('查找参保人').fill(person.psn_name);
  await physician.locator('.case-file-results tbody tr').filter({ hasText: person.psn_name }).first().click();
  await physician.getByTestId('case-file-event').getByRole('link', { name: '打开案件' }).first().click();
  await expect(physician).toHaveURL(new RegExp(`#/cases/${caseId}$`));
  await expect(physician.getByTestId('pdf-canvas')).toHaveAttribute('data-rendered', 'true', { timeout: 30_000 });
  await expect(physician.getByTestId('outside-result').filter({ hasText: '糖化血红蛋白' }).getByText('已互认')).toBeVisible();
  await expect(physician.locator('.case-progress').getByText(JILIN_PHYSICIAN.displayName)).toBeVisible();
  expect(await pendingConclusion(physician)).toEqual(['pending']);
  await shot(physician, 'multi-jilin-b-reloaded-offline');
  // 同步 → 本工作站的操作 lists the conclusion waiting for the server, with what was entered.
  await physician.getByRole('menuitem', { name: '同步' }).click();
  const waiting = physician.getByTestId('desk-commands').getByRole('row').filter({ hasText: '结论 符合' });
  await expect(waiting).toContainText(person.psn_name);
  await expect(waiting).toContainText(/待发送|发送中/);
  await shot(physician, 'multi-jilin-b-reloaded-offline-sync');

  // Desk A has not heard of the conclusion yet.
  await page.getByRole('menuitem', { name: '院内复核' }).click();
  await expect(page.locator('.worklist-row').filter({ hasText: person.psn_name })).toHaveCount(0);

  // The server is back: the desk sends the conclusion by itself.
  await restoreServer(b.context, origin);
  await expect.poll(() => pendingConclusion(physician), { timeout: 60_000, intervals: [500] }).toEqual(['applied']);
  await expect(waiting).toHaveCount(0);
  await shot(physician, 'multi-jilin-b-back-online-sync');
  // The 互认 decision (a command into the server's 互认 log; the platform message leaves from this
  // desk) is still on the physician's desk once the server's copy of the case has replaced the desk's.
  expect((await deskRows<{ caseId: string }>(physician, 'recognitions')).filter((r) => r.caseId === caseId)).toHaveLength(1);

  // Desk A: the conclusion in the 院内复核 queue, without a reload; the 医保办 re-checks it and files.
  const recheck = page.locator('.worklist-row').filter({ hasText: person.psn_name });
  await expect(recheck).toHaveCount(1, { timeout: 15_000 });
  await expect(recheck).toContainText('院内复核（医保办）');
  await shot(page, 'multi-jilin-a-recheck-queue');
  await recheck.getByRole('button', { name: /打\s*开/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/cases/${caseId}$`));
  await expect(page.locator('.case-progress').getByText(JILIN_PHYSICIAN.displayName)).toBeVisible();
  await expect(page.getByTestId('pdf-canvas')).toHaveAttribute('data-rendered', 'true', { timeout: 30_000 });
  // The physician's 互认 reached the 医保办's desk through the server.
  await expect(page.getByTestId('outside-result').filter({ hasText: '糖化血红蛋白' })).toContainText('其他审核人：互认');
  await concludeHere(page, JILIN_OFFICE.password, '符合');
  const progress = page.locator('.case-progress');
  await expect(progress.getByText('认定通过')).toBeVisible({ timeout: 15_000 });
  await expect(progress.getByText('待医保办备案')).toBeVisible({ timeout: 15_000 });
  await progress.getByRole('button', { name: '提交备案（2503）' }).click();
  await expect(page.getByText(/备案已保存并排队/)).toBeVisible();
  await expect(progress.getByText(/备案已排队|已备案/)).toBeVisible();
  await shot(page, 'multi-jilin-a-filed');
  await b.context.close();
});

const KF_OFFICE = { displayName: '葛慧敏', username: 'ge.huimin', password: 'Office-pass-2026' };
const KF_FIRST = { displayName: '周初审', username: 'zhou.first', password: 'Doctor-pass-2026', department: '内分泌科' };
const KF_FINALS = [
  { displayName: '钱终审', username: 'qian.final', password: 'Doctor-pass-2026', department: '内分泌科' },
  { displayName: '孙终审', username: 'sun.final', password: 'Doctor-pass-2026', department: '内分泌科' },
  { displayName: '李终审', username: 'li.final', password: 'Doctor-pass-2026', department: '内分泌科' },
];

/** Accepts the case on this desk's worklist and concludes it on the review page. */
async function acceptAndConclude(page: Page, personName: string, password: string, verdict: '符合' | '不符合'): Promise<void> {
  const row = worklistRow(page, personName);
  await row.getByRole('button', { name: /受\s*理/ }).click();
  await expect(page.getByText(`已受理：${personName}`, { exact: false }).last()).toBeVisible();
  await worklistRow(page, personName).getByRole('button', { name: /打\s*开/ }).click();
  await concludeHere(page, password, verdict);
}

test('Kaifeng, four desks: the two 终审 experts at their desks disagree, the third decides, the 医保办’s desk shows it decided and files', async ({ page, browser, request }) => {
  test.setTimeout(360_000);
  page.on('pageerror', (e) => console.log('page error (desk A):', e.message));
  const person = syntheticPerson(37, DEMO_PLATFORM.regionCode);

  await createAdministrator(page);
  await switchPack(page, /开封/);
  await createUserViaUi(page, KF_OFFICE, '医保办');
  for (const u of [KF_FIRST, ...KF_FINALS]) await createUserViaUi(page, u);
  // Only the 初审 expert in the registry at first: the first draw is theirs.
  await seedPhysicianProfiles(page, request, [KF_FIRST.username], DESK_NOW);
  await logout(page);

  // The 初审 expert's desk, and the three 终审 experts' desks, each on its worklist.
  const first = await openDesk(browser, serverNow());
  await login(first.page, KF_FIRST);
  await first.page.getByRole('menuitem', { name: '待审案件' }).click();
  const finals: { user: (typeof KF_FINALS)[number]; context: BrowserContext; page: Page }[] = [];
  for (const user of KF_FINALS) {
    const desk = await openDesk(browser, serverNow());
    await login(desk.page, user);
    await desk.page.getByRole('menuitem', { name: '待审案件' }).click();
    await expect(desk.page.getByText('暂无分配给您的案件')).toBeVisible();
    finals.push({ user, ...desk });
  }

  // Desk A: the 医保办 takes the application; the 初审 expert has it within two seconds.
  await login(page, KF_OFFICE);
  const { takenAt } = await takeApplication(page, person);
  await expect(page.locator('.ant-descriptions').filter({ hasText: '已分配给' })).toContainText(KF_FIRST.displayName);
  await expect(worklistRow(first.page, person.psn_name)).toBeVisible({ timeout: 2_000 });
  expect(performance.now() - takenAt, 'on the 初审 expert’s worklist within two seconds').toBeLessThan(2_000);
  await shot(page, 'multi-kaifeng-a-taken');
  const caseId = await caseIdOf(page, person.psn_name);

  // The three 终审 experts enter the registry; the 初审 passes the case on.
  await seedPhysicianProfiles(page, request, KF_FINALS.map((f) => f.username), DESK_NOW);
  await acceptAndConclude(first.page, person.psn_name, KF_FIRST.password, '符合');
  await shot(first.page, 'multi-kaifeng-first-concluded');

  // Two of the three are drawn (the 初审 expert is excluded): each has it on their own desk.
  await expect.poll(async () => (await holders(page, caseId)).length, { timeout: 30_000 }).toBe(2);
  const drawn = await holders(page, caseId);
  const [x, y] = drawn.map((name) => finals.find((f) => f.user.username === name)!);
  const third = finals.find((f) => !drawn.includes(f.user.username))!;
  expect(x && y && third).toBeTruthy();
  for (const d of [x!, y!]) await expect(worklistRow(d.page, person.psn_name)).toBeVisible({ timeout: 15_000 });
  await expect(third.page.getByText('暂无分配给您的案件')).toBeVisible();
  await shot(x!.page, 'multi-kaifeng-final-1-worklist');

  await acceptAndConclude(x!.page, person.psn_name, x!.user.password, '符合');
  await shot(x!.page, 'multi-kaifeng-final-1-approve');
  await acceptAndConclude(y!.page, person.psn_name, y!.user.password, '不符合');
  await shot(y!.page, 'multi-kaifeng-final-2-reject');

  // They disagree: the third expert, the one left, is drawn and has it on their desk.
  await expect(worklistRow(third.page, person.psn_name)).toBeVisible({ timeout: 15_000 });
  await expect(worklistRow(third.page, person.psn_name)).toContainText('终审（第三名专家）');
  await shot(third.page, 'multi-kaifeng-third-worklist');
  expect(await holders(page, caseId)).toEqual([third.user.username]);
  await acceptAndConclude(third.page, person.psn_name, third.user.password, '符合');
  await expect(third.page.getByText('结论已提交，案件已办结').last()).toBeVisible();
  await shot(third.page, 'multi-kaifeng-third-decided');

  // The 医保办's desk: decided, ready to file, without a reload.
  await page.getByRole('menuitem', { name: '工作台' }).click();
  await expect(page.getByText('待备案的认定（1）')).toBeVisible({ timeout: 15_000 });
  await page.getByRole('row', { name: new RegExp(person.psn_name) }).getByRole('button', { name: '查看审核' }).click();
  await expect(page).toHaveURL(new RegExp(`#/cases/${caseId}$`));
  const progress = page.locator('.case-progress');
  await expect(progress.getByText('终审（第三名专家）')).toBeVisible();
  await expect(progress.getByText(third.user.displayName)).toBeVisible();
  await expect(progress.getByText('认定通过')).toBeVisible();
  await expect(progress.getByText('待医保办备案')).toBeVisible();
  await shot(page, 'multi-kaifeng-a-decided');
  await progress.getByRole('button', { name: '提交备案（2503）' }).click();
  await expect(page.getByText(/备案已保存并排队/)).toBeVisible();
  await expect(progress.getByText(/备案已排队|已备案/)).toBeVisible();
  await shot(page, 'multi-kaifeng-a-filed');
  for (const d of [first, ...finals]) await d.context.close();
});
