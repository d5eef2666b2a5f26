// @vitest-environment happy-dom
import 'fake-indexeddb/auto';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { App, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../../../../shared/domain/user';
import { getDb } from '../../db/db';
import { SessionContext } from '../auth/session';
import { FilingForm } from './FilingForm';
import type { FilingDraft } from './filing-message';

const user = { id: 'u1', username: 'admin', displayName: '王管理', role: 'admin', passwordHash: 'x', createdAt: '', createdBy: null, disabled: false } as User;
const sent: { infno: string; input: unknown }[] = [];

// 1101 and the platform settings come from the hospital server, answered here.
vi.mock('../../hospital/platform-link', () => ({
  platformClient: () => ({
    platformConfig: async () => ({ config: { institution: { fixmedins_code: 'H00000000001', fixmedins_name: '演示医院（虚构）' } } }),
    platformQuery: async (request: { infno: string; input: unknown }) => {
      sent.push(request);
      return {
        outcome: 'accepted' as const,
        msgid: 'H000000000012025030109000000001',
        output: { baseinfo: { psn_no: '14000090000000000001', psn_name: '张演示', certno: '140105199001011234' }, insuinfo: [{ insutype: '390', insuplc_admdvs: '140000', psn_insu_stas: '1' }] },
      };
    },
  }),
}));

beforeEach(async () => {
  sent.length = 0;
  await getDb().deskCommands.clear();
});
afterEach(() => cleanup());

const mount = (initial?: Partial<FilingDraft>) =>
  render(
    <ConfigProvider locale={zhCN}>
      <App>
        <SessionContext.Provider value={{ user, lock: () => undefined, logout: () => undefined }}>
          <FilingForm initial={initial} />
        </SessionContext.Provider>
      </App>
    </ConfigProvider>,
  );

const draft: Partial<FilingDraft> = {
  psnNo: '14000090000000000002',
  psnName: '王演示',
  insutype: '310',
  insuplcAdmdvs: '140000',
  diseaseCode: 'M03900',
  diseaseName: '高血压3级（极高危）',
  hospIdeDate: '2025-06-01',
  begndate: '2025-06-01',
  physicianCode: 'D000000000001',
  physicianName: '赵医师',
};

describe('FilingForm', () => {
  it('finds the person with 1101 by ID number and fills the person fields', async () => {
    mount();
    fireEvent.change(await screen.findByRole('textbox', { name: '身份证号' }), { target: { value: '140105199001011234' } });
    fireEvent.click(screen.getByRole('button', { name: /查询/ }));
    await waitFor(() => expect((screen.getByLabelText('人员编号') as HTMLInputElement).value).toBe('14000090000000000001'), { timeout: 5000 });
    expect((screen.getByLabelText('参保地区划') as HTMLInputElement).value).toBe('140000');
    expect(sent[0]).toMatchObject({ infno: '1101', input: { data: { mdtrt_cert_type: '02', mdtrt_cert_no: '140105199001011234' } } });
    await screen.findByText(/已查到参保人：张演示/);
  });

  it('says 已保存 only once the filing.manual command is saved, with the reason and the fields the server files', async () => {
    mount(draft);
    await screen.findByText(/演示医院（虚构） H00000000001/, undefined, { timeout: 5000 });
    fireEvent.click(screen.getByRole('button', { name: '保存备案' }));
    await screen.findByText('请写明为何没有认定结论也要备案', undefined, { timeout: 5000 });
    expect(await getDb().deskCommands.count()).toBe(0);
    fireEvent.change(screen.getByLabelText('无认定结论备案的原因'), { target: { value: '系统上线前已线下认定，补录备案' } });
    fireEvent.click(screen.getByRole('button', { name: '保存备案' }));
    await screen.findByText(/已保存：王演示 高血压3级/, undefined, { timeout: 5000 });
    const [command] = await getDb().deskCommands.toArray();
    expect(command).toMatchObject({
      kind: 'filing.manual', state: 'pending', userId: 'u1',
      payload: {
        reason: '系统上线前已线下认定，补录备案',
        filing: { psnNo: '14000090000000000002', psnName: '王演示', insutype: '310', insuplcAdmdvs: '140000', diseaseCode: 'M03900', hospIdeDate: '2025-06-01', begndate: '2025-06-01', physicianCode: 'D000000000001', physicianName: '赵医师' },
      },
    });
  });

  it('reports a field that breaks the national rules at the desk, and queues nothing', async () => {
    mount({ ...draft, physicianName: '赵'.repeat(51) });
    await screen.findByText(/演示医院（虚构） H00000000001/, undefined, { timeout: 5000 });
    fireEvent.change(screen.getByLabelText('无认定结论备案的原因'), { target: { value: '系统上线前已线下认定，补录备案' } });
    fireEvent.click(screen.getByRole('button', { name: '保存备案' }));
    await screen.findByText(/诊断医师姓名：长度不能超过 50|长度不能超过 50/, undefined, { timeout: 5000 });
    expect(await getDb().deskCommands.count()).toBe(0);
  });
});
