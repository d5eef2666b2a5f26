import { Card, Empty, Input, Table, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState, type ReactNode } from 'react';
import { INSUTYPE_LABELS, maskCertNo, type InsuredPerson } from '../../../../shared/domain/insured';
import { parseSearch } from '../../../../shared/review/worklist';
import { getDb } from '../../db/db';
import { countPersons, SEARCH_LIMIT, searchPersons } from './case-file-repo';

interface Props {
  selectedId: string | null;
  onOpen: (personId: string) => void;
}

/** The 档案 search box and its results; a row opens the person's file (and clears the search). */
export function PersonSearch({ selectedId, onOpen }: Props) {
  const [text, setText] = useState('');
  const total = useLiveQuery(() => countPersons(getDb()), []);
  const searchable = parseSearch(text) !== null;
  const results = useLiveQuery(() => (searchable ? searchPersons(getDb(), text) : Promise.resolve([])), [text, searchable]);

  const open = (id: string) => {
    setText('');
    onOpen(id);
  };

  let body: ReactNode = null;
  if (total === 0) {
    body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="尚无参保人档案：受理申请后（或在 设置 → 演示数据 中载入演示数据），可在此按姓名、身份证号或个人编号查找。" />;
  } else if (text.trim() && !searchable) {
    body = <Typography.Text type="secondary">请至少输入 2 个字或 2 位数字。</Typography.Text>;
  } else if (searchable && results && results.length === 0) {
    body = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有找到匹配的参保人" />;
  } else if (searchable && results) {
    body = (
      <Table<InsuredPerson>
        className="case-file-results"
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={results}
        rowClassName={(p) => (p.id === selectedId ? 'ant-table-row-selected' : '')}
        onRow={(p) => ({ onClick: () => open(p.id) })}
        footer={results.length >= SEARCH_LIMIT ? () => `仅显示前 ${SEARCH_LIMIT} 位，请输入更完整的姓名或号码` : undefined}
        columns={[
          { title: '姓名', dataIndex: 'name', render: (name: string, p) => <Typography.Link onClick={() => open(p.id)}>{name}</Typography.Link> },
          { title: '身份证号', render: (_, p) => maskCertNo(p.certNo) },
          { title: '个人编号', render: (_, p) => p.psnNo ?? '尚未获取' },
          { title: '险种', render: (_, p) => INSUTYPE_LABELS[p.insutype] ?? p.insutype },
          { title: '参保地', dataIndex: 'regionCode' },
        ]}
      />
    );
  } else if (!selectedId && total !== undefined) {
    body = <Typography.Text type="secondary">本机共有 {total} 位参保人的档案。输入姓名、身份证号或个人编号查找。</Typography.Text>;
  }

  return (
    <Card size="small">
      <Input.Search
        allowClear
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="姓名 / 身份证号 / 个人编号"
        aria-label="查找参保人"
        style={{ maxWidth: 420 }}
        disabled={total === 0}
      />
      {body && <div className="case-file-section">{body}</div>}
    </Card>
  );
}
