/**
 * The platform side of a case file's timeline: certifications and the messages sent for them
 * (2503 filings, 2504 revocations), each with its sync state in the file's words, the receipt
 * (trt_dcla_detl_sn) once accepted and the platform's reason when rejected.
 */
import { endOfChinaDay } from '../time';
import type { Certification } from '../domain/certification';
import type { OutboxItem } from '../sync/outbox-item';
import type { CaseFileEvent } from './events';
import { messageData, revocationTarget, syncWord, text } from './sync-words';

/** A certification and, when its messages are not in this outbox, its filing or revocation. */
export function certificationEvents(c: Certification, outboxIds: ReadonlySet<string>, revokedSns: ReadonlySet<string>): CaseFileEvent[] {
  const base = { caseId: c.caseId, precision: 'instant' as const };
  const out: CaseFileEvent[] = [
    {
      ...base, id: `${c.id}:certified`, at: endOfChinaDay(c.certifiedOn), precision: 'day', kind: 'certification', actor: c.physicianName, tone: 'green',
      title: `认定：${c.diseaseName}`,
      detail: `待遇期 ${c.begnDate} 至 ${c.endDate ?? '长期'}${c.reReviewDueOn ? `，复审期限 ${c.reReviewDueOn}` : ''}`,
    },
  ];
  // A filing or revocation whose outbox item is still here is told by that item; these cover
  // certifications whose messages were sent from another workstation or have been pruned.
  if (c.state === 'filed' && !outboxIds.has(c.outboxId)) {
    out.push({ ...base, id: `${c.id}:filed`, at: c.filedAt, kind: 'filing-result', actor: null, tone: 'green', title: `已备案：${c.diseaseName}`, detail: null, sync: { label: '已备案', tone: 'green', receipt: c.trtDclaDetlSn } });
  }
  if (c.state === 'revoked' && !revokedSns.has(c.trtDclaDetlSn)) {
    out.push({ ...base, id: `${c.id}:revoked`, at: c.revokedAt, kind: 'revocation-result', actor: null, tone: 'gray', title: `备案已撤销：${c.diseaseName}`, detail: `理由：${c.revokeReason}`, sync: { label: '已撤销', tone: 'gray', receipt: c.trtDclaDetlSn } });
  }
  return out;
}

/** A filing, revocation or other message the person's lane holds, and the platform's answer to it. */
export function outboxEvents(item: OutboxItem, lane: readonly OutboxItem[]): CaseFileEvent[] {
  const data = messageData(item);
  const word = syncWord(item.kind, item.state);
  const base = { caseId: null, precision: 'instant' as const };
  const out: CaseFileEvent[] = [];
  const disease = text(data['opsp_dise_name']) ?? text(data['opsp_dise_code']) ?? '';
  if (item.kind === 'filing') {
    const period = `待遇期 ${text(data['begndate']) ?? '—'} 至 ${text(data['enddate']) ?? '长期'}`;
    const corrects = item.meta.supersedes ? '；更正此前被拒绝的备案' : '';
    out.push({ ...base, id: `${item.id}:queued`, at: item.createdAt, kind: 'filing', actor: item.meta.createdBy ?? null, tone: word.tone, title: `提交备案（2503）：${disease}`, detail: period + corrects, sync: word });
  } else if (item.kind === 'revocation') {
    const sn = revocationTarget(item, lane);
    const memo = text(data['memo']);
    out.push({ ...base, id: `${item.id}:queued`, at: item.createdAt, kind: 'revocation', actor: item.meta.createdBy ?? null, tone: word.tone, title: `申请撤销备案（2504）`, detail: `备案流水号 ${sn ?? '（待原备案回执）'}${memo ? `；理由：${memo}` : ''}`, sync: word });
  } else {
    const title = item.kind === 'upload' ? '上传文件（9101）' : item.kind === 'recognition' ? `上报互认记录（${item.infno}）` : `上报平台（${item.infno}）`;
    out.push({ ...base, id: `${item.id}:queued`, at: item.createdAt, kind: 'message', actor: item.meta.createdBy ?? null, tone: word.tone, title, detail: item.meta.summary ?? null, sync: word });
  }
  // The platform's answer is an event of its own, at the time it came.
  const s = item.state;
  if ((item.kind === 'filing' || item.kind === 'revocation') && (s.tag === 'accepted' || s.tag === 'rejected')) {
    const what = item.kind === 'filing' ? `备案${disease ? `：${disease}` : ''}` : '撤销备案';
    const title = s.tag === 'accepted' ? `平台已接受${what}` : s.source === 'platform' ? `平台拒绝${what}` : `${what}未能发送`;
    const detail = s.tag === 'accepted' ? (word.receipt ? `备案流水号 ${word.receipt}` : null) : `原因：${s.reason}`;
    out.push({ ...base, id: `${item.id}:result`, at: s.at, kind: item.kind === 'filing' ? 'filing-result' : 'revocation-result', actor: null, tone: word.tone, title, detail, sync: word });
  }
  return out;
}
