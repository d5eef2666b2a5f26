import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO_PLATFORM, syntheticPerson } from '../../src/shared/demo/population';
import { DESK_NOW, JILIN_OFFICE, JILIN_PHYSICIAN, createAdministrator, createUserViaUi, holders, login, logout, openRegistry, registerPhysician, registryRow, resetHospital, setUpJilin, seedHospital, shot, switchPack } from './support';
import { chinaDateOf } from '../../src/shared/time';


/** The person, disease and stage of one seeded case. */
interface SeedCase {
  caseId: string;
  personId: string;
  name: string;
  certNo: string;
  psnNo: string;
  gender: 'male' | 'female';
  birthDate: string;
  regionCode: string;
  diseaseCode: string;
  diseaseName: string;
  stage: string;
  stageLabel: string;
  /** Hours the physician has to accept; null where the pack sets no acceptance window (Jilin). */
  acceptHours: number | null;
}


/** The id of an account, as this desk holds it (accounts reach every desk). */
function userId(page: Page, username: string): Promise<string> {
  return page.evaluate(
    (name) =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open('opsp-workstation');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const read = open.result.transaction('users').objectStore('users').getAll();
          read.onsuccess = () => {
            const found = (read.result as { id: string; username: string }[]).find((u) => u.username === name);
            if (found) resolve(found.id);
            else reject(new Error(`no account ${name} on this desk`));
          };
        };
      }),
    username,
  );
}

/**
 * Writes cases offered to one physician into the hospital server, as a draw would have (the
 * offer is what makeOffer in src/shared/review/offers.ts makes: acceptBy from the pack's window,
 * or null where the pack has none, and deadlineAt the acceptance deadline or NO_DEADLINE).
 */
async function seedOffers(page: Page, request: APIRequestContext, username: string, cases: SeedCase[]): Promise<void> {
  const reviewerId = await userId(page, username);
  const at = DESK_NOW.toISOString();
  const receivedOn = chinaDateOf(DESK_NOW);
  const rows: { table: string; row: Record<string, unknown> & { id: string } }[] = [];
  for (const c of cases) {
    const acceptBy = c.acceptHours === null ? null : new Date(DESK_NOW.getTime() + c.acceptHours * 3_600_000).toISOString();
    const deadlineAt = acceptBy ?? '9999-12-31T23:59:59.999Z';
    const person = { id: c.personId, psnNo: c.psnNo, certType: '01', certNo: c.certNo, name: c.name, gender: c.gender, birthDate: c.birthDate, insutype: '390', regionCode: c.regionCode, offSiteResident: false, createdAt: at };
    rows.push({ table: 'persons', row: person });
    rows.push({
      table: 'cases',
      row: {
        id: c.caseId, personId: person.id, personName: person.name, certNo: person.certNo, psnNo: person.psnNo, insutype: '390', regionCode: c.regionCode, diseaseCode: c.diseaseCode, diseaseName: c.diseaseName,
        kind: 'first', channel: 'assisted', submittedAt: at, receivedOn, status: 'in-review', stage: c.stage, stageLabel: c.stageLabel, tieBreak: false, dueOn: null,
        deadlineAt: '9999-12-31T23:59:59.999Z', paused: [], result: null, decidedAt: null, updatedAt: at,
      },
    });
    const assignmentId = `${c.caseId}-a1`;
    rows.push({ table: 'assignments', row: { id: assignmentId, caseId: c.caseId, stage: c.stage, tieBreak: false, reviewerId, draw: { mode: 'direct', by: 'e2e', chosen: [reviewerId] }, offeredAt: at, acceptBy, state: 'offered', acceptedAt: null, closedAt: null, refusalReason: null, replaces: null } });
    rows.push({
      table: 'workItems',
      row: {
        id: assignmentId, caseId: c.caseId, personId: person.id, assigneeId: reviewerId, stage: c.stage, stageLabel: c.stageLabel, tieBreak: false, state: 'offered', personName: person.name, certNo: person.certNo,
        psnNo: person.psnNo, diseaseCode: c.diseaseCode, diseaseName: c.diseaseName, caseKind: 'first', offeredAt: at, acceptBy, receivedOn, dueOn: null, paused: [], deadlineAt,
      },
    });
  }
  await seedHospital(request, rows);
}

