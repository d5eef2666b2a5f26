import { describe, expect, it } from 'vitest';
import { filingMessage, revocationMessage } from '../../../test/fixtures/outbox-items';
import { validateMessage } from './validate-message';

describe('validateMessage', () => {
  it('passes a complete filing', () => {
    expect(validateMessage(filingMessage('P1'))).toEqual([]);
  });

  it('names each bad field in Chinese, by the national table', () => {
    const m = filingMessage('P1');
    const data = m.input['data'] as Record<string, unknown>;
    data['diag_dr_name'] = '';
    data['opsp_dise_code'] = 'M'.repeat(31);
    const issues = validateMessage(m);
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(['input.data.diag_dr_name', 'input.data.opsp_dise_code']));
    expect(issues.find((i) => i.path === 'input.data.opsp_dise_code')?.message).toContain('30');
  });

  it('requires insuplc_admdvs for messages about a person, and the lane to be that person', () => {
    const m = { ...filingMessage('P1'), insuplcAdmdvs: undefined, lane: 'P2' };
    expect(validateMessage(m).map((i) => i.path)).toEqual(['insuplc_admdvs', 'input.data.psn_no']);
  });

  it('checks a revocation with its bound trt_dcla_detl_sn standing in', () => {
    expect(validateMessage(revocationMessage('P1', 'item-1'))).toEqual([]);
    const noMemo = revocationMessage('P1', 'item-1');
    (noMemo.input['data'] as Record<string, unknown>)['memo'] = '';
    expect(validateMessage(noMemo).map((i) => i.path)).toEqual(['input.data.memo']);
  });

  it('refuses a kind with the wrong transaction code', () => {
    expect(validateMessage({ ...filingMessage('P1'), infno: '2504' })[0]).toMatchObject({ path: 'infno' });
  });
});
