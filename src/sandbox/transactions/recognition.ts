/**
 * The recognition extension (shared/platform/recognition.ts): one exam-result mutual-recognition
 * record per call, idempotent on (institution, hosp_rcgn_id). A repeat reason must be one of the
 * pack's recognition.repeatReasons codes.
 */
import { createHash } from 'node:crypto';
import { present, type RecognitionInput } from '../../shared/platform/index';
import { findPerson, platformSerial, Refusal, type TxHandler } from '../context';

/** A stable hash of the record's content: keys sorted, absent and "" alike. */
function contentHash(data: Record<string, unknown>): string {
  const entries = Object.keys(data)
    .sort()
    .map((k) => [k, data[k] === '' || data[k] === undefined ? null : data[k]]);
  return createHash('sha256').update(JSON.stringify(entries)).digest('hex');
}

export const recognition: TxHandler = async (ctx, req) => {
  const d = (req.input as unknown as RecognitionInput).data;
  if (!(await findPerson(ctx, d.psn_no))) throw new Refusal(`参保人不存在：psn_no=${d.psn_no}`);
  if (present(d.rept_rea_code)) {
    const codes = ctx.pack.recognition.repeatReasons.map((r) => r.code);
    if (!codes.includes(d.rept_rea_code)) {
      throw new Refusal(`重复检查理由代码 ${d.rept_rea_code} 不在本地区目录中（可用：${codes.join('、')}）`);
    }
  }
  const hash = contentHash(d);
  const fixmedinsCode = req.envelope.fixmedins_code;
  const result = await ctx.db.transaction(async (tx) => {
    const existing = (
      await tx.query<{ rcgn_sn: string; content_hash: string }>(
        'select rcgn_sn, content_hash from recognitions where fixmedins_code = $1 and hosp_rcgn_id = $2',
        [fixmedinsCode, d.hosp_rcgn_id],
      )
    ).rows[0];
    if (existing) {
      if (existing.content_hash !== hash) {
        throw new Refusal(`院内互认记录号 ${d.hosp_rcgn_id} 已登记（${existing.rcgn_sn}），内容与本次不同`);
      }
      return { rcgn_sn: existing.rcgn_sn, dup_flag: '1' };
    }
    const sn = await platformSerial(ctx, tx);
    await tx.query(
      `insert into recognitions (rcgn_sn, fixmedins_code, hosp_rcgn_id, psn_no, content_hash, data, msgid, received_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [sn, fixmedinsCode, d.hosp_rcgn_id, d.psn_no, hash, JSON.stringify(d), req.envelope.msgid, ctx.now()],
    );
    return { rcgn_sn: sn, dup_flag: '0' };
  });
  return { output: { result: { rcgn_sn: result.rcgn_sn, hosp_rcgn_id: d.hosp_rcgn_id, dup_flag: result.dup_flag } } };
};
