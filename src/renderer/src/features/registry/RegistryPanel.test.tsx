// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fixClock } from '../../../../../test/fixtures/clock';
import { institution, physician, randomPack } from '../../../../../test/fixtures/review-packs';
import { physicianProfileSchema, type PhysicianProfile } from '../../../../shared/domain/physician';
import type { User } from '../../../../shared/domain/user';
import { verifyAudit } from '../../db/audit';
import { getDb } from '../../db/db';
import { SessionContext } from '../auth/session';
import { INSTITUTION_KEY } from '../cases/useReviewContext';
import { InstitutionPanel } from './InstitutionPanel';
import { RegistryPanel } from './RegistryPanel';

const at = '2025-06-19T08:00:00.000Z';
const account = (id: string, role: User['role'], displayName: string): User => ({
  id, username: id, displayName, role, passwordHash: 'x', department: '内分泌科', createdAt: at, createdBy: null, disabled: false,
});
const office = account('office-1', 'office', '赵演示');
const doctor = account('dr-1', 'physician', '钱演示');
const flag = { kind: 'refusal-limit' as const, at, streak: 3, message: '连续 3 次不受理或拒绝受理，取消认定专家资格' };
const profile = (id: string, name: string, over: Partial<PhysicianProfile> = {}): PhysicianProfile =>
  physicianProfileSchema.parse({ ...physician(id), name, flag: null, updatedAt: at, ...over });

beforeAll(async () => {
  const db = getDb();
  await db.open();
  await db.settings.bulkPut([
    { key: 'policy.activePackId', value: randomPack.id },
    { key: INSTITUTION_KEY, value: institution },
  ]);
  await db.users.bulkPut([office, doctor, account('dr-2', 'physician', '孙演示')]);
  await db.physicians.bulkPut([profile('dr-1', '钱演示', { flag }), profile('dr-2', '孙演示', { flag: { ...flag, streak: 4 } })]);
});
// The panel judges records, quotas and a new record's default date against today: the day after
// the flags were raised, not the machine's date.
const NOW = new Date('2025-06-20T10:00:00+08:00');
let restoreClock: () => void;
beforeEach(() => {
  restoreClock = fixClock(NOW);
});
afterEach(() => {
  cleanup();
  restoreClock();
});

function renderAs(user: User, page = <RegistryPanel />) {
  return render(
    <ConfigProvider locale={zhCN}>
      <App>
        <SessionContext.Provider value={{ user, lock: () => undefined, logout: () => undefined }}>{page}</SessionContext.Provider>
      </App>
    </ConfigProvider>,
  );
}

const rowOf = (name: string) => screen.getByText(name).closest('tr') as HTMLElement;

