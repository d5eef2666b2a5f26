/**
 * A conflict between desks (Kaifeng: an offer not accepted within 48 hours goes to another
 * expert). Physician B's desk loses its link to the server; B accepts and concludes there. Meanwhile
 * the server's clock passes B's acceptance window: the offer lapses and is redrawn to physician C,
 * whose desk has the case. When B's desk reaches the server again, B's conclusion is refused with
 * the reason, kept on B's desk with what B entered, and shown to the 医保办, who records what
 * became of it.
 */
import { expect, test } from '@playwright/test';
import { DEMO_PLATFORM, syntheticPerson } from '../../src/shared/demo/population';
import {
  DESK_NOW, createAdministrator, createUserViaUi, cutFromServer, freshHospitalEachTest, hospitalOrigin, login, logout, openDesk, restoreServer, seedPhysicianProfiles, shot, switchPack, concludeHere, takeApplication, worklistRow,
} from './support';

freshHospitalEachTest(DESK_NOW);

const OFFICE = { displayName: '葛慧敏', username: 'ge.huimin', password: 'Office-pass-2026' };
const B = { displayName: '冯立新', username: 'feng.lixin', password: 'Doctor-pass-2026', department: '内分泌科' };
const C = { displayName: '韩若溪', username: 'han.ruoxi', password: 'Doctor-pass-2026', department: '内分泌科' };

test('a conclusion made offline on an offer that lapsed and was redrawn meanwhile: refused with the reason, kept at the desk, resolved by the 医保办', async ({ page, context, browser, request }) => {
  test.setTimeout(300_000);
  page.on('pageerror', (e) => console.log('page error (desk A):', e.message));
  const person = syntheticPerson(41, DEMO_PLATFORM.regionCode);
  await context.clock.install({ time: DESK_NOW });

  await createAdministrator(page);
  await switchPack(page, /开封/);
  await createUserViaUi(page, OFFICE, '医保办');
  await createUserViaUi(page, B);
  await createUserViaUi(page, C);
  // Only B in the registry when the application comes in: the draw is B's.
  await seedPhysicianProfiles(page, request, [B.username], DESK_NOW);
  await logout(page);

  const deskB = await openDesk(browser, DESK_NOW);
  await login(deskB.page, B);
  await deskB.page.getByRole('menuitem', { name: '待审案件' }).click();

  // Desk A: the 医保办 takes the application; it is offered to B.
  await login(page, OFFICE);
  await takeApplication(page, person);
  await expect(page.locator('.ant-descriptions').filter({ hasText: '已分配给' })).toContainText(B.displayName);
  await expect(worklistRow(deskB.page, person.psn_name)).toBeVisible({ timeout: 10_000 });

  // B's desk loses the server. B accepts, reads and concludes there: saved at the desk, waiting to be sent.
  const origin = await hospitalOrigin(deskB.page);
  await cutFromServer(deskB.context, origin);
  await worklistRow(deskB.page, person.psn_name).getByRole('button', { name: /受\s*理/ }).click();
  await expect(deskB.page.getByText(`已受理：${person.psn_name}`, { exact: false }).last()).toBeVisible();
  await worklistRow(deskB.page, person.psn_name).getByRole('button', { name: /打\s*开/ }).click();
  await concludeHere(deskB.page, B.password, '不符合', '未见糖尿病肾病的检查证据');
  await expect(deskB.page.getByTestId('desk-commands-status')).toContainText('待发送 2', { timeout: 30_000 });
  await shot(deskB.page, 'conflict-b-offline-concluded');

  // Meanwhile C joins the registry and the server's clock passes B's 48-hour window: the offer lapses and goes to C.
  await seedPhysicianProfiles(page, request, [C.username], DESK_NOW);
  const advanced = await request.post('__test/advance-hospital', { data: { ms: 49 * 3_600_000 } });
  expect(advanced.status()).toBe(200);
  expect(await advanced.json()).toEqual({ swept: 1 });
  const deskC = await openDesk(browser, new Date(DESK_NOW.getTime() + 49 * 3_600_000));
  await login(deskC.page, C);
  await deskC.page.getByRole('menuitem', { name: '待审案件' }).click();
  await expect(worklistRow(deskC.page, person.psn_name)).toBeVisible({ timeout: 10_000 });
  await shot(deskC.page, 'conflict-c-has-the-case');

  // B's desk reaches the server again, two days on: the session has ended, and B signs in again
  // on the page they are on. The acceptance and the conclusion are refused, with the reason; what B entered stays.
  await restoreServer(deskB.context, origin);
  const reauth = deskB.page.getByTestId('reauth');
  await expect(reauth).toContainText('与院内服务器的登录已失效：2 项操作已保存在本机，尚未发送', { timeout: 60_000 });
  await shot(deskB.page, 'conflict-b-signed-out');
  await reauth.getByLabel('重新连接的登录密码').fill(B.password);
  await reauth.getByRole('button', { name: '重新连接' }).click();
  await expect(reauth).toBeHidden();
  await expect(deskB.page.getByTestId('desk-commands-status')).toContainText('未接受 2', { timeout: 60_000 });
  await deskB.page.getByTestId('desk-commands-status').click();
  const mine = deskB.page.getByTestId('desk-commands');
  await expect(mine.getByRole('row').filter({ hasText: '提交审核结论' })).toContainText('结论 不符合：未见糖尿病肾病的检查证据');
  await expect(mine.getByRole('row').filter({ hasText: '提交审核结论' })).toContainText('所填结论已保留，并已转医保办处理。');
  const reason = (await mine.getByRole('row').filter({ hasText: '提交审核结论' }).getByTestId('refusal-reason').innerText()).trim();
  expect(reason.length).toBeGreaterThan(4);
  await shot(deskB.page, 'conflict-b-refused');
  // The case is C's now: it left B's worklist.
  await deskB.page.getByRole('menuitem', { name: '待审案件' }).click();
  await expect(worklistRow(deskB.page, person.psn_name)).toHaveCount(0, { timeout: 15_000 });
  await deskB.page.getByRole('menuitem', { name: '同步' }).click();
  await mine.getByRole('row').filter({ hasText: '提交审核结论' }).getByRole('button', { name: '知道了' }).click();
  await expect(deskB.page.getByTestId('desk-commands-status')).toContainText('未接受 1');

  // Desk A: the 医保办 (signed in again too: two days passed) sees the conflict with what B entered and why it was refused, and records the outcome.
  const again = page.getByTestId('reauth');
  await expect(again).toBeVisible({ timeout: 60_000 });
  await again.getByLabel('重新连接的登录密码').fill(OFFICE.password);
  await again.getByRole('button', { name: '重新连接' }).click();
  await expect(again).toBeHidden();
  await page.getByRole('menuitem', { name: '同步' }).click();
  const conflicts = page.getByTestId('conflicts');
  const conflict = conflicts.getByRole('row').filter({ hasText: B.displayName });
  await expect(conflict).toContainText('结论 不符合：未见糖尿病肾病的检查证据', { timeout: 15_000 });
  await expect(conflict).toContainText(reason);
  await shot(page, 'conflict-a-office');
  await conflict.getByRole('button', { name: '处理…' }).click();
  const dialog = page.getByRole('dialog', { name: '处理冲突' });
  await dialog.getByLabel('处理结果').fill('已与冯立新、韩若溪沟通，以韩若溪的审核结论为准');
  await dialog.getByRole('button', { name: '记录处理结果' }).click();
  await expect(page.getByText('已记录处理结果')).toBeVisible();
  await expect(conflicts.getByText('没有冲突')).toBeVisible();
  await deskB.context.close();
  await deskC.context.close();
});
