// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fixClock } from '../../../../../test/fixtures/clock';
import { DIABETES, institution, physician } from '../../../../../test/fixtures/review-packs';
import { chinaDateOf } from '../../../../shared/time';
import { physicianProfileSchema } from '../../../../shared/domain/physician';
import type { User } from '../../../../shared/domain/user';
import { checkChar } from '../../../../shared/policy';
import { getDb } from '../../db/db';
import { SessionContext } from '../auth/session';
import { caseFileRoute } from '../case-file/case-file-route';
import { INSTITUTION_KEY } from '../cases/useReviewContext';
import IntakePage from './IntakePage';

const clerk: User = { id: 'office-1', username: 'zhou', displayName: '周办理', role: 'office', passwordHash: 'x', createdAt: '2025-01-01T00:00:00.000Z', createdBy: null, disabled: false };
/** Invented resident ID numbers (9xx sequence) with valid check characters. */
const idNo = (birth: string, seq: string) => `140105${birth}${seq}${checkChar(`140105${birth}${seq}`)}`;
const sent: { infno: string; input: unknown }[] = [];
/** A Tuesday in June: 20 working days from here (the Dragon Boat holiday on 19 June among them) stay inside the bundled 2026 calendar. */
const JUNE = new Date('2026-06-16T10:00:00+08:00');
/** A Thursday in December: 20 working days from here reach 2027, whose calendar is not bundled. */
const DECEMBER = new Date('2026-12-10T10:00:00+08:00');
let restoreClock: () => void;

beforeAll(async () => {
  restoreClock = fixClock(JUNE);
  const db = getDb();
  await db.open();
  // 002 (Kaifeng): 初审 by one random expert; 糖尿病 needs an 内分泌科 physician.
  await db.settings.bulkPut([
    { key: 'policy.activePackId', value: 'kaifeng-2023' },
    { key: INSTITUTION_KEY, value: institution },
  ]);
  await db.physicians.put(physicianProfileSchema.parse({ ...physician('dr-a'), name: '钱演示', flag: null, updatedAt: new Date().toISOString() }));
});
// 1101 goes through the hospital server (POST /platform/query), answered here as the platform would.
vi.mock('../../hospital/platform-link', () => ({
  platformClient: () => ({
    platformQuery: async (request: { infno: string; input: unknown }) => {
      sent.push(request);
      return {
        outcome: 'accepted' as const,
        msgid: 'H410200000012026010109000000001',
        output: { baseinfo: { psn_no: '41000090000000000301', psn_name: '吴演示', certno: idNo('19620202', '905') }, insuinfo: [{ insutype: '390', insuplc_admdvs: '410202', psn_insu_stas: '1' }] },
      };
    },
  }),
}));
beforeEach(() => {
  sent.length = 0;
});
afterEach(() => {
  cleanup();
  vi.setSystemTime(JUNE);
});
afterAll(() => restoreClock());

function mount() {
  return render(
    <ConfigProvider locale={zhCN}>
      <App>
        <SessionContext.Provider value={{ user: clerk, lock: () => undefined, logout: () => undefined }}>
          <IntakePage />
        </SessionContext.Provider>
      </App>
    </ConfigProvider>,
  );
}

const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const clickText = (text: string) => {
  const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.replace(/\s/g, '') === text);
  if (!button) throw new Error(`no ${text} button`);
  fireEvent.click(button);
};

async function chooseDisease(code: string) {
  const combo = await screen.findByRole('combobox', { name: '申请病种' });
  fireEvent.mouseDown(combo);
  fireEvent.change(combo, { target: { value: code } });
  const option = await waitFor(() => {
    const found = [...document.querySelectorAll('.ant-select-item-option')].find((o) => o.textContent?.startsWith(code));
    if (!found) throw new Error(`no option ${code}`);
    return found;
  });
  fireEvent.click(option);
}

async function typeByHand(certNo: string, name: string) {
  await screen.findByRole('heading', { name: '受理申请' }, { timeout: 10_000 });
  fireEvent.click(screen.getByText('手工录入（离线）'));
  type('身份证号', certNo);
  type('姓名', name);
  type('参保地区划', '410202');
}

