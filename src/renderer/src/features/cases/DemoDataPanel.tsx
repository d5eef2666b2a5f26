import { Alert, App, Button, Card, Input, InputNumber, Modal, Progress, Space, Switch, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { getDb } from '../../db/db';
import { useSession } from '../auth/session';
import { freshSeed } from './assignment-repo';
import { loadDemoData } from './demo-loader';
import { attachDemoScans } from './demo-scans';
import { useReviewContext } from './useReviewContext';
import { adminRequest, worksThroughServer, runOnlineBatch, uploadBytes } from '../../hospital/desk-session';

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
      if (worksThroughServer()) {
        // Demo data lives on the hospital server, so every desk sees it, marked 演示.
        await adminRequest('/admin/demo', { count, seed: freshSeed(), withMaterials });
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

  if (user.role !== 'admin') return <Alert type="info" showIcon title="只有管理员可以载入或清除演示数据。演示案件和演示医师在各处标有“演示”。" />;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%', maxWidth: 760 }}>
      <Card size="small" title="载入演示数据">
        <Typography.Paragraph type="secondary">
          按当前政策包生成虚构的参保人、申请和评审记录，已有账户的认定医师各分到一部分。仅用于演示和测试，不含任何真实个人信息。
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
      {worksThroughServer() && <GoLiveCard />}
    </Space>
  );
}

const GO_LIVE_PHRASE = '正式启用';

/**
 * 正式启用: before real work starts, every demo record (cases, persons, certifications, demo
 * physicians) leaves the server and, at their next pull, every desk. Typed confirmation: it cannot be undone.
 */
function GoLiveCard() {
  const { message, modal } = App.useApp();
  const demoCases = useLiveQuery(() => getDb().cases.filter((c) => (c as { demo?: boolean }).demo === true).count(), []);
  const demoPhysicians = useLiveQuery(() => getDb().physicians.filter((p) => (p as { demo?: boolean }).demo === true).count(), []);
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);

  const goLive = async () => {
    setBusy(true);
    try {
      const r = await adminRequest('/admin/go-live', {});
      setOpen(false);
      modal.success({ title: '已正式启用', content: `已从院内服务器删除 ${String(r.removed ?? 0)} 条演示记录；各工作站下次同步时一并删除。` });
    } catch (e) {
      message.error(`正式启用失败：${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title="正式启用" data-testid="go-live">
      <Typography.Paragraph type="secondary">
        开始真实工作前，删除全部演示数据：演示案件、参保人、认定结论和演示医师，院内服务器和所有工作站都会删除。真实数据不受影响。此操作不可撤销。
      </Typography.Paragraph>
      <Space>
        <Typography.Text data-testid="demo-counts">
          本工作站可见：演示案件 {demoCases ?? '…'} 件，演示医师 {demoPhysicians ?? '…'} 名
        </Typography.Text>
        <Button danger onClick={() => { setTyped(''); setOpen(true); }}>
          正式启用…
        </Button>
      </Space>
      <Modal
        open={open}
        title="正式启用：删除全部演示数据"
        okText="删除演示数据并启用"
        okButtonProps={{ danger: true, disabled: typed.trim() !== GO_LIVE_PHRASE }}
        cancelText="取消"
        confirmLoading={busy}
        onOk={() => void goLive()}
        onCancel={() => setOpen(false)}
        destroyOnHidden
      >
        <Typography.Paragraph>删除后无法恢复。请输入“{GO_LIVE_PHRASE}”确认：</Typography.Paragraph>
        <Input value={typed} onChange={(e) => setTyped(e.target.value)} aria-label="确认文字" autoFocus />
      </Modal>
    </Card>
  );
}