describe('RegistryPanel', { timeout: 30_000 }, () => {
  it('is read-only for a physician: profiles and flags shown, no edit buttons', async () => {
    renderAs(doctor);
    expect(await screen.findByText('只有医保办或管理员可以修改认定医师库。')).toBeTruthy();
    await waitFor(() => expect(screen.getByText('连续 4 次拒绝/超时')).toBeTruthy(), { timeout: 10_000 });
    expect(screen.getByText('钱演示')).toBeTruthy();
    for (const name of ['处理标记', '编辑资料', '新增备案', '新建认定医师资料', '登记失效']) expect(screen.queryByRole('button', { name: new RegExp(name) })).toBeNull();
    await act(async () => fireEvent.click(within(rowOf('钱演示')).getByRole('button', { name: /展开/ })));
    expect(await screen.findByText('认定医师库记录')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /登记失效|新增备案/ })).toBeNull();
  });

  it('lists a profile with its registry state, eligibility and flag', async () => {
    renderAs(office);
    await waitFor(() => expect(screen.getByText('连续 3 次拒绝/超时')).toBeTruthy(), { timeout: 10_000 });
    const row = rowOf('钱演示');
    expect(within(row).getByText('内分泌科')).toBeTruthy();
    expect(within(row).getByText('副高级')).toBeTruthy();
    expect(within(row).getByText('在库')).toBeTruthy();
    expect(within(row).getByText('暂停抽取（待处理标记）')).toBeTruthy();
    expect(within(row).getByText(/2025-06-19 \d\d:\d\d 标记/)).toBeTruthy();
    expect(screen.getByText(/2 名认定医师因连续拒绝或超时未受理被标记/)).toBeTruthy();
  });

  it('clearing a flag needs a reason; then the flag is gone and audited', async () => {
    renderAs(office);
    await waitFor(() => expect(screen.getByText('连续 3 次拒绝/超时')).toBeTruthy(), { timeout: 10_000 });
    await act(async () => fireEvent.click(within(rowOf('钱演示')).getByRole('button', { name: '处理标记' })));
    const dialog = await screen.findByRole('dialog');
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: '确认解除标记' })));
    expect(await within(dialog).findByText('请填写解除标记的理由')).toBeTruthy();
    expect((await getDb().physicians.get('dr-1'))!.flag).not.toBeNull();

    fireEvent.change(within(dialog).getByRole('textbox', { name: '解除标记的理由' }), { target: { value: '三次均因外出会诊，已核实' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: '确认解除标记' })));
    await waitFor(async () => expect((await getDb().physicians.get('dr-1'))!.flag).toBeNull());
    await waitFor(() => expect(screen.queryByText('连续 3 次拒绝/超时')).toBeNull());
    expect(screen.getByText('连续 4 次拒绝/超时')).toBeTruthy(); // the other physician's flag stays

    const entries = await getDb().audit.where('kind').equals('physician.flag.cleared').toArray();
    expect(entries).toEqual([expect.objectContaining({ actorId: 'office-1', subject: 'dr-1', detail: { reason: '三次均因外出会诊，已核实', flag } })]);
    expect((await verifyAudit(getDb())).ok).toBe(true);
  });

  it('shows a physician\'s records and decision history under the row', async () => {
    renderAs(office);
    await waitFor(() => expect(rowOf('钱演示')).toBeTruthy(), { timeout: 10_000 });
    await act(async () => fireEvent.click(within(rowOf('钱演示')).getByRole('button', { name: /展开/ })));
    expect(await screen.findByText('解除标记：三次均因外出会诊，已核实')).toBeTruthy();
    expect(screen.getByText('认定医师库记录')).toBeTruthy();
    expect(screen.getAllByRole('button', { name: '登记失效' }).length).toBe(1);
  });

  it('edits a profile and refuses an overlapping registry record with a clear message', async () => {
    renderAs(office);
    await waitFor(() => expect(rowOf('孙演示')).toBeTruthy(), { timeout: 10_000 });
    await act(async () => fireEvent.click(within(rowOf('孙演示')).getByRole('button', { name: '编辑资料' })));
    const drawer = await screen.findByRole('dialog');
    expect(within(drawer).getByText('编辑认定医师资料：孙演示')).toBeTruthy();
    await act(async () => fireEvent.click(within(drawer).getByRole('button', { name: /保\s*存/ })));
    await waitFor(async () => expect(await getDb().audit.where('kind').equals('physician.profile.saved').count()).toBe(1));
    expect((await getDb().physicians.get('dr-2'))!.flag?.streak).toBe(4); // editing keeps the flag

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    await act(async () => fireEvent.click(within(rowOf('孙演示')).getByRole('button', { name: '新增备案' })));
    const modal = await screen.findByRole('dialog');
    await act(async () => fireEvent.click(within(modal).getByRole('button', { name: /登\s*记/ })));
    expect(await within(modal).findByText(/重叠/)).toBeTruthy();
    expect((await getDb().physicians.get('dr-2'))!.registry).toHaveLength(1);
  });

  it('explains how to add the first physician when no account is waiting', async () => {
    renderAs(office);
    expect(await screen.findByText(/所有认定医师账户都已建立资料/, {}, { timeout: 10_000 })).toBeTruthy();
    const create = screen.getByRole('button', { name: /新建认定医师资料/ }) as HTMLButtonElement;
    await waitFor(() => expect(create.disabled).toBe(false), { timeout: 10_000 });
    await act(async () => fireEvent.click(create));
    expect(await screen.findByText('没有可建立资料的认定医师账户')).toBeTruthy();
  });
});

describe('InstitutionPanel', { timeout: 30_000 }, () => {
  it('states the demo assumption until saved, then saves with audit', async () => {
    await getDb().settings.delete(INSTITUTION_KEY);
    renderAs(office, <InstitutionPanel />);
    expect(await screen.findByText('尚未保存本院信息：当前使用演示假设')).toBeTruthy();
    const code = (await screen.findByLabelText('机构编码')) as HTMLInputElement;
    await waitFor(() => expect(code.value).toBe('H00000000001'));
    fireEvent.change(code, { target: { value: 'H41020000009' } });
    fireEvent.change(screen.getByLabelText('机构名称'), { target: { value: '演示县人民医院' } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: '保存本院信息' })));
    await waitFor(async () => expect((await getDb().settings.get(INSTITUTION_KEY))?.value).toEqual({ code: 'H41020000009', name: '演示县人民医院', level: 'level-3', kind: 'general' }));
    await waitFor(() => expect(screen.queryByText('尚未保存本院信息：当前使用演示假设')).toBeNull());
    expect(await getDb().audit.where('kind').equals('settings.institution').count()).toBe(1);
  });

  it('is read-only for a physician', async () => {
    renderAs(doctor, <InstitutionPanel />);
    expect(await screen.findByText('只有医保办或管理员可以修改本院信息。')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '保存本院信息' })).toBeNull();
    await waitFor(() => expect((screen.getByLabelText('机构编码') as HTMLInputElement).disabled).toBe(true));
  });
});
