import { describe, expect, it } from 'vitest';
import { ctxAt, filingMessage, item, revocationMessage } from '../../../test/fixtures/outbox-items';
import { contentHash, isIntact, receiptValues, resolveInput, type OutboxItem } from './outbox-item';
import { settleSend, startSend } from './transitions';

describe('content hash', () => {
  it('is the same for the same message whatever the key order, and differs for any change', () => {
    const a = filingMessage('P1');
    const b = { ...a, input: { data: Object.fromEntries(Object.entries(a.input['data'] as object).reverse()) } };
    expect(contentHash(a)).toBe(contentHash(b));
    expect(contentHash(a)).not.toBe(contentHash(filingMessage('P1', 'M01600')));
    expect(contentHash(a)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('detects an edit made after queuing', () => {
    const queued = item(filingMessage('P1'));
    expect(isIntact(queued)).toBe(true);
    const edited = { ...queued, input: { data: { ...(queued.input['data'] as object), opsp_dise_code: 'M01600' } } };
    expect(isIntact(edited)).toBe(false);
    // state changes are not content
    expect(isIntact(startSend(queued, ctxAt()))).toBe(true);
  });
});

describe('resolveInput', () => {
  const filing = item(filingMessage('P1'));
  const revocation = item(revocationMessage('P1', filing.id));
  const byId = (items: OutboxItem[]) => (id: string) => items.find((i) => i.id === id);
  const none = () => undefined;

  it('fills a revocation with its filing’s trt_dcla_detl_sn, leaving the frozen input untouched', () => {
    const acc = settleSend(startSend(filing, ctxAt()), { outcome: 'accepted', msgid: 'm', output: { result: { trt_dcla_detl_sn: 'SN-5' } } }, ctxAt());
    const r = resolveInput(revocation, byId([acc]), none);
    expect(r).toEqual({ ok: true, input: { data: { psn_no: 'P1', trt_dcla_detl_sn: 'SN-5', memo: '更正' } } });
    expect((revocation.input['data'] as Record<string, string>)['trt_dcla_detl_sn']).toBe('');
  });

  it('cannot send when the filing was rejected, is missing, or is not accepted', () => {
    const rej = settleSend(startSend(filing, ctxAt()), { outcome: 'rejected', msgid: 'm', errMsg: 'x' }, ctxAt());
    expect(resolveInput(revocation, byId([rej]), none)).toMatchObject({ ok: false, reason: expect.stringContaining('拒绝') });
    expect(resolveInput(revocation, byId([]), none).ok).toBe(false);
    expect(resolveInput(revocation, byId([filing]), none).ok).toBe(false);
  });

  it('puts attachment bytes in at send time', () => {
    const upload = item({
      kind: 'upload', infno: '9101', lane: 'P1', input: { fsUploadIn: { filename: 'a.pdf', fixmedins_code: 'H11010500001' } },
      bindings: [{ path: ['fsUploadIn', 'in'], from: 'attachment', attachmentId: 'att-1', sha256: 'ab' }],
    });
    expect(resolveInput(upload, none, (id) => (id === 'att-1' ? 'QUJD' : undefined))).toEqual({
      ok: true, input: { fsUploadIn: { filename: 'a.pdf', fixmedins_code: 'H11010500001', in: 'QUJD' } },
    });
    expect(resolveInput(upload, none, none).ok).toBe(false);
  });
});

describe('receiptValues', () => {
  it('finds receipt fields wherever the output nests them', () => {
    expect(receiptValues({ result: { trt_dcla_detl_sn: 'S1' } })).toEqual({ trt_dcla_detl_sn: 'S1' });
    expect(receiptValues({ file_qury_no: 'F1', filename: 'a.pdf' })).toEqual({ file_qury_no: 'F1', filename: 'a.pdf' });
    expect(receiptValues(null)).toEqual({});
  });
});
