import { ImportOutlined } from '@ant-design/icons';
import { App, Button, Select, Space, Upload } from 'antd';
import { useState } from 'react';
import { getDb } from '../../db/db';
import { errorText } from '../../lib/ipc';
import { useSession } from '../auth/session';
import { ImportErrors } from './ImportErrors';
import { importPack, setActivePack, type PolicyState } from './policy-store';

/** Administrator controls: switch the active pack, import a pack (calendars: 节假日日历 tab). */
export function PolicyAdmin({ state }: { state: PolicyState }) {
  const { user } = useSession();
  const { message } = App.useApp();
  const [errors, setErrors] = useState<{ title: string; list: string[] }>();

  const readThen = (run: (text: string) => Promise<void>) => (file: File) => {
    void file
      .text()
      .then(run)
      .catch((e) => message.error(errorText(e)));
    return false; // never upload anywhere: the file is read locally
  };

  const onPack = readThen(async (text) => {
    const result = await importPack(getDb(), text, user);
    if (!result.ok) return setErrors({ title: '政策包无效，未导入', list: result.errors });
    setErrors(undefined);
    message.success(`已导入政策包「${result.entry.title}」（版本 ${result.entry.version}）`);
  });

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Space wrap>
        <span>当前政策包：</span>
        <Select
          style={{ minWidth: 360 }}
          value={state.entry.id}
          aria-label="切换政策包"
          options={state.packs.map((p) => ({
            value: p.id,
            label: `${p.title}（${p.version}${p.origin === 'imported' ? '，已导入' : ''}）`,
          }))}
          onChange={(id) =>
            void setActivePack(getDb(), id, user).then(
              () => message.success('已切换政策包'),
              (e) => message.error(errorText(e)),
            )
          }
        />
        <Upload accept=".json,application/json" showUploadList={false} beforeUpload={onPack}>
          <Button icon={<ImportOutlined />}>导入政策包…</Button>
        </Upload>
      </Space>
      {errors && <ImportErrors title={errors.title} errors={errors.list} onClose={() => setErrors(undefined)} />}
    </Space>
  );
}
