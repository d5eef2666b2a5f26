import { App, Button, Card, Space, Table, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import type { Certification } from '../../../../shared/domain/certification';
import { getDb } from '../../db/db';
import { useSession } from '../auth/session';
import { fileCertificationNow } from './file-certification';
import { useCaseAwaiting } from '../../hospital/case-commands';
import { CaseAwaitingTag } from '../cases/CaseAwaitingTag';

const LIMIT = 200;

/**
 * 工作台 for the 医保办: certifications the process has approved and nobody has filed yet, each
 * opening its case (the reviews that decided it) or queued for 2503 from here.
 */
export function ReadyCertifications() {
  const { user } = useSession();
  const { message } = App.useApp();
  const [busy, setBusy] = useState<string | null>(null);
  // A certification made on this desk by a conclusion the server has not applied is not fileable yet.
  const awaiting = useCaseAwaiting();
  const rows = useLiveQuery(async () => {
    const db = getDb();
    const ready = await db.certifications.where('state').equals('ready').limit(LIMIT).toArray();
    const cases = new Map((await db.cases.bulkGet(ready.map((c) => c.caseId))).flatMap((c) => (c ? [[c.id, c] as const] : [])));
    return ready.map((cert) => ({ cert, personName: cases.get(cert.caseId)?.personName ?? '' })).sort((a, b) => a.cert.certifiedOn.localeCompare(b.cert.certifiedOn));
  }, []);

  const file = async (cert: Certification) => {
    setBusy(cert.id);
    const r = await fileCertificationNow(cert.id, user);
    if (r.ok) message.success(r.message);
    else message.error(r.message);
    setBusy(null);
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
          { title: '病种', key: 'disease', render: (_, r) => r.cert.diseaseName },
          { title: '认定日期', key: 'on', width: 110, render: (_, r) => r.cert.certifiedOn },
          { title: '待遇期', key: 'term', width: 200, render: (_, r) => `${r.cert.begnDate} 至 ${r.cert.endDate ?? '长期'}` },
          { title: '认定医师', key: 'dr', width: 100, render: (_, r) => r.cert.physicianName },
          {
            title: '操作',
            key: 'actions',
            width: 240,
            render: (_, r) => {
              const a = awaiting.get(r.cert.caseId);
              return (
                <Space size={4}>
                  <Button size="small" onClick={() => void (window.location.hash = `/cases/${encodeURIComponent(r.cert.caseId)}`)}>
                    查看审核
                  </Button>
                  {a?.state === 'pending' ? (
                    <CaseAwaitingTag awaiting={a} short />
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
        提交后备案立即存入本机并按顺序自动上传平台；参保人尚无人员编号时须先在“备案”页查询（1101）。
      </Typography.Text>
    </Card>
  );
}
