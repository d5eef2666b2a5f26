import { describe, expect, it } from 'vitest';
import { REVIEWED_FILING_ADVICE } from '../../../../shared/platform/errors';
import { adviceFor } from './rejection-advice';

const rejected = (reason: string) => ({ tag: 'rejected' as const, at: '2026-06-16T02:00:00.000Z', reason, source: 'platform' as const });

describe('what the 医保办 is told to do about a refusal', () => {
  it('a revocation refused because the insurance centre reviewed the filing: only the agency can act, resending is no use', () => {
    for (const reason of ['该备案已经在医保中心审核，医院无法撤销；如需撤销，请联系参保地医保经办机构办理', '已经在医保中心审核，医院无法撤销']) {
      expect(adviceFor(rejected(reason))).toEqual({ text: REVIEWED_FILING_ADVICE, remedies: ['dismiss'] });
    }
  });

  it('other refusals keep their own advice', () => {
    expect(adviceFor(rejected('重复备案：该参保人已有糖尿病的有效备案')).remedies[0]).toBe('revoke');
    expect(adviceFor(rejected('要撤销的备案不是有效状态')).text).toContain('无需再处理');
    expect(adviceFor(rejected('未知错误')).remedies).toEqual(['correct', 'revoke', 'dismiss']);
  });
});
