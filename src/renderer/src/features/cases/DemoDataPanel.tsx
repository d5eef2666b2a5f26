import { App, Button, Card, InputNumber, Progress, Space, Switch, Typography } from 'antd';
import { useState } from 'react';
import { getDb } from '../../db/db';
import { useSession } from '../auth/session';
import { freshSeed } from './assignment-repo';
import { loadDemoData } from './demo-loader';
import { attachDemoScans } from './demo-scans';
import { useReviewContext } from './useReviewContext';
import { adminRequest, hasServerSession, runOnlineBatch, uploadBytes } from '../../hospital/desk-session';

const SCANNED_CASES = 30;

/**
 * Scanned records for the open cases of the physicians who have accounts (drawing every case would
 * take minutes): made here, their bytes uploaded, and attached to the cases on the server.
 */
async function scanForPhysicians(): Promise<void> {
  const db = getDb();
  const accounts = new Set((await db.users.where('role').equals('physician').toArray()).map((u) => u.id));
  const items = (await db.workItems.toArray()).filter((i) => accounts.has(i.assigneeId));
  const cases = [...new Set(items.map((i) => i.caseId))].slice(0, SCANNED_CASES);
  const attach: { kind: 'material.attach'; payload: unknown }[] = [];
  for (const caseId of cases) {
    for (const m of await attachDemoScans(db, caseId)) {
      const row = m.attachmentId ? await db.attachments.get(m.attachmentId) : undefined;
      if (!row) continue;
      await uploadBytes(row.sha256, row.blob, 'application/pdf');
      attach.push({ kind: 'material.attach', payload: { materialId: m.id, sha256: row.sha256, size: row.size, mime: 'application/pdf', attachmentId: row.id } });
    }
  }
  await runOnlineBatch(attach);
}

/**
 * 设置 → 载入演示数据: fills the database with invented cases under the active pack, a share of
 * them assigned to the logged-in physician. Every person and number is synthetic.
 */
export function DemoDataPanel() {
  const { user } = useSession();
  const ctx = useReviewContext();
  const { message } = App.useApp();
  const [count, setCount] = useState(2000);
  const [withMaterials, setWithMaterials] = useState(true);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);

  const load = async () => {
    if (!ctx) return;
    const db = getDb();
    setProgress({ done: 0, total: count });
    try {
      if (hasServerSession()) {
        // Demo data lives on the hospital server, so every desk sees it, marked 演示.
        await adminRequest('/admin/demo', { count, seed: freshSeed() });
        if (withMaterials && typeof OffscreenCanvas !== 'undefined') await scanForPhysicians();
        message.success(`已载入 ${count} 件演示案件`);
        return;
      }
      const startIndex = await db.cases.count();
      await loadDemoData(db, ctx, {
        count,
        seed: freshSeed(),
        startIndex,
        withMaterials,
        focus: user.role === 'physician' ? user : null,
        actorId: user.id,
        onProgress: (done, total) => setProgress({ done, total }),
      });
      // Scanned records and reports for the physician's nearest cases (drawing every case would take minutes).
      if (withMaterials && typeof OffscreenCanvas !== 'undefined') {
        const items = await db.workItems.where('[assigneeId+deadlineAt]').between([user.id, ''], [user.id, '\uffff']).limit(SCANNED_CASES).toArray();
        for (const item of items) await attachDemoScans(db, item.caseId);
      }
      message.success(`已载入 ${count} 件演示案件`);
    } catch (e) {
      message.error(`载入失败：${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setProgress(null);
    }
  };

  return (
    <Card size="small" title="载入演示数据">
      <Typography.Paragraph type="secondary">
        按当前政策包生成虚构的参保人、申请和评审记录{user.role === 'physician' ? '，其中一部分分配给您' : ''}。仅用于演示和测试，不含任何真实个人信息。
      </Typography.Paragraph>
      <Space wrap>
        <InputNumber min={1} max={100_000} step={1000} value={count} onChange={(v) => setCount(v ?? 1)} suffix="件" aria-label="案件数" />
        <Space size={4}>
          <Switch size="small" checked={withMaterials} onChange={setWithMaterials} aria-label="包含材料" />
          <Typography.Text>包含材料和外院检查结果</Typography.Text>
        </Space>
        <Button type="primary" onClick={load} loading={progress !== null} disabled={!ctx}>
          载入演示数据
        </Button>
      </Space>
      {progress && <Progress percent={Math.round((progress.done / progress.total) * 100)} size="small" />}
    </Card>
  );
}
