import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeFieldIssues } from './issues';
import { errorFromResponse, isReviewedFilingRefusal, isSignInExpiredError, PlatformRejectedError, PlatformSignInError, REVIEWED_FILING_ADVICE } from './errors';

describe('isSignInExpiredError', () => {
  it('matches the sandbox messages and common real phrasings', () => {
    for (const err_msg of ['未签到：请先调用【9001】签到', '签到已过期，请重新签到', '签到信息已失效', '签到已签退，请重新签到']) {
      expect(isSignInExpiredError({ infcode: -1, err_msg })).toBe(true);
      expect(isSignInExpiredError({ infcode: '-1', err_msg })).toBe(true);
    }
  });

  it('does not match successes, other refusals or field errors about sign_no', () => {
    expect(isSignInExpiredError({ infcode: 0, err_msg: '签到已过期' })).toBe(false);
    expect(isSignInExpiredError({ infcode: -1, err_msg: '该病种已备案' })).toBe(false);
    expect(isSignInExpiredError({ infcode: -1, err_msg: 'sign_no（签到编号）: 长度不能超过 30' })).toBe(false);
    expect(isSignInExpiredError(null)).toBe(false);
  });

  it('errorFromResponse picks the class', () => {
    expect(errorFromResponse('2503', { infcode: 0 })).toBeNull();
    expect(errorFromResponse('2503', { infcode: -1, err_msg: '签到已过期，请重新签到' })).toBeInstanceOf(PlatformSignInError);
    const e = errorFromResponse('2503', { infcode: '-1', err_msg: '重复备案', inf_refmsgid: 'R' });
    expect(e).toBeInstanceOf(PlatformRejectedError);
    expect(e?.message).toBe('【2503】重复备案');
    expect(e?.infRefmsgid).toBe('R');
  });
});

describe('describeFieldIssues', () => {
  const schema = z.object({ a: z.string().max(1, '长度不能超过 1'), b: z.string().max(1, '长度不能超过 1'), c: z.string().max(1, '长度不能超过 1') });
  const err = schema.safeParse({ a: 'xx', b: 'yy', c: 'zz' }).error!;

  it('joins every issue', () => {
    expect(describeFieldIssues(err)).toBe('a: 长度不能超过 1；b: 长度不能超过 1；c: 长度不能超过 1');
    expect(describeFieldIssues(err, { prefix: 'input.data' })).toContain('input.data.a: ');
  });

  it('fits a maximum length and says how many were left out', () => {
    const text = describeFieldIssues(err, { maxLength: 30 });
    expect(text.length).toBeLessThanOrEqual(30);
    expect(text).toBe('a: 长度不能超过 1；等另 2 处错误');
  });
});

describe('isReviewedFilingRefusal', () => {
  it('recognises a revocation refused because the insurance centre has reviewed the filing', () => {
    expect(isReviewedFilingRefusal('已经在医保中心审核，医院无法撤销')).toBe(true);
    expect(isReviewedFilingRefusal('该备案已经在医保中心审核，医院无法撤销（审核时间 2026-12-01 10:00:00）；如需撤销，请联系参保地医保经办机构办理')).toBe(true);
    expect(isReviewedFilingRefusal('备案已审核，不能撤销')).toBe(true);
    expect(isReviewedFilingRefusal('该备案不是有效状态，已撤销（撤销时间 2026-12-01 10:00:00），不能再次撤销')).toBe(false);
    expect(isReviewedFilingRefusal('只能撤销本机构办理的备案')).toBe(false);
    expect(isReviewedFilingRefusal(null)).toBe(false);
    expect(REVIEWED_FILING_ADVICE).toContain('医保经办机构');
  });
});

