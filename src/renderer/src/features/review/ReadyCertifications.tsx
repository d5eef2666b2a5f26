import { App, Button, Card, Space, Table, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo, useState } from 'react';
import type { Certification } from '../../../../shared/domain/certification';
import { getDb } from '../../db/db';
import { useSession } from '../auth/session';
import { errorText } from '../../lib/ipc';
import { commandsByCertification, submitFilingBatch, useOpenFilingCommands } from '../filings/filing-commands';
import { CommandTag } from '../filings/filing-ui';
import { useCaseAwaiting } from '../../hospital/case-commands';
import { CaseAwaitingTag } from '../cases/CaseAwaitingTag';

const LIMIT = 200;

/**
 * 工作台 for the 医保办: certifications the process has approved and nobody has filed yet (or the
 * platform refused, with its reason), each opening its case (the reviews that decided it) or
 * submitted from here (a batch of one, sent to the hospital server, which files it with the
 * platform); many at once on the 备案 page.
 */
export function ReadyCertifications() {
  const { user } = useSession();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  // A certification made on this desk by a conclusion the server has not applied is not fileable yet.
  const awaiting = useCaseAwaiting();
  const open = useOpenFilingCommands();
  const byCert = useMemo(() => commandsByCertification(open ?? []), [open]);
  const rows = useLiveQuery(async () => {
    const db = getDb();
    const ready = await db.certifications.where('state').anyOf(['ready', 'filing-rejected']).limit(LIMIT).toArray();
    const cases = new Map((await db.cases.bulkGet(ready.map((c) => c.caseId))).flatMap((c) => (c ? [[c.id, c] as const] : [])));
    return ready.map((cert) => ({ cert, personName: cases.get(cert.caseId)?.personName ?? '' })).sort((a, b) => a.cert.certifiedOn.localeCompare(b.cert.certifiedOn));
  }, []);

  const file = async (cert: Certification) => {
    setBusy(cert.id);
    try {
      await submitFilingBatch(getDb(), user.id, [cert.id]);
      message.success('备案已保存并排队，将经院内服务器自动上传平台（2503）');
    } catch (e) {
      message.error(`未能提交备案：${errorText(e)}`);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Card size="small" title={`待备案的认定（${rows?.length ?? 0}${rows?.length === LIMIT ? '+' : ''}）`}>
      <Table
        rowKey={(r) => r.cert.id}
        size="small"
        pagination={{ pageSize: 10, hideOnSinglePage: true }}
        loading={rows === undefined}
        dataSource={rows ?? []}
        locale={{ emptyText: '没有待备案的认定' }}
        columns={[
          { title: '参保人', key: 'person', width: 120, render: (_, r) => r.personName },
          {
            title: '病种',
            key: 'disease',
            render: (_, r) =>
              r.cert.state === 'filing-rejected' ? (
                <>
                  {r.cert.diseaseName}
                  <div>
                    <Typography.Text type="danger" className="panel-hint">
                      平台拒绝：{r.cert.rejectReason}
                    </Typography.Text>
                  </div>
                </>
              ) : (
                r.cert.diseaseName
              ),
          },
          { title: '认定日期', key: 'on', width: 110, render: (_, r) => r.cert.certifiedOn },
          { title: '待遇期', key: 'term', width: 200, render: (_, r) => `${r.cert.begnDate} 至 ${r.cert.endDate ?? '长期'}` },
          { title: '认定医师', key: 'dr', width: 100, render: (_, r) => r.cert.physicianName },
          {
            title: '操作',
            key: 'actions',
            width: 240,
            render: (_, r) => {
              const a = awaiting.get(r.cert.caseId);
              const c = byCert.get(r.cert.id);
              return (
                <Space size={4}>
                  <Button size="small" onClick={() => void (window.location.hash = `/cases/${encodeURIComponent(r.cert.caseId)}`)}>
                    查看审核
                  </Button>
                  {a?.state === 'pending' ? (
                    <CaseAwaitingTag awaiting={a} short />
                  ) : c?.state === 'pending' ? (
                    <CommandTag command={c} />
                  ) : (
                    <Button size="small" type="primary" loading={busy === r.cert.id} onClick={() => void file(r.cert)}>
                      提交备案
                    </Button>
                  )}
                </Space>
              );
            },
          },
        ]}
      />
      <Typography.Text type="secondary" className="panel-hint">
        提交后由院内服务器按顺序上传平台（2503），进度见“备案 → 备案批次”；多条一起提交请到“备案”页。
      </Typography.Text>
    </Card>
  );
}