/** On the open review page: conclude 符合 and confirm with the password. */
async function concludeApprove(page: Page, password: string, toast: RegExp): Promise<void> {
  const panel = page.getByLabel('结论');
  await panel.getByText('符合', { exact: true }).click();
  await panel.getByRole('button', { name: '提交结论（C）' }).click();
  const confirm = page.getByRole('dialog', { name: '确认结论' });
  await confirm.getByLabel('登录密码').fill(password);
  await confirm.getByRole('button', { name: '确认提交' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByText(toast).last()).toBeVisible();
}

const JILIN_CASE: SeedCase = {
  caseId: 'e2e-jl-c1', personId: 'e2e-jl-p1', name: '滕远航', certNo: '22010219850505123X', psnNo: '22010000000000000088', gender: 'male', birthDate: '1985-05-05', regionCode: '220100',
  // resources/policy/jilin-2025.json: 糖尿病 (内分泌科), first stage `initial`, no acceptance window.
  diseaseCode: 'M01600', diseaseName: '糖尿病', stage: 'initial', stageLabel: '认定（认定医师）', acceptHours: null,
};

// Offers are seeded at DESK_NOW and the desk's clock starts there: the acceptance windows and
// 受理 dates are the same whatever day the suite runs.
// The hospital server's clock starts there too, so its lapse sweep sees the same day.
test.beforeEach(async ({ context, request }) => {
  await resetHospital(request, DESK_NOW);
  await context.clock.install({ time: DESK_NOW });
});

test('Jilin chain: 初审 by a physician, then the 医保办’s 院内复核, then the filing', async ({ page, request }) => {
  test.setTimeout(240_000);
  page.on('pageerror', (e) => console.log('page error:', e.message));
  await createAdministrator(page);
  await switchPack(page, /吉林/);
  await createUserViaUi(page, JILIN_PHYSICIAN);
  await createUserViaUi(page, JILIN_OFFICE, '医保办');

  // The registry through 设置 → 认定医师, not seeded.
  await registerPhysician(page, JILIN_PHYSICIAN, 'D220100000101');
  const row = registryRow(page, JILIN_PHYSICIAN.displayName);
  await expect(row.getByText(`${JILIN_PHYSICIAN.department} · `, { exact: false })).toBeVisible();
  await expect(row.getByText('可认定 1 个病种')).toBeVisible();
  await expect(page.getByText(/吉林省门诊慢特病管理服务/).first()).toBeVisible();
  await shot(page, 'registry');

  await seedOffers(page, request, JILIN_PHYSICIAN.username, [JILIN_CASE]);
  await logout(page);

  // The certifying physician: accept, open, conclude 符合.
  await login(page, JILIN_PHYSICIAN);
  await page.getByRole('menuitem', { name: '待审案件' }).click();
  const mine = page.locator('.worklist-row').filter({ hasText: JILIN_CASE.name }).first();
  await expect(mine).toContainText('认定（认定医师）');
  await mine.getByRole('button', { name: /受\s*理/ }).click();
  await expect(page.getByText(`已受理：${JILIN_CASE.name}`, { exact: false }).last()).toBeVisible();
  await page.locator('.worklist-row').filter({ hasText: JILIN_CASE.name }).first().getByRole('button', { name: /打\s*开/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/cases/${JILIN_CASE.caseId}$`));
  await concludeApprove(page, JILIN_PHYSICIAN.password, /结论已提交，案件转入下一环节/);
  // The server put the case in the 医保办's queue; the physician follows it until it is decided.
  await expect.poll(() => holders(page, JILIN_CASE.caseId)).toEqual(['office']);
  await logout(page);

  // The 医保办: its own queue, no offer controls; it concludes the 院内复核 and the case is decided.
  await login(page, JILIN_OFFICE);
  await expect(page.getByRole('menuitem', { name: '待审案件' })).toHaveCount(0);
  await page.getByRole('menuitem', { name: '院内复核' }).click();
  await expect(page.getByRole('heading', { name: '院内复核' })).toBeVisible();
  const queued = page.locator('.worklist-row').filter({ hasText: JILIN_CASE.name });
  await expect(queued).toHaveCount(1);
  await expect(queued).toContainText('院内复核（医保办）');
  await expect(queued.getByRole('button', { name: /受\s*理/ })).toHaveCount(0);
  await expect(queued.getByRole('button', { name: /拒\s*绝/ })).toHaveCount(0);
  await expect(page.locator('.worklist-toolbar').getByText('待受理')).toHaveCount(0);
  await shot(page, 'office-queue');
  await queued.getByRole('button', { name: /打\s*开/ }).click();
  await expect(page).toHaveURL(new RegExp(`#/cases/${JILIN_CASE.caseId}$`));
  await expect(page.locator('.case-progress').getByText(JILIN_PHYSICIAN.displayName)).toBeVisible();
  await concludeApprove(page, JILIN_OFFICE.password, /结论已提交，案件已办结/);
  const progress = page.locator('.case-progress');
  await expect(progress.getByText('认定通过')).toBeVisible();
  await expect(progress.getByText('待医保办备案')).toBeVisible();
  await shot(page, 'office-recheck-decided');

  // The case has left every queue.
  expect(await holders(page, JILIN_CASE.caseId)).toEqual([]);
  await page.getByRole('menuitem', { name: '院内复核' }).click();
  await expect(page.getByText('暂无待院内复核的案件')).toBeVisible();
  await expect(page.locator('.worklist-row').filter({ hasText: JILIN_CASE.name })).toHaveCount(0);

  // 工作台: the certification waits for filing; 提交备案（2503） queues it.
  await page.getByRole('menuitem', { name: '工作台' }).click();
  await expect(page.getByText('待备案的认定（1）')).toBeVisible();
  await page.getByRole('row', { name: new RegExp(JILIN_CASE.name) }).getByRole('button', { name: '查看审核' }).click();
  await expect(page).toHaveURL(new RegExp(`#/cases/${JILIN_CASE.caseId}$`));
  await progress.getByRole('button', { name: '提交备案（2503）' }).click();
  await expect(page.getByText(/备案已保存并排队/)).toBeVisible();
  // The hospital server files it with the demo platform, which does not know this seeded person
  // (its population is another region's): the refusal comes back with the platform's words, and
  // 工作台 keeps the certification among those to file, with the reason.
  await expect(progress.getByText('备案被平台拒绝，需处理')).toBeVisible({ timeout: 30_000 });
  await expect(progress).toContainText('参保人不存在');
  await page.getByRole('menuitem', { name: '工作台' }).click();
  await expect(page.getByText('待备案的认定（1）')).toBeVisible();
  await expect(page.getByRole('row', { name: new RegExp(JILIN_CASE.name) })).toContainText('参保人不存在');
});

const REFUSER = { displayName: '蒲以恒', username: 'pu.yiheng', password: 'Doctor-pass-2026', department: '内分泌科' };
const BACKUP = { displayName: '詹若溪', username: 'zhan.ruoxi', password: 'Doctor-pass-2026', department: '内分泌科' };
const KAIFENG_OFFICE = { displayName: '阮清禾', username: 'ruan.qinghe', password: 'Office-pass-2026' };
const kaifengCase = (n: number, name: string, certNo: string, gender: 'male' | 'female', birthDate: string): SeedCase => ({
  caseId: `e2e-kf-c${n}`, personId: `e2e-kf-p${n}`, name, certNo, psnNo: `4102000000000000010${n}`, gender, birthDate, regionCode: '410200',
  diseaseCode: 'M01600', diseaseName: '糖尿病', stage: 'first', stageLabel: '初审', acceptHours: 47,
});
const KAIFENG_CASES = [
  kaifengCase(1, '鲁明远', '410202197608124514', 'male', '1976-08-12'),
  kaifengCase(2, '邵雨桐', '410202198202173329', 'female', '1982-02-17'),
  kaifengCase(3, '管思齐', '410202199009302146', 'female', '1990-09-30'),
];

test('three refusals in a row flag the physician; the 医保办 clears the flag with a reason', async ({ page, request }) => {
  test.setTimeout(240_000);
  page.on('pageerror', (e) => console.log('page error:', e.message));
  await createAdministrator(page);
  await switchPack(page, /开封/);
  await createUserViaUi(page, REFUSER);
  await createUserViaUi(page, BACKUP);
  await createUserViaUi(page, KAIFENG_OFFICE, '医保办');
  await registerPhysician(page, REFUSER, 'D410200000201');
  // A second eligible physician of the department, so refused cases have someone to go to.
  await registerPhysician(page, BACKUP, 'D410200000202');
  await seedOffers(page, request, REFUSER.username, KAIFENG_CASES);
  await logout(page);

  await login(page, REFUSER);
  await page.getByRole('menuitem', { name: '待审案件' }).click();
  await expect(page.getByText(/连续 3 次未受理将取消认定专家资格/)).toBeVisible();
  const dialog = page.getByRole('dialog', { name: '拒绝受理' });
  const reasons = ['本人为该患者近亲属，需回避', '外出会诊，无法按时审核', '近期停诊进修'];
  for (const [i, c] of KAIFENG_CASES.entries()) {
    const row = page.locator('.worklist-row').filter({ hasText: c.name }).first();
    await row.getByRole('button', { name: /拒\s*绝/ }).click();
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(`${c.name} · 糖尿病 · 初审`);
    if (i === 0) {
      await expect(dialog.getByText(/取消认定专家资格/)).toHaveCount(0);
      // A refusal needs a reason.
      await dialog.getByRole('button', { name: '确认拒绝' }).click();
      await expect(dialog.getByText('请填写拒绝受理的理由')).toBeVisible();
    }
    if (i === 2) {
      await expect(dialog.getByText(/连续.*取消认定专家资格/)).toBeVisible();
      await expect(dialog).toContainText('连续第 3 次');
    }
    await dialog.getByRole('textbox').fill(reasons[i]!);
    await dialog.getByRole('button', { name: '确认拒绝' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.locator('.worklist-row').filter({ hasText: c.name })).toHaveCount(0);
    if (i < 2) await expect(page.getByText('已拒绝，案件将分配给其他认定医师').last()).toBeVisible();
  }
  await expect(page.getByText('已拒绝。您已达到连续拒绝受理上限，认定专家资格待医保办处理。')).toBeVisible();
  // The refused cases left this physician's desk (the server drew another physician for each).
  for (const c of KAIFENG_CASES) await expect.poll(() => holders(page, c.caseId)).toEqual([]);
  await logout(page);

  // The 医保办 sees the flag in 设置 → 认定医师 and clears it, with a reason.
  await login(page, KAIFENG_OFFICE);
  // Each refused case went to the other eligible physician.
  for (const c of KAIFENG_CASES) await expect.poll(() => holders(page, c.caseId)).toEqual([BACKUP.username]);
  await openRegistry(page);
  const alert = page.locator('.ant-alert-error').filter({ hasText: '因连续拒绝或超时未受理被标记' });
  await expect(alert).toContainText(`1 名认定医师因连续拒绝或超时未受理被标记：${REFUSER.displayName}`);
  const row = registryRow(page, REFUSER.displayName);
  await expect(row.getByText('连续 3 次拒绝/超时')).toBeVisible();
  await expect(row.getByText('暂停抽取（待处理标记）')).toBeVisible();
  await expect(registryRow(page, BACKUP.displayName).getByText('可认定 1 个病种')).toBeVisible();
  await shot(page, 'registry-flagged');

  await row.getByRole('button', { name: '处理标记' }).click();
  const flag = page.getByRole('dialog', { name: `处理连续拒绝标记：${REFUSER.displayName}` });
  await expect(flag).toContainText('连续 3 次拒绝或超时未受理');
  await flag.getByRole('button', { name: '确认解除标记' }).click();
  await expect(flag.getByText('请填写解除标记的理由')).toBeVisible();
  await expect(flag).toBeVisible();
  await expect(row.getByText('连续 3 次拒绝/超时')).toBeVisible();
  await shot(page, 'registry-flag-dialog');
  await flag.getByLabel('解除标记的理由').fill('三次均因外出会诊与回避，已电话核实，理由正当');
  await flag.getByRole('button', { name: '确认解除标记' }).click();
  await expect(page.getByText(`已解除 ${REFUSER.displayName} 的标记`)).toBeVisible();
  await expect(flag).toBeHidden();
  await expect(alert).toHaveCount(0);
  await expect(row.getByText('连续 3 次拒绝/超时')).toHaveCount(0);
  await expect(row.getByRole('button', { name: '处理标记' })).toHaveCount(0);
  await expect(row.getByText('可认定 1 个病种')).toBeVisible();
});

test('受理申请: the 医保办 takes an application with a 1101 lookup, and the case is drawn to the registered physician at once', async ({ page }) => {
  test.setTimeout(240_000);
  page.on('pageerror', (e) => console.log('page error:', e.message));
  // One of the persons the embedded demo platform knows (the same synthetic population it seeds).
  const person = syntheticPerson(11, DEMO_PLATFORM.regionCode);
  await setUpJilin(page);

  await login(page, JILIN_OFFICE);
  await page.getByRole('menuitem', { name: '受理申请' }).click();
  const form = page.getByRole('form', { name: '受理申请' });
  await form.getByLabel('身份证号').fill(person.certno);
  await form.getByRole('button', { name: /查询参保信息/ }).click();
  await expect(form.getByLabel('姓名')).toHaveValue(person.psn_name);
  await expect(form.getByLabel('个人编号')).toHaveValue(person.psn_no);
  await form.getByLabel('申请病种').click();
  await page.getByTitle(/糖尿病/).first().click();
  await shot(page, 'intake-form');
  await form.getByRole('button', { name: /受理并分配/ }).click();

  await expect(page.getByText(`已受理：${person.psn_name} · 糖尿病`)).toBeVisible();
  const receipt = page.locator('.ant-descriptions').filter({ hasText: '已分配给' });
  await expect(receipt).toContainText(JILIN_PHYSICIAN.displayName);
  await shot(page, 'intake-received');
  await logout(page);

  // The physician finds it in 待审案件, at the pack's first stage.
  await login(page, JILIN_PHYSICIAN);
  await page.getByRole('menuitem', { name: '待审案件' }).click();
  await expect(page.locator('.worklist-row').filter({ hasText: person.psn_name }).first()).toContainText('认定（认定医师）');
});
