import { App, Button, Empty, Space, Tag, Tooltip, Typography } from 'antd';
import { useLiveQuery } from 'dexie-react-hooks';
import { useEffect, useState } from 'react';
import { daysBetween } from '../../../../shared/time';
import type { OutsideResult } from '../../../../shared/domain/material';
import type { Recognition } from '../../../../shared/domain/recognition';
import type { User } from '../../../../shared/domain/user';
import type { PolicyPack } from '../../../../shared/policy/schema';
import { repeatReasons, resultStanding } from '../../../../shared/review/recognition';
import { getDb } from '../../db/db';
import { errorText } from '../../lib/ipc';
import { getOutboxStore, getSyncOwner } from '../../sync/sync-engine';
import { stateLabel } from '../sync/sync-labels';
import { loadRecognitionInfno, saveRecognition } from './recognition-repo';
import { RepeatDialog, type RepeatChoice } from './RepeatDialog';
import { useToday } from '../../lib/useNow';

const daysSince = (date: string, today: string) => daysBetween(date, today);

interface Props {
  pack: PolicyPack;
  caseId: string;
  results: OutsideResult[];
  recognitions: Recognition[];
  user: User;
  /** Whether the user may record decisions now (holds an accepted assignment of the case). */
  canDecide: boolean;
  /** Set by the R shortcut: the result to recognise next. */
  focusId?: string | null;
}

function Standing({ pack, result, today }: { pack: PolicyPack; result: OutsideResult; today: string }) {
  const s = resultStanding(pack, result, today);
  const elapsed = daysSince(result.reportDate, today);
  return (
    <Space size={4} wrap>
      {s.marked ? <Tag color="green" variant="filled">{result.hrMark}</Tag> : <Tag variant="filled">无互认标识</Tag>}
      {s.windowDays === null ? (
        <Tooltip title="政策包未给出该项目的参考有效期，由医师按临床判断">
          <Tag variant="filled">{`已 ${elapsed} 天 · 未设有效期`}</Tag>
        </Tooltip>
      ) : (
        <Tooltip title={`有效至 ${s.validUntil}`}>
          <Tag color={s.withinValidity ? 'blue' : 'red'} variant="filled">{`已 ${elapsed} 天 / 有效期 ${s.windowDays} 天${s.withinValidity ? '' : ' · 已超期'}`}</Tag>
        </Tooltip>
      )}
    </Space>
  );
}

/**
 * 检查检验结果互认: each outside result with its mark and validity standing; the physician
 * recognises it or repeats it (reason and patient informed required). Each decision is saved
 * durably with its audit entry and queued for the platform's recognition extension.
 */
