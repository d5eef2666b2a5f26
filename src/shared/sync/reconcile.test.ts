import { describe, expect, it } from 'vitest';
import { ctxAt, filingMessage, item, revocationMessage } from '../../../test/fixtures/outbox-items';
import { settleSend, startSend } from './transitions';
import { activeFilings, claimedReceipts, decideReconcile, reconcilePlan } from './reconcile';
import type { OutboxMessage } from './outbox-item';

const answer = (feedetail: unknown[]) => ({ outcome: 'accepted' as const, msgid: 'Q1', output: { feedetail } });
const filing = item(filingMessage('P1', 'M03900', '2025-03-01'));
const sent = filing.input;

describe('reconcilePlan', () => {
  it('asks 5301 for the person of a filing or a revocation', () => {
    expect(reconcilePlan(filing, sent)).toEqual({ kind: 'query', infno: '5301', input: { data: { psn_no: 'P1' } }, insuplcAdmdvs: '110105' });
  });

  it('resends an upload without asking (a repeated upload is harmless)', () => {
    const upload: OutboxMessage = { kind: 'upload', infno: '9101', lane: 'P1', input: { fsUploadIn: { filename: 'a.pdf' } } };
    expect(reconcilePlan(item(upload), upload.input).kind).toBe('resend');
  });
});

describe('decideReconcile for a filing', () => {
  it('found: same disease and start date, sn not held by another item', () => {
    const d = decideReconcile(filing, sent, answer([{ opsp_dise_code: 'M03900', begndate: '2025-03-01', trt_dcla_detl_sn: 'SN-7' }]), new Set());
    expect(d).toMatchObject({ result: 'found', receipt: { values: { trt_dcla_detl_sn: 'SN-7' } } });
  });

  it('tolerates a date with time appended and numeric sn', () => {
    const d = decideReconcile(filing, sent, answer([{ opsp_dise_code: 'M03900', begndate: '2025-03-01 00:00:00', trt_dcla_detl_sn: 77 }]), new Set());
    expect(d).toMatchObject({ result: 'found', receipt: { values: { trt_dcla_detl_sn: '77' } } });
  });

  it('absent: another disease, another start date, or a filing another item already holds', () => {
    const rows = [
      { opsp_dise_code: 'M01600', begndate: '2025-03-01', trt_dcla_detl_sn: 'SN-1' },
      { opsp_dise_code: 'M03900', begndate: '2024-01-01', trt_dcla_detl_sn: 'SN-2' },
      { opsp_dise_code: 'M03900', begndate: '2025-03-01', trt_dcla_detl_sn: 'SN-3' },
    ];
    expect(decideReconcile(filing, sent, answer(rows), new Set(['SN-3'])).result).toBe('absent');
    expect(decideReconcile(filing, sent, answer([]), new Set()).result).toBe('absent');
  });

  it('failed: the query itself did not succeed — nothing is concluded', () => {
    expect(decideReconcile(filing, sent, { outcome: 'unknown', msgid: 'Q', reason: 'timeout', message: '超时' }, new Set())).toMatchObject({ result: 'failed' });
    expect(decideReconcile(filing, sent, { outcome: 'rejected', msgid: 'Q', errMsg: '未签到' }, new Set())).toMatchObject({ result: 'failed' });
  });
});

describe('decideReconcile for a revocation', () => {
  const revocation = item(revocationMessage('P1', filing.id));
  const revSent = { data: { psn_no: 'P1', trt_dcla_detl_sn: 'SN-7', memo: '更正' } };

  it('the filing is no longer active: the revocation landed', () => {
    expect(decideReconcile(revocation, revSent, answer([{ opsp_dise_code: 'M01600', trt_dcla_detl_sn: 'SN-8' }]), new Set()).result).toBe('found');
  });

  it('the filing is still active: send the revocation again', () => {
    expect(decideReconcile(revocation, revSent, answer([{ opsp_dise_code: 'M03900', trt_dcla_detl_sn: 'SN-7' }]), new Set()).result).toBe('absent');
  });

  it('cannot tell without serial numbers in the answer', () => {
    expect(decideReconcile(revocation, revSent, answer([{ opsp_dise_code: 'M03900' }]), new Set()).result).toBe('failed');
  });
});

describe('activeFilings and claimedReceipts', () => {
  it('reads feedetail at the top or under data, ignoring junk', () => {
    expect(activeFilings({ data: { feedetail: [{ opsp_dise_code: 'M1' }, null, 3] } })).toEqual([{ opsp_dise_code: 'M1', begndate: undefined, trt_dcla_detl_sn: undefined }]);
    expect(activeFilings('encrypted')).toEqual([]);
  });

  it('collects the sn of other accepted filings of the lane', () => {
    const a = settleSend(startSend(item(filingMessage('P1')), ctxAt()), { outcome: 'accepted', msgid: 'm', output: { result: { trt_dcla_detl_sn: 'SN-A' } } }, ctxAt());
    const b = item(filingMessage('P1', 'M01600'));
    expect(claimedReceipts([a, b], b.id)).toEqual(new Set(['SN-A']));
    expect(claimedReceipts([a, b], a.id)).toEqual(new Set());
  });
});
