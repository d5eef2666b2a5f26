import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { chinaDateOf } from '../../src/shared/time';
import { readFileSync } from 'node:fs';
import { ADMIN, DESK_NOW, PHYSICIAN, createAdministrator, createUserViaUi, deskRows, holders, loadDemoCases, login, logout, resetHospital, seedHospital, shot } from './support';

interface Target {
  caseId: string;
  personName: string;
  state: 'offered' | 'accepted';
}

/**
 * One of the physician's open cases with a scanned PDF record and at least two outside results,
 * read straight from IndexedDB (the demo data is random; the test needs a case it can work).
 */
function findWorkableCase(page: Page, username: string): Promise<Target> {
  return page.evaluate(
    (name) =>
      new Promise<Target>((resolve, reject) => {
        const open = indexedDB.open('opsp-workstation');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['users', 'workItems', 'materials', 'outsideResults']);
          const users = tx.objectStore('users').getAll();
          const items = tx.objectStore('workItems').getAll();
          const materials = tx.objectStore('materials').getAll();
          const results = tx.objectStore('outsideResults').getAll();
          tx.oncomplete = () => {
            const me = (users.result as { id: string; username: string }[]).find((u) => u.username === name)!;
            const pdf = new Set((materials.result as { caseId: string; attachmentId: string | null; mime: string }[]).filter((m) => m.attachmentId && m.mime === 'application/pdf').map((m) => m.caseId));
            const count = new Map<string, number>();
            for (const r of results.result as { caseId: string }[]) count.set(r.caseId, (count.get(r.caseId) ?? 0) + 1);
            const mine = (items.result as { caseId: string; assigneeId: string; personName: string; state: 'offered' | 'accepted' }[])
              .filter((i) => i.assigneeId === me.id && pdf.has(i.caseId) && (count.get(i.caseId) ?? 0) >= 2)
              .sort((a, b) => (a.state === b.state ? 0 : a.state === 'offered' ? -1 : 1));
            if (mine.length === 0) reject(new Error('no open case with a scanned record and two outside results'));
            else resolve({ caseId: mine[0]!.caseId, personName: mine[0]!.personName, state: mine[0]!.state });
          };
        };
      }),
    username,
  );
}

// The demo cases and the seeded offer are dated from the desk's clock: it starts at DESK_NOW.
test.beforeEach(async ({ context, request }) => {
  await resetHospital(request, DESK_NOW);
  await context.clock.install({ time: DESK_NOW });
});