export function RecognitionLog({ pack, caseId, results, recognitions, user, canDecide, focusId }: Props) {
  const { message } = App.useApp();
  const [infno, setInfno] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [repeating, setRepeating] = useState<OutsideResult | null>(null);
  const today = useToday();
  const reasonLabel = new Map(repeatReasons(pack).map((r) => [r.code, r.label]));
  const outboxIds = recognitions.flatMap((r) => (r.outboxId ? [r.outboxId] : []));
  const outbox = useLiveQuery(async () => new Map((await getDb().outbox.bulkGet(outboxIds)).flatMap((i) => (i ? [[i.id, i] as const] : []))), [outboxIds.join(',')]);

  useEffect(() => void loadRecognitionInfno().then(setInfno), []);
  // R puts the next undecided result in view with its 互认 button focused: Enter confirms, so a
  // stray key never records a decision by itself.
  useEffect(() => {
    if (!focusId) return;
    const row = document.querySelector<HTMLElement>(`[data-result-id="${CSS.escape(focusId)}"]`);
    row?.scrollIntoView({ block: 'nearest' });
    row?.querySelector<HTMLButtonElement>('button')?.focus();
  }, [focusId]);

  const save = async (result: OutsideResult, decision: Parameters<typeof saveRecognition>[3]['decision']): Promise<boolean> => {
    setBusy(result.id);
    try {
      const r = await saveRecognition(getDb(), getOutboxStore(), pack, { caseId, resultId: result.id, decision, physician: user, infno: infno ?? (await loadRecognitionInfno()) });
      if (!r.ok) {
        message.error(r.message);
        return false;
      }
      getSyncOwner().kick();
      const what = decision.decision === 'repeated' ? '重复检查' : '互认';
      message.success(r.value.queued ? `已保存：${result.item} ${what}，将自动上传平台` : `已保存：${result.item} ${what}（参保人尚无人员编号，暂不上传）`);
      return true;
    } catch (error) {
      message.error(`未能保存：${errorText(error)}`);
      return false;
    } finally {
      setBusy(null);
    }
  };

  const repeat = async (choice: RepeatChoice) => {
    if (!repeating) return;
    const done = await save(repeating, { decision: 'repeated', reasonCode: choice.reasonCode, patientInformed: true, ...(choice.note ? { note: choice.note } : {}) });
    if (done) setRepeating(null);
  };

  if (results.length === 0) return <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="材料中没有外院检查检验结果" />;
  return (
    <div className="recognition-log" aria-label="互认记录">
      {results.map((r) => {
        const mine = recognitions.find((x) => x.resultId === r.id && x.physicianId === user.id);
        const others = recognitions.filter((x) => x.resultId === r.id && x.physicianId !== user.id);
        const item = mine?.outboxId ? outbox?.get(mine.outboxId) : undefined;
        return (
          <div key={r.id} className={r.id === focusId ? 'result-row result-row-focus' : 'result-row'} data-testid="outside-result" data-result-id={r.id}>
            <div className="result-head">
              <Typography.Text strong>{r.item}</Typography.Text>
              {r.value && <Typography.Text type="secondary">{r.value}</Typography.Text>}
            </div>
            <Typography.Text type="secondary" className="result-sub">
              {r.category} · {r.sourceInstitution} · 报告日期 {r.reportDate}
            </Typography.Text>
            <Standing pack={pack} result={r} today={today} />
            <div className="result-decision">
              {mine ? (
                <Space size={4} wrap>
                  {mine.decision.decision === 'recognised' ? <Tag color="green">已互认</Tag> : <Tag color="orange">重复检查：{reasonLabel.get(mine.decision.reasonCode) ?? mine.decision.reasonCode}</Tag>}
                  {mine.decision.decision === 'repeated' && <Typography.Text type="secondary">已告知患者</Typography.Text>}
                  {item ? (
                    <Tooltip title={item.state.tag === 'rejected' ? `平台的理由：${item.state.reason}（详见“同步”页）` : undefined}>
                      <Tag color={stateLabel(item.state).color}>{stateLabel(item.state).text}</Tag>
                    </Tooltip>
                  ) : (
                    !mine.outboxId && <Tag>仅本机保存</Tag>
                  )}
                </Space>
              ) : canDecide ? (
                <Space size={4}>
                  <Button size="small" type="primary" ghost loading={busy === r.id} onClick={() => void save(r, { decision: 'recognised' })}>
                    互认
                  </Button>
                  <Button size="small" disabled={busy === r.id} onClick={() => setRepeating(r)}>
                    重复检查
                  </Button>
                </Space>
              ) : (
                <Typography.Text type="secondary">未作决定</Typography.Text>
              )}
              {others.map((o) => (
                <Typography.Text key={o.id} type="secondary" className="result-other">
                  其他审核人：{o.decision.decision === 'recognised' ? '互认' : `重复检查（${reasonLabel.get(o.decision.reasonCode) ?? o.decision.reasonCode}）`}
                </Typography.Text>
              ))}
            </div>
          </div>
        );
      })}
      <RepeatDialog key={repeating?.id ?? 'none'} pack={pack} result={repeating} onCancel={() => setRepeating(null)} onConfirm={repeat} />
    </div>
  );
}
