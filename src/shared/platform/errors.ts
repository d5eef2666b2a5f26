/**
 * How a platform call can fail, as classes a sync engine can branch on:
 *
 * - PlatformValidationError — caught locally before sending; a person must fix a field.
 * - PlatformRejectedError   — the platform answered infcode -1; permanent, show err_msg.
 * - PlatformSignInError     — the platform wants a new 9001 session; re-sign and retry.
 * - PlatformTransportError  — no usable answer (5xx, reset, timeout, not JSON). `delivered` says
 *                             whether the request may have reached the platform: when it is
 *                             'unknown', reconcile (e.g. 5301) before sending again.
 */
import { normalizeInfcode } from './envelope';
import type { FieldIssue } from './issues';

export class PlatformError extends Error {
  override name = 'PlatformError';
}

export class PlatformValidationError extends PlatformError {
  override name = 'PlatformValidationError';
  constructor(
    message: string,
    readonly issues: readonly FieldIssue[],
  ) {
    super(message);
  }
}

export class PlatformRejectedError extends PlatformError {
  override name = 'PlatformRejectedError';
  constructor(
    readonly infno: string,
    readonly errMsg: string,
    readonly infRefmsgid: string | null = null,
  ) {
    super(`【${infno}】${errMsg}`);
  }
}

export class PlatformSignInError extends PlatformRejectedError {
  override name = 'PlatformSignInError';
}

export type Delivery = 'no' | 'unknown';

export class PlatformTransportError extends PlatformError {
  override name = 'PlatformTransportError';
  constructor(
    message: string,
    /** 'no' only when the request certainly never reached the platform (connection refused); timeouts, resets and 5xx are 'unknown'. */
    readonly delivered: Delivery,
    readonly status: number | null = null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Phrases with which platforms say "your 9001 session is gone". The sandbox's own messages always
 * contain 请重新签到 (and start with 未签到 or 签到已…); real platforms word it variously.
 * Field-validation messages never match (the field label of sign_no is 签到编号).
 */
export const SIGN_IN_EXPIRED_PATTERN = /未签到|重新签到|签到(?:信息)?(?:已)?(?:失效|过期|超时|无效|注销)|签到已签退/;

/** True when a response asks for a new sign-in: infcode -1 and an err_msg matching SIGN_IN_EXPIRED_PATTERN. */
export function isSignInExpiredError(resp: { infcode?: unknown; err_msg?: unknown } | null | undefined): boolean {
  if (!resp) return false;
  return normalizeInfcode(resp.infcode) === -1 && typeof resp.err_msg === 'string' && SIGN_IN_EXPIRED_PATTERN.test(resp.err_msg);
}

/** The error a failed response stands for, or null when infcode is 0. */
export function errorFromResponse(
  infno: string,
  resp: { infcode?: unknown; err_msg?: unknown; inf_refmsgid?: unknown },
): PlatformRejectedError | null {
  const code = normalizeInfcode(resp.infcode);
  if (code === 0) return null;
  const msg = typeof resp.err_msg === 'string' && resp.err_msg !== '' ? resp.err_msg : `infcode ${String(resp.infcode)}`;
  const ref = typeof resp.inf_refmsgid === 'string' ? resp.inf_refmsgid : null;
  return isSignInExpiredError(resp) ? new PlatformSignInError(infno, msg, ref) : new PlatformRejectedError(infno, msg, ref);
}

/**
 * A refusal to revoke (2504) a filing the insurance centre has already reviewed: the hospital can
 * no longer revoke it, only the insurance agency can. Seen on a Hunan platform as
 * "已经在医保中心审核，医院无法撤销"; the sandbox says the same (POST /sandbox/filings/review).
 */
export const REVIEWED_FILING_PATTERN = /(医保中心|经办机构)(已)?审核|已(经)?审核.{0,12}(无法|不能|不允许)撤销/;

export function isReviewedFilingRefusal(errMsg: unknown): boolean {
  return typeof errMsg === 'string' && REVIEWED_FILING_PATTERN.test(errMsg);
}

/** What the 医保办 clerk should do about such a refusal, in their words. */
export const REVIEWED_FILING_ADVICE =
  '该备案已由医保中心审核，医院不能再撤销，重发也不会成功。如确需撤销或变更，请持认定材料联系参保地医保经办机构办理；经办机构办理后，在此标记为已处理。';
