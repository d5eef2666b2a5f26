/**
 * "已保存" means saved: the 医保办 submits a filing while the hospital server cannot be reached;
 * the moment the desk says the batch is saved and queued, the browser process is killed outright
 * (SIGKILL, a power cut). After a restart the command is on the desk, it reaches the server by
 * itself, and the server files the certification with the demo platform.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';
import { CHROMIUM_FLAGS, findChromium } from '../../scripts/chromium-path.mjs';
import { DEMO_PLATFORM, syntheticPerson } from '../../src/shared/demo/population';
import { ADMIN, DESK_NOW, cutFromServer, deskRows, freshHospitalEachTest, hospitalOrigin, login, readyCertificationRows, seedHospital, seededPhysician, shot } from './support';

freshHospitalEachTest(DESK_NOW);

// Tracing follows every context a test opens, including this test's own Chromium over CDP;
// stopping the trace of a browser that was just killed fails the test, so this file is not traced.
test.use({ trace: 'off' });

/** A Chromium of our own, in its own process group, so the test can kill it outright (SIGKILL) like a power cut. */
async function launchOwnChromium(profile: string): Promise<{ child: ChildProcess; page: Page; kill: () => Promise<void> }> {
  const executable = findChromium();
  if (!executable) throw new Error('no Chromium found');
  const child = spawn(executable, [...CHROMIUM_FLAGS, '--headless=new', '--window-size=1440,900', `--user-data-dir=${profile}`, '--remote-debugging-port=0', 'about:blank'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  const endpoint = await new Promise<string>((ok, fail) => {
    let err = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
      if (m) ok(m[1]!);
    });
    child.once('exit', (code) => fail(new Error(`chromium exited (${code}): ${err}`)));
  });
  const browser = await chromium.connectOverCDP(endpoint);
  const context = browser.contexts()[0]!;
  const page = context.pages()[0] ?? (await context.newPage());
  const kill = async () => {
    const exited = new Promise((r) => child.once('exit', r));
    process.kill(-child.pid!, 'SIGKILL'); // the browser and every process it started, at once
    await exited;
  };
  return { child, page, kill };
}

test('已保存 means saved: the browser is killed right after 备案已保存, the command is there after restart and the server files it', async ({ baseURL, request }) => {
  test.setTimeout(180_000);
  const at = DESK_NOW.toISOString();
  const p = syntheticPerson(401, DEMO_PLATFORM.regionCode);
  const doctor = seededPhysician('dr-kill', 'D140100000401', at);
  await seedHospital(request, [{ table: 'physicians', row: doctor }, ...readyCertificationRows([p], doctor, { prefix: 'kill', at })]);

  const profile = mkdtempSync(join(tmpdir(), 'opsp-e2e-kill-'));
  const app = `${baseURL}web.html`;
  try {
    const first = await launchOwnChromium(profile);
    const page = first.page;
    await page.goto(app);
    await expect(page.getByText('首次使用：创建管理员账户')).toBeVisible({ timeout: 30_000 });
    await page.getByLabel('姓名').fill(ADMIN.displayName);
    await page.getByLabel('用户名').fill(ADMIN.username);
    await page.getByLabel('密码', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('确认密码').fill(ADMIN.password);
    await page.getByRole('button', { name: '创建管理员并登录' }).click();
    await page.getByRole('menuitem', { name: '备案' }).click();
    await page.getByRole('checkbox', { name: new RegExp(`选择 ${p.psn_name}`) }).check({ timeout: 30_000 });
    // The server goes out of reach: the command stays on the desk exactly as saved.
    await cutFromServer(page.context(), await hospitalOrigin(page));
    await page.getByRole('button', { name: /提交备案（1 条）/ }).click();
    await expect(page.getByText(/备案批次已保存并排队/)).toBeVisible();
    // The moment the clerk reads 已保存, the power goes.
    await first.kill();

    const second = await launchOwnChromium(profile);
    await second.page.goto(app);
    await login(second.page, ADMIN);
    const commands = await deskRows<{ kind: string; payload: { certificationIds: string[] } }>(second.page, 'deskCommands');
    expect(commands.filter((c) => c.kind === 'filing.submit').map((c) => c.payload.certificationIds)).toEqual([['cert-kill-0']]);
    // The link is back after the restart: the desk sends it, the server files it.
    await expect
      .poll(async () => (await deskRows<{ id: string; state: string }>(second.page, 'certifications')).find((c) => c.id === 'cert-kill-0')?.state, { timeout: 90_000 })
      .toBe('filed');
    await second.page.getByRole('menuitem', { name: '备案' }).click();
    await second.page.getByRole('tab', { name: '备案批次' }).click();
    await expect(second.page.getByRole('row').filter({ hasText: '1/1 已发送' })).toBeVisible({ timeout: 30_000 });
    await shot(second.page, 'saved-after-kill');
    await second.kill();
  } finally {
    // Chromium's helper processes may still be letting go of the profile; a leftover temp folder is harmless.
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
    } catch {
      console.warn(`[saved-means-saved.spec] could not remove ${profile}`);
    }
  }
});
