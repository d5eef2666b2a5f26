/**
 * A batch of fifty, as a hospital files it: the physician concludes at desk B, the 医保办 re-checks
 * at desk A (Jilin); 49 more approved certifications are on the server — one for a person the
 * platform does not know, and one that repeats another's disease for the same person, which the
 * platform refuses. The 医保办 submits all fifty while the platform cannot be reached; when it
 * comes back, the server's runner finishes them; the unknown person, whose fate the platform will
 * not let the server check, goes to a person, who closes it; the batch view and every certification
 * end right, and the platform holds each accepted filing exactly once.
 */
import { expect, test, type APIRequestContext } from '@playwright/test';
import { DEMO_PLATFORM, syntheticPerson } from '../../src/shared/demo/population';
import { DESK_NOW, JILIN_OFFICE, JILIN_PHYSICIAN, concludeHere, deskRows, freshHospitalEachTest, login, readyCertificationRows, seedHospital, seededPhysician, setUpJilin, shot, takeApplication, worklistRow } from './support';

freshHospitalEachTest();

async function demoPlatform(request: APIRequestContext): Promise<string> {
  const r = await request.get('__test/demo-platform');
  const { url } = (await r.json()) as { url: string | null };
  expect(url, 'the e2e host runs the embedded demo platform').toBeTruthy();
  return url!;
}

const setFaults = async (request: APIRequestContext, platform: string, spec: string) => {
  const r = await request.post(`${platform}/sandbox/faults`, { data: { spec } });
  expect(r.ok()).toBe(true);
};