describe('IntakePage', { timeout: 30_000 }, () => {
  it('takes an application typed by hand (offline) and offers 初审 at once, then links to the case file', async () => {
    mount();
    const certNo = idNo('19550505', '907');
    await typeByHand(certNo, '郑演示');
    await screen.findByText('本机尚无该参保人记录，受理后新建');
    await chooseDisease(DIABETES);
    clickText('受理并分配');
    await screen.findByText('已受理：郑演示 · 糖尿病', undefined, { timeout: 10_000 });
    expect(screen.getByText('钱演示')).toBeTruthy();
    const db = getDb();
    const c = (await db.cases.where('certNo').equals(certNo).first())!;
    expect(c).toMatchObject({ personName: '郑演示', psnNo: '', channel: 'assisted', status: 'in-review', receivedOn: chinaDateOf(JUNE), dueOn: '2026-07-15', dueAwaits: null });
    expect(screen.getByText(c.id)).toBeTruthy();
    expect(screen.getByText('2026-07-15（受理后 20 个工作日）')).toBeTruthy();
    expect(await db.workItems.where('caseId').equals(c.id).toArray()).toMatchObject([{ assigneeId: 'dr-a', state: 'offered' }]);
    expect((await db.audit.where('kind').equals('case.received').toArray()).at(-1)).toMatchObject({ actorId: 'office-1', subject: c.id });

    clickText('查看档案');
    expect(window.location.hash).toBe(`#${caseFileRoute(c.personId)}`);
    clickText('继续受理');
    await waitFor(() => expect((screen.getByLabelText('身份证号') as HTMLInputElement).value).toBe(''));
  });

  it('in December, with no 2027 calendar, the receipt says the deadline cannot be computed yet and why, never a date or 无办结时限', async () => {
    vi.setSystemTime(DECEMBER);
    mount();
    const certNo = idNo('19570707', '917');
    await typeByHand(certNo, '卫演示');
    await chooseDisease(DIABETES);
    clickText('受理并分配');
    await screen.findByText('已受理：卫演示 · 糖尿病', undefined, { timeout: 10_000 });
    expect(screen.getByTestId('due-awaiting').textContent).toBe('时限待定：待导入 2027 年节假日日历');
    expect(screen.getByText(/缺少 2027 年节假日日历，暂无法计算（最早 2027-01-05）/)).toBeTruthy();
    expect(screen.queryByText(/无办结时限|本地区未设办结时限/)).toBeNull();
    const c = (await getDb().cases.where('certNo').equals(certNo).first())!;
    expect(c).toMatchObject({ receivedOn: '2026-12-10', dueOn: null, dueAwaits: 2027, deadlineAt: '2027-01-05T15:59:59.999Z' });
    expect(await getDb().workItems.where('caseId').equals(c.id).toArray()).toMatchObject([{ dueOn: null, dueAwaits: 2027 }]);
  });

  it('fills the person from 1101 by ID number', async () => {
    mount();
    await screen.findByRole('heading', { name: '受理申请' }, { timeout: 10_000 });
    type('身份证号', idNo('19620202', '905'));
    clickText('查询参保信息（1101）');
    await waitFor(() => expect((screen.getByLabelText(/^个人编号/) as HTMLInputElement).value).toBe('41000090000000000301'), { timeout: 5000 });
    expect((screen.getByLabelText('姓名') as HTMLInputElement).value).toBe('吴演示');
    expect((screen.getByLabelText('参保地区划') as HTMLInputElement).value).toBe('410202');
    expect(sent[0]).toMatchObject({ infno: '1101', input: { data: { mdtrt_cert_type: '02', mdtrt_cert_no: idNo('19620202', '905') } } });
    // Another number: what 1101 said about the first person is taken back (the fields are read-only here).
    type('身份证号', idNo('19630303', '915'));
    await waitFor(() => expect((screen.getByLabelText('姓名') as HTMLInputElement).value).toBe(''));
    expect((screen.getByLabelText(/^个人编号/) as HTMLInputElement).value).toBe('');
  });

  it('shows a disease already held before submitting, refuses it, and keeps what was typed', async () => {
    const db = getDb();
    const certNo = idNo('19480808', '909');
    const at = new Date().toISOString();
    await db.persons.put({ id: 'p-held', psnNo: '41000090000000000302', certType: '01', certNo, name: '冯演示', gender: 'male', birthDate: '1948-08-08', insutype: '390', regionCode: '410202', offSiteResident: false, createdAt: at });
    await db.certifications.put({ id: 'cert-held', caseId: 'c-old', personId: 'p-held', diseaseCode: DIABETES, diseaseName: '糖尿病', certifiedOn: '2026-01-05', begnDate: '2026-01-05', endDate: '2028-01-04', reReviewDueOn: '2028-01-04', physicianId: 'dr-a', physicianName: '钱演示', state: 'ready', updatedAt: at });
    const cases = await db.cases.count();
    mount();
    await typeByHand(certNo, '');
    await screen.findByText(/本机已有该参保人：冯演示/);
    // The record fills what was left empty.
    await waitFor(() => expect((screen.getByLabelText('姓名') as HTMLInputElement).value).toBe('冯演示'));
    expect(screen.getByText('390 城乡居民基本医疗保险')).toBeTruthy(); // over the untouched default 310
    expect(screen.getByText('糖尿病（至 2028-01-04）')).toBeTruthy();
    await chooseDisease(DIABETES);
    await screen.findByText(/已认定“糖尿病”，有效期至 2028-01-04，不能重复申请/);
    clickText('受理并分配');
    await screen.findByText('未能受理', undefined, { timeout: 10_000 });
    expect(await db.cases.count()).toBe(cases);
    expect((screen.getByLabelText('身份证号') as HTMLInputElement).value).toBe(certNo);
    expect((screen.getByLabelText('姓名') as HTMLInputElement).value).toBe('冯演示');
  });

  it('says plainly when nobody is eligible, and lets the 医保办 draw again from the page', async () => {
    mount();
    await typeByHand(idNo('19660606', '911'), '陈演示');
    await chooseDisease('M03900'); // 高血压病: no 心内科 physician in the registry
    clickText('受理并分配');
    await screen.findByText('没有找到符合条件的认定医师，案件暂为“待分配”，还没有人在审核', undefined, { timeout: 10_000 });
    expect(screen.getAllByText(/设置 → 认定医师/).length).toBeGreaterThan(0);
    const panel = (await screen.findByText(/待分配的申请（\d+）/)).closest('.ant-card') as HTMLElement;
    expect(within(panel).getByText('陈演示')).toBeTruthy();
    await act(async () => fireEvent.click(within(panel).getAllByRole('button', { name: /重新分配/ })[0]!));
    await screen.findByText(/仍无符合条件的认定医师/, undefined, { timeout: 10_000 });
  });

  it('stores uploaded files with their kind, date and hospital', async () => {
    mount();
    const certNo = idNo('19700303', '913');
    await typeByHand(certNo, '褚演示');
    await chooseDisease(DIABETES);
    const input = document.querySelector('input[type=file]') as HTMLInputElement;
    const file = new File(['%PDF-1.4 invented record'], '门诊病历.pdf', { type: 'application/pdf' });
    await act(async () => fireEvent.change(input, { target: { files: [file] } }));
    await screen.findByText(/门诊病历\.pdf/);
    type('出具医院', '演示县人民医院');
    fireEvent.click(screen.getByLabelText('已盖章'));
    clickText('受理并分配');
    await screen.findByText('已受理：褚演示 · 糖尿病', undefined, { timeout: 10_000 });
    expect(screen.getByText('1 份')).toBeTruthy();
    const db = getDb();
    const c = (await db.cases.where('certNo').equals(certNo).first())!;
    const [m] = await db.materials.where('caseId').equals(c.id).toArray();
    expect(m).toMatchObject({ title: '门诊病历.pdf', kind: 'medical-record', sourceInstitution: '演示县人民医院', stamped: true, mime: 'application/pdf' });
    expect(await db.attachments.get(m!.attachmentId!)).toMatchObject({ name: '门诊病历.pdf', sha256: m!.sha256 });
  });
});
