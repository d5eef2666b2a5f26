import { App, Button, Card, Table } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { CaseRow } from '../../../../shared/domain/case';
import { getDb } from '../../db/db';
import { errorMessage } from '../../../../shared/sync/storage-error';
import { useSession } from '../auth/session';
import type { ReviewContext } from '../cases/assignment-repo';
import { redrawCase, unassignedCases } from './intake-repo';
import { UNASSIGNED_ADVICE } from './IntakeReceiptView';
import { dueOfRow } from '../../../../shared/review/deadlines';
import { DeadlineText } from '../cases/DeadlineText';

/**
 * 待分配的申请: cases nobody eligible could be drawn for. Without this list they would wait
 * forever — the draw runs only at intake, on a refusal and on a lapse.
 */
export function UnassignedPanel({ ctx }: { ctx: ReviewContext }) {
  const { message } = App.useApp();
  const { user } = useSession();
  const [busy, setBusy] = useState<string | null>(null);
  const cases = useLiveQuery(() => unassignedCases(getDb()), []);
  if (!cases || cases.length === 0) return null;

  const redraw = async (c: CaseRow) => {
    setBusy(c.id);
    try {
      const r = await redrawCase(getDb(), ctx, c.id, user);
      if (!r.ok) message.error(r.message);
      else if (r.value.offeredTo.length > 0) message.success(`${c.personName} · ${c.diseaseName} 已分配给 ${r.value.offeredTo.map((o) => o.name).join('、')}`);
      else message.warning(`仍无符合条件的认定医师：${r.value.unassignedReason ?? ''}`);
    } catch (error) {
      message.error(`未能重新分配：${errorMessage(error)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card size="small" title={`待分配的申请（${cases.length}）`} className="intake-unassigned">
      <p className="intake-note">{UNASSIGNED_ADVICE}</p>
      <Table<CaseRow>
        rowKey="id"
        size="small"
        pagination={false}
        dataSource={cases}
        columns={[
          { title: '参保人', dataIndex: 'personName', width: 120 },
          { title: '病种', dataIndex: 'diseaseName' },
          { title: '受理日期', dataIndex: 'receivedOn', width: 110 },
          { title: '办结时限', key: 'due', width: 200, render: (_, c) => <DeadlineText due={dueOfRow(c)} /> },
          { title: '待分配环节', dataIndex: 'stageLabel', width: 160 },
          {
            title: '',
            width: 100,
            render: (_, c) => (
              <Button size="small" loading={busy === c.id} disabled={busy !== null && busy !== c.id} onClick={() => void redraw(c)}>
                重新分配
              </Button>
            ),
          },
        ]}
      />
    </Card>
  );
}
