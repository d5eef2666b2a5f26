/**
 * The platform side of a case file's timeline: certifications and the messages the hospital server
 * sent for them (2503 filings, 2504 revocations, 互认 records), each with its state in the file's
 * words, the receipt (trt_dcla_detl_sn) once accepted and the platform's reason when refused. The
 * messages are the server's `filings` rows, which the 医保办's desks hold; a desk without them
 * (a physician's) tells the story from the certification's own state.
 */
import { endOfChinaDay } from '../time';
import type { Certification } from '../domain/certification';
import type { FilingRow } from '../hospital/filings';
import type { CaseFileEvent } from './events';
import { filingWord } from './sync-words';

/** A certification, and — when its messages are not among the rows — what became of its filing. */
export function certificationEvents(c: Certification, filingIds: ReadonlySet<string>): CaseFileEvent[] {
  const base = { caseId: c.caseId, precision: 'instant' as const };
  const corrected = c.correctsId ? '；更正此前的备案' : '';
  const manual = c.manualReason ? `；无认定结论备案：${c.manualReason}` : '';
  const out: CaseFileEvent[] = [
    {
      ...base, id: `${c.id}:certified`, at: endOfChinaDay(c.certifiedOn), precision: 'day', kind: 'certification', actor: c.physicianName, tone: 'green',
      title: `认定：${c.diseaseName}`,
      detail: `待遇期 ${c.begnDate} 至 ${c.endDate ?? '长期'}${c.reReviewDueOn ? `，复审期限 ${c.reReviewDueOn}` : ''}${corrected}${manual}`,
    },
  ];
  if ((c.state === 'filed' || c.state === 'revoking') && !filingIds.has(c.outboxId)) {
    out.push({ ...base, id: `${c.id}:filed`, at: c.filedAt, kind: 'filing-result', actor: null, tone: 'green', title: `已备案：${c.diseaseName}`, detail: null, sync: { label: '已备案', tone: 'green', receipt: c.trtDclaDetlSn } });
  }
  if (c.state === 'filing-rejected' && !filingIds.has(c.outboxId)) {
    out.push({ ...base, id: `${c.id}:rejected`, at: c.rejectedAt, kind: 'filing-result', actor: null, tone: 'red', title: `备案未成功：${c.diseaseName}`, detail: `原因：${c.rejectReason}`, sync: { label: '被拒绝', tone: 'red', reason: c.rejectReason } });
  }
  if (c.state === 'revoked') {
    const replaced = c.correctedById ? '；已由更正后的备案取代' : '';
    out.push({ ...base, id: `${c.id}:revoked`, at: c.revokedAt, kind: 'revocation-result', actor: null, tone: 'gray', title: `备案已撤销：${c.diseaseName}`, detail: `理由：${c.revokeReason}${replaced}`, sync: { label: '已撤销', tone: 'gray', receipt: c.trtDclaDetlSn } });
  }
  return out;
}

const KIND_TITLE: Record<FilingRow['kind'], string> = { filing: '提交备案（2503）', revocation: '申请撤销备案（2504）', recognition: '上报互认记录' };

/** A message the server sent for the person, and the platform's answer to it. */
export function filingEvents(row: FilingRow): CaseFileEvent[] {
  const word = filingWord(row);
  const base = { caseId: row.caseId, precision: 'instant' as const };
  const disease = row.kind === 'filing' && row.diseaseName ? `：${row.diseaseName}` : '';
  const out: CaseFileEvent[] = [
    { ...base, id: `${row.id}:queued`, at: row.queuedAt, kind: row.kind === 'filing' ? 'filing' : row.kind === 'revocation' ? 'revocation' : 'message', actor: row.queuedBy || null, tone: word.tone, title: `${KIND_TITLE[row.kind]}${disease}`, detail: row.summary || null, sync: word },
  ];
  if (row.kind !== 'recognition' && row.settledAt && (row.phase === 'accepted' || row.phase === 'rejected' || row.phase === 'set-aside' || row.phase === 'closed')) {
    const what = row.kind === 'filing' ? `备案${disease}` : '撤销备案';
    const title = row.phase === 'accepted' ? `平台已接受${what}` : row.phase === 'rejected' ? `平台拒绝${what}` : `${what}未能发送`;
    const detail = row.phase === 'accepted' ? (row.serial ? `备案流水号 ${row.serial}` : null) : row.reason ? `原因：${row.reason}` : null;
    out.push({ ...base, id: `${row.id}:result`, at: row.settledAt, kind: row.kind === 'filing' ? 'filing-result' : 'revocation-result', actor: null, tone: word.tone, title, detail, sync: word });
  }
  return out;
}
