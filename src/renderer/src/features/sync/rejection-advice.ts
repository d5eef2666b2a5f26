import type { RejectedState } from '../../../../shared/sync/states';
import { REVIEWED_FILING_ADVICE, REVIEWED_FILING_PATTERN } from '../../../../shared/platform/errors';

/** What to do about a rejection, in words for the 医保办 clerk; keyed on the platform's stated rule. */
export type Remedy = 'correct' | 'revoke' | 'dismiss';

export interface Advice {
  text: string;
  /** The actions that make sense, the likeliest first. */
  remedies: Remedy[];
}

const rules: { match: RegExp; advice: Advice }[] = [
  // First: a revocation the platform refuses because the insurance centre has reviewed the filing
  // (its message may also say 已撤销-like words); the hospital cannot undo it from here.
  { match: REVIEWED_FILING_PATTERN, advice: { text: REVIEWED_FILING_ADVICE, remedies: ['dismiss'] } },
  {
    match: /^重复备案/,
    advice: {
      text: '该参保人已有同一病种的有效备案。若原备案信息有误，请撤销原备案后重新提交；若原备案无误，则无需再次备案，可标记为已处理。',
      remedies: ['revoke', 'dismiss', 'correct'],
    },
  },
  {
    match: /^互斥病种/,
    advice: {
      text: '与该参保人已备案的病种互斥，不能同时享受待遇。请核对诊断：如确需变更，先撤销互斥的原备案再重新提交；如诊断有误，更正后重新备案。',
      remedies: ['revoke', 'correct', 'dismiss'],
    },
  },
  {
    match: /参保人不存在|人员编号/,
    advice: { text: '平台查不到该参保人或人员编号不符。请用身份证号重新查询参保人，更正后重新备案。', remedies: ['correct', 'dismiss'] },
  },
  {
    match: /险种类型|参保地|insu_optins/,
    advice: { text: '参保信息与平台登记不符。请重新查询参保人的险种和参保地，更正后重新备案。', remedies: ['correct', 'dismiss'] },
  },
  {
    match: /病种目录/,
    advice: { text: '病种代码不在本地区病种目录中。请在目录中重新选择病种，更正后重新备案。', remedies: ['correct', 'dismiss'] },
  },
  {
    match: /不是有效状态|已撤销/,
    advice: { text: '要撤销的备案已不是有效状态（可能已被撤销），无需再处理。', remedies: ['dismiss'] },
  },
];

export function adviceFor(state: RejectedState): Advice {
  if (state.source === 'local') {
    return { text: '工作站未能发送此报文，平台没有收到。请核对信息后重新录入。', remedies: ['correct', 'dismiss'] };
  }
  return rules.find((r) => r.match.test(state.reason))?.advice ?? {
    text: '请根据平台给出的原因核对信息：更正后重新备案，或撤销原备案后再提交。',
    remedies: ['correct', 'revoke', 'dismiss'],
  };
}
