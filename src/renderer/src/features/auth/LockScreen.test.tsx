// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { App, ConfigProvider, Modal } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import { useEffect, useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { User } from '../../../../shared/domain/user';
import { LockScreen } from './LockScreen';

const user: User = { id: 'dr-1', username: 'wang', displayName: '王演示', role: 'physician', passwordHash: 'x', createdAt: '2025-01-01T00:00:00.000Z', createdBy: null, disabled: false };

/** A page behind the lock that acts on keys the way the worklist does (A 受理, Esc 返回), with an open dialog. */
function Behind({ heard }: { heard: string[] }) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => heard.push(e.key);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [heard]);
  return (
    <Modal open title="拒绝受理" getContainer={() => document.body}>
      <input aria-label="拒绝理由" />
    </Modal>
  );
}

function Harness({ heard }: { heard: string[] }) {
  const [locked, setLocked] = useState(true);
  return (
    <ConfigProvider locale={zhCN}>
      <App>
        <Behind heard={heard} />
        {locked && <LockScreen user={user} onUnlock={() => setLocked(false)} onLogout={() => setLocked(false)} />}
      </App>
    </ConfigProvider>
  );
}

afterEach(cleanup);

describe('LockScreen', () => {
  it('while locked, keys typed into it or aimed behind it reach nothing behind, and open dialogs are inert', async () => {
    const heard: string[] = [];
    render(<Harness heard={heard} />);
    const password = await screen.findByLabelText('密码');
    fireEvent.keyDown(password, { key: 'a' });
    fireEvent.keyDown(password, { key: 'Escape' });
    fireEvent.keyDown(document.body, { key: 'a' });
    const reason = document.querySelector('input[aria-label="拒绝理由"]')!;
    fireEvent.keyDown(reason, { key: 'Enter' });
    expect(heard).toEqual([]);
    expect(reason.closest('[inert]')).not.toBeNull();

    // Unlocked (here by 退出登录), the page hears keys again and the dialog is live.
    await act(async () => fireEvent.click(screen.getByRole('button', { name: /退出登录/ })));
    fireEvent.keyDown(document.body, { key: 'a' });
    expect(heard).toEqual(['a']);
    expect(reason.closest('[inert]')).toBeNull();
  });
});