test('a physician’s day: worklist, accept, open a PDF record, recognise and repeat, conclude', async ({ page, request }) => {
  test.setTimeout(240_000);
  page.on('pageerror', (e) => console.log('page error:', e.message));
  await createAdministrator(page);
  await createUserViaUi(page, PHYSICIAN);
  // 设置 → 演示数据 (the administrator, into the hospital server): invented cases, some drawn to
  // this physician, scans for the nearest ones.
  await loadDemoCases(page);
  await logout(page);
  await login(page, PHYSICIAN);

  await page.getByRole('menuitem', { name: '待审案件' }).click();
  await expect(page.getByText(/受理剩|办结剩|今日须办结/).first()).toBeVisible();
  await shot(page, 'physician-worklist');

  const target = await findWorkableCase(page, PHYSICIAN.username);
  await page.getByLabel('搜索').fill(target.personName);
  await page.getByLabel('搜索').press('Enter');
  const row = page.locator('.worklist-row').filter({ hasText: target.personName }).first();
  await expect(row).toBeVisible();
  if (target.state === 'offered') {
    await row.getByRole('button', { name: /受\s*理/ }).click();
    await expect(page.getByText(`已受理：${target.personName}`, { exact: false })).toBeVisible();
  }
  await page.locator('.worklist-row').filter({ hasText: target.personName }).first().getByRole('button', { name: /打\s*开/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/cases/${target.caseId}$`));

  // The header: name and a masked ID number, never the number in clear.
  await expect(page.locator('.patient-name')).toHaveText(target.personName);
  await expect(page.locator('.patient-certno')).toHaveText(/^\d{6}\*{8}\d{3}[\dX]$/);
  expect(await page.locator('body').innerText()).not.toMatch(/(?<![\dX])\d{17}[\dX](?![\dX])/);

  // The scanned record opens in pdf.js: the page canvas renders, with a thumbnail; + zooms.
  const pdfItem = page.locator('.material-item').filter({ hasText: /病历|报告/ }).filter({ hasNotText: '无文件' }).first();
  await pdfItem.click();
  const canvas = page.getByTestId('pdf-canvas');
  await expect(canvas).toHaveAttribute('data-rendered', 'true', { timeout: 30_000 });
  expect(await canvas.evaluate((c: HTMLCanvasElement) => c.width > 300 && c.height > 300)).toBe(true);
  await expect(page.locator('.pdf-thumb canvas')).toHaveCount(1);
  await expect(page.locator('.viewer-zoom')).toHaveText('80%');
  await page.locator('.review-hint').click();
  await page.keyboard.press('+');
  await expect(page.locator('.viewer-zoom')).toHaveText('100%');
  await expect(canvas).toHaveAttribute('data-rendered', 'true');

  // 互认: recognise the first outside result, repeat the second with a reason, the patient told.
  const results = page.getByTestId('outside-result');
  await results.nth(0).getByRole('button', { name: /互\s*认/ }).click();
  await expect(results.nth(0).getByText('已互认')).toBeVisible();
  await results.nth(1).getByRole('button', { name: '重复检查' }).click();
  const dialog = page.getByRole('dialog', { name: '重复检查' });
  await dialog.getByRole('button', { name: '确认重复检查' }).click();
  await expect(dialog.getByText(/请选择重复检查的理由/)).toBeVisible();
  await dialog.getByLabel('重复检查理由').click();
  await page.getByTitle('其他临床需要').click();
  await dialog.getByRole('checkbox', { name: '已向患者说明重复检查的原因' }).check();
  await dialog.getByRole('button', { name: '确认重复检查' }).click();
  await expect(dialog).toBeHidden();
  await expect(results.nth(1).getByText('重复检查：其他临床需要')).toBeVisible();
  await shot(page, 'physician-review');

  // Both records reach the demo platform from the hospital server as the recognition extension and
  // are accepted (demo cases belong to persons the embedded platform holds): the platform's own
  // record holds each under the desk's id for it (hosp_rcgn_id).
  const platform = ((await (await request.get('__test/demo-platform')).json()) as { url: string }).url;
  const mine = async () => (await deskRows<{ id: string }>(page, 'recognitions')).map((r) => r.id);
  await expect.poll(async () => (await mine()).length, { timeout: 15_000 }).toBe(2);
  const onPlatform = async () => {
    const held = ((await (await request.get(`${platform}/sandbox/recognitions`)).json()) as { recognitions: { hosp_rcgn_id: string }[] }).recognitions.map((r) => r.hosp_rcgn_id);
    const ids = await mine();
    return ids.filter((id) => held.includes(id)).length;
  };
  await expect.poll(onPlatform, { timeout: 60_000 }).toBe(2);

  // Conclude 符合 with the C key; the password confirms it and the review is sealed.
  await page.locator('.criteria .ant-checkbox-input').first().check();
  await page.locator('.review-hint').click();
  await page.keyboard.press('c');
  const confirm = page.getByRole('dialog', { name: '确认结论' });
  await confirm.getByLabel('登录密码').fill('not-my-password');
  await confirm.getByRole('button', { name: '确认提交' }).click();
  await expect(confirm.getByText('密码错误，结论未提交')).toBeVisible();
  await confirm.getByLabel('登录密码').fill(PHYSICIAN.password);
  await confirm.getByRole('button', { name: '确认提交' }).click();
  await expect(page.getByText(/结论已提交/)).toBeVisible();
  await expect(page.locator('.case-progress').getByText(PHYSICIAN.displayName)).toBeVisible();
  await expect(page.locator('.case-progress').getByText(/审计 #\d+/)).toBeVisible();
  await shot(page, 'physician-review-concluded');

  // 工作台: the physician's recognition figures.
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/#\/cases$/);
  await page.getByRole('menuitem', { name: '工作台' }).click();
  await expect(page.getByText('共 2 条互认记录')).toBeVisible();
  await expect(page.getByText('其他临床需要 × 1')).toBeVisible();
  await shot(page, 'workbench-recognition');
});

const FINALS = [
  { displayName: '钱终审', username: 'qian.final', password: 'Doctor-pass-2026', department: '内分泌科' },
  { displayName: '孙终审', username: 'sun.final', password: 'Doctor-pass-2026', department: '内分泌科' },
  { displayName: '李终审', username: 'li.final', password: 'Doctor-pass-2026', department: '内分泌科' },
];
const FIRST = { displayName: '周初审', username: 'zhou.first', password: 'Doctor-pass-2026', department: '内分泌科' };
const ALL = [FIRST, ...FINALS];

/**
 * Writes one invented diabetes case offered to the first reviewer, and registry profiles that make
 * the four accounts the only eligible physicians: the 终审 draw then picks two of the other three,
 * and the third 终审 is whoever is left.
 */
async function seedKaifengCase(page: Page, request: APIRequestContext): Promise<string> {
  const users = await page.evaluate(
    () =>
      new Promise<{ id: string; username: string; displayName: string; role: string }[]>((resolve, reject) => {
        const open = indexedDB.open('opsp-workstation');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const read = open.result.transaction('users').objectStore('users').getAll();
          read.onsuccess = () => resolve(read.result as { id: string; username: string; displayName: string; role: string }[]);
        };
      }),
  );
  const at = DESK_NOW.toISOString();
  const acceptBy = new Date(DESK_NOW.getTime() + 47 * 3_600_000).toISOString();
  const firstId = users.find((u) => u.username === FIRST.username)!.id;
  const rows: { table: string; row: Record<string, unknown> & { id: string } }[] = users
    .filter((u) => u.role === 'physician')
    .map((u) => ({
      table: 'physicians',
      row: {
        id: u.id, name: u.displayName, licence: 'physician', title: 'senior', department: '内分泌科', practiceScopes: ['内科专业'],
        paymentQualifications: [{ code: `D${u.username.slice(0, 8)}`, from: '2020-01-01', to: null }],
        registry: [{ physicianId: u.id, institutionCode: 'H00000000001', department: '内分泌科', registeredOn: '2024-01-01', expiresOn: null, invalidOn: null }],
        flag: null, updatedAt: at,
      },
    }));
  const person = { id: 'e2e-p1', psnNo: '41020000000000000077', certType: '01', certNo: '410202198003031236', name: '韩演示', gender: 'male', birthDate: '1980-03-03', insutype: '390', regionCode: '410200', offSiteResident: false, createdAt: at };
  const receivedOn = chinaDateOf(DESK_NOW);
  rows.push({ table: 'persons', row: person });
  rows.push({
    table: 'cases',
    row: {
      id: 'e2e-c1', personId: person.id, personName: person.name, certNo: person.certNo, psnNo: person.psnNo, insutype: '390', regionCode: '410200', diseaseCode: 'M01600', diseaseName: '糖尿病',
      kind: 'first', channel: 'assisted', submittedAt: at, receivedOn, status: 'in-review', stage: 'first', stageLabel: '初审', tieBreak: false, dueOn: null,
      deadlineAt: '9999-12-31T23:59:59.999Z', paused: [], result: null, decidedAt: null, updatedAt: at,
    },
  });
  rows.push({ table: 'assignments', row: { id: 'e2e-a1', caseId: 'e2e-c1', stage: 'first', tieBreak: false, reviewerId: firstId, draw: { mode: 'direct', by: 'e2e', chosen: [firstId] }, offeredAt: at, acceptBy, state: 'offered', acceptedAt: null, closedAt: null, refusalReason: null, replaces: null } });
  rows.push({
    table: 'workItems',
    row: {
      id: 'e2e-a1', caseId: 'e2e-c1', personId: person.id, assigneeId: firstId, stage: 'first', stageLabel: '初审', tieBreak: false, state: 'offered', personName: person.name, certNo: person.certNo,
      psnNo: person.psnNo, diseaseCode: 'M01600', diseaseName: '糖尿病', caseKind: 'first', offeredAt: at, acceptBy, receivedOn, dueOn: null, paused: [], deadlineAt: acceptBy,
    },
  });
  await seedHospital(request, rows);
  return 'e2e-c1';
}

/** Logs in, accepts and opens the case from the worklist, and concludes it. */
async function review(page: Page, user: (typeof ALL)[number], verdict: '符合' | '不符合') {
  await login(page, user);
  await page.getByRole('menuitem', { name: '待审案件' }).click();
  const row = page.locator('.worklist-row').filter({ hasText: '韩演示' }).first();
  await row.getByRole('button', { name: /受\s*理/ }).click();
  // The previous reviewer's toasts may still be fading: the newest one is last.
  await expect(page.getByText('已受理：韩演示', { exact: false }).last()).toBeVisible();
  await page.locator('.worklist-row').filter({ hasText: '韩演示' }).first().getByRole('button', { name: /打\s*开/ }).click();
  const panel = page.getByLabel('结论');
  await panel.getByText(verdict, { exact: true }).click();
  if (verdict === '不符合') await panel.getByLabel('不符合的理由').fill('未见糖尿病并发症的检查证据');
  await panel.getByRole('button', { name: '提交结论（C）' }).click();
  const confirm = page.getByRole('dialog', { name: '确认结论' });
  await confirm.getByLabel('登录密码').fill(user.password);
  await confirm.getByRole('button', { name: '确认提交' }).click();
  await expect(page.getByText(/结论已提交/).last()).toBeVisible();
  await logout(page);
}

test('Kaifeng: two final reviewers disagree, a third decides, the 医保办 queues the filing', async ({ page, request }) => {
  test.setTimeout(240_000);
  page.on('pageerror', (e) => console.log('page error:', e.message));
  await createAdministrator(page);
  await page.getByRole('menuitem', { name: '设置' }).click();
  await page.getByRole('tab', { name: '政策' }).click();
  await page.locator('input[type=file]').nth(0).setInputFiles({ name: 'kaifeng.json', mimeType: 'application/json', buffer: readFileSync('resources/policy/kaifeng-2023.json') });
  await expect(page.getByText(/已导入政策包/)).toBeVisible();
  await page.getByLabel('切换政策包').click();
  await page.getByTitle(/开封/).first().click();
  await expect(page.getByText('已切换政策包')).toBeVisible();
  for (const u of ALL) await createUserViaUi(page, u);
  const caseId = await seedKaifengCase(page, request);
  await logout(page);

  await review(page, FIRST, '符合');
  const finals = await holders(page, caseId);
  expect(finals).toHaveLength(2);
  const [a, b] = finals.map((name) => FINALS.find((f) => f.username === name)!);
  await review(page, a!, '符合');
  await review(page, b!, '不符合');
  const third = await holders(page, caseId);
  expect(third).toHaveLength(1);
  const decider = FINALS.find((f) => f.username === third[0])!;
  expect([a!.username, b!.username]).not.toContain(decider.username);
  await review(page, decider, '符合');

  // The 医保办 (here the administrator) sees the decided case and queues its 2503 filing.
  await login(page, ADMIN);
  await page.getByRole('menuitem', { name: '工作台' }).click();
  await expect(page.getByText('待备案的认定（1）')).toBeVisible();
  await shot(page, 'workbench-office');
  await page.getByRole('row', { name: /韩演示/ }).getByRole('button', { name: '查看审核' }).click();
  await expect(page).toHaveURL(new RegExp(`#/cases/${caseId}$`));
  const progress = page.locator('.case-progress');
  await expect(progress.getByText('终审（第三名专家）')).toBeVisible();
  await expect(progress.getByText('认定通过')).toBeVisible();
  await expect(progress.getByText('待医保办备案')).toBeVisible();
  await progress.getByRole('button', { name: '提交备案（2503）' }).click();
  await expect(page.getByText(/备案已保存并排队/)).toBeVisible();
  // The server files it with the demo platform, which does not know this seeded person: its refusal, in its words.
  await expect(progress.getByText('备案被平台拒绝，需处理')).toBeVisible({ timeout: 30_000 });
  await expect(progress).toContainText('参保人不存在');
  await shot(page, 'kaifeng-third-reviewer-decided');
});