test('备案 fifty: concluded at desk B, re-checked at desk A, fifty filed in one batch through an outage; a refusal and an unknown person end with the platform\'s reasons', async ({ page, browser, request }) => {
  test.setTimeout(300_000);
  const platform = await demoPlatform(request);
  await setFaults(request, platform, 'off');
  const concluded = syntheticPerson(301, DEMO_PLATFORM.regionCode);
  await setUpJilin(page);

  // Desk B: the physician accepts and concludes; desk A: the 医保办 takes it and re-checks it.
  const deskB = await browser.newContext();
  const physician = await deskB.newPage();
  await physician.goto('web.html');
  await login(physician, JILIN_PHYSICIAN);
  await login(page, JILIN_OFFICE);
  await takeApplication(page, concluded);
  await physician.getByRole('menuitem', { name: '待审案件' }).click();
  const row = worklistRow(physician, concluded.psn_name);
  await expect(row).toBeVisible({ timeout: 10_000 });
  await row.getByRole('button', { name: /受\s*理/ }).click();
  await expect(physician.getByText(`已受理：${concluded.psn_name}`, { exact: false }).last()).toBeVisible();
  await worklistRow(physician, concluded.psn_name).getByRole('button', { name: /打\s*开/ }).click();
  await concludeHere(physician, JILIN_PHYSICIAN.password, '符合');
  await shot(physician, 'batch50-b-concluded');
  await page.getByRole('menuitem', { name: '院内复核' }).click();
  const recheck = worklistRow(page, concluded.psn_name);
  await expect(recheck).toBeVisible({ timeout: 15_000 });
  await recheck.getByRole('button', { name: /打\s*开/ }).click();
  await concludeHere(page, JILIN_OFFICE.password, '符合');
  await expect(page.locator('.case-progress').getByText('待医保办备案')).toBeVisible({ timeout: 15_000 });

  // 49 more on the server: 47 persons the platform knows, one it does not, one disease twice for one person.
  const at = DESK_NOW.toISOString();
  const doctor = seededPhysician('dr-batch50', 'D220100000191', at);
  const known = Array.from({ length: 47 }, (_, i) => syntheticPerson(310 + i, DEMO_PLATFORM.regionCode));
  const stranger = { ...syntheticPerson(DEMO_PLATFORM.population + 77, DEMO_PLATFORM.regionCode) };
  const people = [...known, stranger, known[0]!];
  const rows = [{ table: 'physicians', row: doctor }, ...readyCertificationRows(people, doctor, { prefix: 'b50', at })];
  await seedHospital(request, rows);

  // The platform goes away; the 医保办 selects all fifty and submits them as one batch.
  await setFaults(request, platform, 'reset@1');
  await page.getByRole('menuitem', { name: '备案' }).click();
  const all = page.getByRole('button', { name: /全选筛选结果（50 条）/ });
  await expect(all).toBeVisible({ timeout: 30_000 });
  await all.click();
  await shot(page, 'batch50-a-ready');
  await page.getByRole('button', { name: /提交备案（50 条）/ }).click();
  await expect(page).toHaveURL(/#\/filings\/batches\/batch-/);
  const view = page.getByTestId('batch-view');
  await expect(view).toBeVisible({ timeout: 30_000 });
  // Sent while the platform was unreachable: the server waits and checks, it does not give up or resend blind.
  await expect.poll(async () => view.locator('[data-phase=checking], [data-phase=waiting]').count(), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
  await shot(page, 'batch50-a-outage');

  // The platform is back: the runner finishes by itself.
  await setFaults(request, platform, 'off');
  await expect(page.locator('.ant-progress-indicator')).toHaveText('50/50', { timeout: 180_000 });
  await expect(view.locator('[data-phase=accepted]')).toHaveCount(48);
  // The disease filed twice for one person: refused by the platform, with its reason.
  const twice = view.getByRole('row').filter({ hasText: known[0]!.psn_name });
  await expect(twice.locator('[data-phase=rejected]')).toHaveCount(1);
  // The person the platform does not know: refused with the platform's words — or, if its first send
  // was lost in the outage, set aside, since the platform will not let the server check (5301 is
  // refused for them too); the 医保办 then closes it with what was found.
  const strangerRow = view.getByRole('row').filter({ hasText: stranger.psn_name });
  await expect(strangerRow).toContainText('参保人不存在');
  await shot(page, 'batch50-a-done');
  if ((await strangerRow.locator('[data-phase=set-aside]').count()) > 0) {
    await strangerRow.getByRole('button', { name: '关闭' }).click();
    const closing = page.getByRole('dialog').filter({ hasText: '关闭这条报文' });
    await closing.getByLabel('处理结果').fill('经核实平台无此参保人，已通知参保人到参保地核对身份');
    await closing.getByRole('button', { name: '关闭这条报文' }).click();
    await expect(strangerRow.locator('[data-phase=closed]')).toBeVisible({ timeout: 30_000 });
  } else {
    await expect(strangerRow.locator('[data-phase=rejected]')).toBeVisible();
  }

  // Every certification's state, as the desk pulled it.
  await expect
    .poll(async () => (await deskRows<{ state: string }>(page, 'certifications')).filter((c) => c.state === 'filing-rejected').length, { timeout: 30_000 })
    .toBe(2);
  const certs = await deskRows<{ id: string; caseId: string; state: string; rejectReason?: string; trtDclaDetlSn?: string }>(page, 'certifications');
  const refused = certs.filter((c) => c.state === 'filing-rejected');
  expect(refused.map((c) => c.id).sort()).toEqual(['cert-b50-47', 'cert-b50-48'].sort());
  expect(refused.every((c) => (c.rejectReason ?? '').length > 2)).toBe(true);
  const filed = certs.filter((c) => c.state === 'filed');
  expect(filed).toHaveLength(48);
  expect(certs.filter((c) => c.state === 'ready' || c.state === 'filing-queued')).toHaveLength(0);

  // The platform's own record: each accepted filing once, with the serial the certification holds.
  const onPlatform = (await (await request.get(`${platform}/sandbox/filings?limit=1000`)).json()) as { filings: { psn_no: string; trt_dcla_detl_sn: string; status: string }[] };
  for (const c of filed) expect(onPlatform.filings.filter((f) => f.trt_dcla_detl_sn === c.trtDclaDetlSn)).toHaveLength(1);
  for (const p of [concluded, ...known]) expect(onPlatform.filings.filter((f) => f.psn_no === p.psn_no && f.status === 'active'), p.psn_name).toHaveLength(1);
  expect(onPlatform.filings.filter((f) => f.psn_no === stranger.psn_no)).toHaveLength(0);
  await deskB.close();
});
