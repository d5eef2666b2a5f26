import { PlusOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { roleLabels, roles, type NewUser, type User } from '../../../../shared/domain/user';
import { getDb } from '../../db/db';
import { errorText } from '../../lib/ipc';
import { useAction } from '../../lib/useAction';
import { useSession } from '../auth/session';
import { createUser, isLockedOut, listUsers, resetPassword, setUserDisabled, unlockAccount } from '../auth/users-repo';
import { useNow } from '../../lib/useNow';
import { confirmPasswordRules, displayNameRules, newPasswordRules, usernameRules } from './account-rules';
import { formatChina } from '../../../../shared/time';

/** Account management: administrators create physicians, 医保办 staff and other administrators. */
export function UsersPanel() {
  const { user: me } = useSession();
  const { message } = App.useApp();
  const users = useLiveQuery(() => listUsers(getDb()), []);
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<User>();
  const isAdmin = me.role === 'admin';
  const now = useNow(60_000);

  const unlock = async (user: User) => {
    try {
      await unlockAccount(getDb(), me, user.id);
      message.success(`已解除 ${user.displayName} 的登录锁定`);
    } catch (e) {
      message.error(errorText(e));
    }
  };

  const toggle = async (user: User) => {
    try {
      await setUserDisabled(getDb(), me, user.id, !user.disabled);
      message.success(user.disabled ? `已启用 ${user.displayName}` : `已停用 ${user.displayName}`);
    } catch (e) {
      message.error(errorText(e));
    }
  };

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {!isAdmin && <Alert type="info" showIcon message="只有管理员可以创建或停用账户。" />}
      {isAdmin && (
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          新建用户
        </Button>
      )}
      <Table<User>
        size="small"
        rowKey="id"
        loading={!users}
        dataSource={users}
        pagination={false}
        columns={[
          { title: '用户名', dataIndex: 'username' },
          { title: '姓名', dataIndex: 'displayName' },
          { title: '角色', dataIndex: 'role', render: (role: User['role']) => roleLabels[role] },
          { title: '科室', dataIndex: 'department', render: (d?: string) => d ?? '—' },
          { title: '创建时间', dataIndex: 'createdAt', render: (at: string) => formatChina(at, 'YYYY-MM-DD HH:mm') },
          {
            title: '状态',
            key: 'state',
            render: (_: unknown, user: User) =>
              user.disabled ? (
                <Tag>已停用</Tag>
              ) : isLockedOut(user, now) ? (
                <Tag color="red" data-testid="login-locked">
                  密码错误次数过多，锁定至 {formatChina(user.lockedUntil!, 'HH:mm')}
                </Tag>
              ) : user.mustChangePassword ? (
                <Tag color="gold">待本人设置密码</Tag>
              ) : (
                <Tag color="green">正常</Tag>
              ),
          },
          ...(isAdmin
            ? [
                {
                  title: '操作',
                  key: 'actions',
                  render: (_: unknown, user: User) =>
                    user.id === me.id ? null : (
                      <Space size={0}>
                        <Button size="small" type="link" onClick={() => toggle(user)}>
                          {user.disabled ? '启用' : '停用'}
                        </Button>
                        {!user.disabled && (
                          <Button size="small" type="link" onClick={() => setResetting(user)}>
                            重置密码
                          </Button>
                        )}
                        {isLockedOut(user, now) && (
                          <Button size="small" type="link" onClick={() => unlock(user)}>
                            解除锁定
                          </Button>
                        )}
                      </Space>
                    ),
                },
              ]
            : []),
        ]}
      />
      {creating && <CreateUserModal onClose={() => setCreating(false)} />}
      {resetting && <ResetPasswordModal user={resetting} onClose={() => setResetting(undefined)} />}
    </Space>
  );
}

function CreateUserModal({ onClose }: { onClose: () => void }) {
  const { user: me } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<NewUser>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const role = Form.useWatch('role', form);

  const submit = async () => {
    const fields = await form.validateFields();
    setBusy(true);
    setError(undefined);
    try {
      const user = await createUser(getDb(), fields, me);
      message.success(`已创建账户 ${user.username}（${roleLabels[user.role]}）`);
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal open title="新建用户" okText="创建" cancelText="取消" onOk={submit} onCancel={onClose} confirmLoading={busy} destroyOnHidden>
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" initialValues={{ role: 'physician' }} requiredMark={false}>
        <Form.Item name="role" label="角色" rules={[{ required: true }]}>
          <Select options={roles.map((r) => ({ value: r, label: roleLabels[r] }))} />
        </Form.Item>
        <Form.Item name="displayName" label="姓名" rules={displayNameRules}>
          <Input />
        </Form.Item>
        <Form.Item
          name="username"
          label="用户名"
          rules={usernameRules}
        >
          <Input autoComplete="off" />
        </Form.Item>
        {role === 'physician' && (
          <Form.Item name="department" label="科室" rules={[{ required: true, whitespace: true, message: '认定医师须填写所在科室' }]}>
            <Input placeholder="如：心血管内科" />
          </Form.Item>
        )}
        <Form.Item name="password" label="初始密码" rules={newPasswordRules}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** A temporary password for `user`, told to them in person; they choose their own at the next login. */
function ResetPasswordModal({ user, onClose }: { user: User; onClose: () => void }) {
  const { user: me } = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ password: string; again: string }>();
  const { busy, error, run } = useAction();

  const submit = async () => {
    const { password } = await form.validateFields();
    if (!(await run(() => resetPassword(me, user.id, password)))) return;
    message.success(`已重置 ${user.displayName} 的密码；其下次登录时须设置新密码`);
    onClose();
  };

  return (
    <Modal open title={`重置密码：${user.displayName}（${user.username}）`} okText="重置" cancelText="取消" onOk={submit} onCancel={onClose} confirmLoading={busy} destroyOnHidden>
      <Alert type="info" showIcon message="请核实本人身份后再重置。该用户在各工作站的登录随即失效，下次登录时须用此临时密码并设置自己的新密码。" style={{ marginBottom: 16 }} />
      {error && <Alert type="error" showIcon message={error} style={{ marginBottom: 16 }} />}
      <Form form={form} layout="vertical" requiredMark={false}>
        <Form.Item name="password" label="临时密码" rules={newPasswordRules}>
          <Input.Password autoComplete="new-password" autoFocus />
        </Form.Item>
        <Form.Item name="again" label="再次输入" dependencies={['password']} rules={confirmPasswordRules('password')}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
