/**
 * Faults on demand for the national-interface routes, drawn from a seeded generator so that a
 * failing run can be replayed. Spec syntax (clauses separated by ";"):
 *
 *   seed=42                 generator seed (default 1)
 *   delay=20-200@0.1        delay 20–200 ms on 10 % of requests (delay=50 is a fixed 50 ms, rate 1)
 *   5xx@0.1  5xx=503@0.1    answer HTTP 500/502/503 (or the given status) without processing
 *   reset@0.1               reset the connection without processing
 *   hang@0.1  hang=5000@0.1 never answer, without processing; the socket is closed after the cap (120 s)
 *   drop@0.1                process and commit, then close the socket without answering
 *   only=2503,2504          apply faults to these infno only
 *
 * Rates are fractions (0.1) or percentages (10%). delay combines with any other fault; 5xx,
 * reset, hang and drop exclude one another and their rates add up to at most 1.
 */
import { z } from 'zod';
import { mulberry32, type Random } from './prng';

export interface FaultConfig {
  seed: number;
  delay: { min: number; max: number; rate: number } | null;
  http5xx: { rate: number; status: number | null } | null;
  reset: { rate: number } | null;
  hang: { rate: number; capMs: number } | null;
  drop: { rate: number } | null;
  only: string[] | null;
}

export type FaultKind = 'none' | '5xx' | 'reset' | 'hang' | 'drop';

export interface FaultDecision {
  delayMs: number;
  kind: FaultKind;
  /** HTTP status for 5xx. */
  status: number;
  /** How long a hung request is kept open. */
  capMs: number;
}

export const DEFAULT_HANG_CAP_MS = 120_000;
const STATUSES_5XX = [500, 502, 503];

export const NO_FAULTS: FaultConfig = { seed: 1, delay: null, http5xx: null, reset: null, hang: null, drop: null, only: null };

export class FaultSpecError extends Error {
  override name = 'FaultSpecError';
}

function parseRate(text: string | undefined, clause: string): number {
  if (text === undefined) return 1;
  const pct = text.endsWith('%');
  const n = Number(pct ? text.slice(0, -1) : text);
  const rate = pct ? n / 100 : n;
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) throw new FaultSpecError(`故障比例应在 0–1 之间：${clause}`);
  return rate;
}

function parseMs(text: string, clause: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 600_000) throw new FaultSpecError(`毫秒数应为 0–600000 的整数：${clause}`);
  return n;
}

/** Parses the spec string; "" and "off" mean no faults. Throws FaultSpecError naming the bad clause. */
export function parseFaultSpec(spec: string): FaultConfig {
  const cfg: FaultConfig = { ...NO_FAULTS };
  const text = spec.trim();
  if (text === '' || text === 'off' || text === 'none') return cfg;
  for (const raw of text.split(';')) {
    const clause = raw.trim();
    if (clause === '') continue;
    const [head, rateText, ...extra] = clause.split('@');
    if (extra.length > 0) throw new FaultSpecError(`无法识别的故障设置：${clause}`);
    const eq = head!.indexOf('=');
    const name = (eq < 0 ? head! : head!.slice(0, eq)).trim().toLowerCase();
    const value = eq < 0 ? undefined : head!.slice(eq + 1).trim();
    const rate = parseRate(rateText?.trim(), clause);
    switch (name) {
      case 'seed': {
        const n = Number(value);
        if (value === undefined || !Number.isInteger(n) || n < 0 || n > 0xffffffff) throw new FaultSpecError(`seed 应为非负整数：${clause}`);
        cfg.seed = n;
        break;
      }
      case 'delay': {
        const m = /^(\d+)(?:-(\d+))?$/.exec(value ?? '');
        if (!m) throw new FaultSpecError(`delay 应写作 delay=最小-最大毫秒@比例：${clause}`);
        const min = parseMs(m[1]!, clause);
        const max = m[2] === undefined ? min : parseMs(m[2], clause);
        if (max < min) throw new FaultSpecError(`delay 上限小于下限：${clause}`);
        cfg.delay = { min, max, rate };
        break;
      }
      case '5xx': {
        const status = value === undefined ? null : Number(value);
        if (status !== null && !(Number.isInteger(status) && status >= 500 && status <= 599)) {
          throw new FaultSpecError(`5xx 状态码应为 500–599：${clause}`);
        }
        cfg.http5xx = { rate, status };
        break;
      }
      case 'reset':
      case 'drop':
        if (value !== undefined) throw new FaultSpecError(`${name} 不带参数：${clause}`);
        cfg[name] = { rate };
        break;
      case 'hang':
        cfg.hang = { rate, capMs: value === undefined ? DEFAULT_HANG_CAP_MS : parseMs(value, clause) };
        break;
      case 'only': {
        const codes = (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
        if (codes.length === 0) throw new FaultSpecError(`only 应列出交易编号：${clause}`);
        cfg.only = codes;
        break;
      }
      default:
        throw new FaultSpecError(`未知的故障类型 ${name}（可用：seed, delay, 5xx, reset, hang, drop, only）`);
    }
  }
  const exclusive = (cfg.http5xx?.rate ?? 0) + (cfg.reset?.rate ?? 0) + (cfg.hang?.rate ?? 0) + (cfg.drop?.rate ?? 0);
  if (exclusive > 1 + 1e-9) throw new FaultSpecError(`5xx、reset、hang、drop 的比例之和不能超过 1（现为 ${exclusive}）`);
  return cfg;
}

/** The canonical spec string of a config (round-trips through parseFaultSpec). */
export function formatFaultSpec(cfg: FaultConfig): string {
  const parts = [`seed=${cfg.seed}`];
  if (cfg.delay) parts.push(`delay=${cfg.delay.min}-${cfg.delay.max}@${cfg.delay.rate}`);
  if (cfg.http5xx) parts.push(`5xx${cfg.http5xx.status === null ? '' : `=${cfg.http5xx.status}`}@${cfg.http5xx.rate}`);
  if (cfg.reset) parts.push(`reset@${cfg.reset.rate}`);
  if (cfg.hang) parts.push(`hang${cfg.hang.capMs === DEFAULT_HANG_CAP_MS ? '' : `=${cfg.hang.capMs}`}@${cfg.hang.rate}`);
  if (cfg.drop) parts.push(`drop@${cfg.drop.rate}`);
  if (cfg.only) parts.push(`only=${cfg.only.join(',')}`);
  return parts.length === 1 && cfg.seed === NO_FAULTS.seed ? 'off' : parts.join(';');
}

const rate = z.number().min(0).max(1);
const ms = z.number().int().min(0).max(600_000);
/** The JSON form accepted by POST /sandbox/faults, equivalent to the spec string. */
export const faultJsonSchema = z.strictObject({
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  delay: z.strictObject({ min: ms, max: ms, rate: rate.optional() }).nullish(),
  '5xx': z.strictObject({ rate, status: z.number().int().min(500).max(599).nullish() }).nullish(),
  reset: z.strictObject({ rate }).nullish(),
  hang: z.strictObject({ rate, capMs: ms.optional() }).nullish(),
  drop: z.strictObject({ rate }).nullish(),
  only: z.array(z.string().min(1)).nullish(),
});

/** Converts the JSON form into a spec string, so both forms share one parser and its checks. */
export function faultJsonToSpec(json: z.output<typeof faultJsonSchema>): string {
  const parts: string[] = [];
  if (json.seed !== undefined) parts.push(`seed=${json.seed}`);
  if (json.delay) parts.push(`delay=${json.delay.min}-${json.delay.max}@${json.delay.rate ?? 1}`);
  if (json['5xx']) parts.push(`5xx${json['5xx'].status == null ? '' : `=${json['5xx'].status}`}@${json['5xx'].rate}`);
  if (json.reset) parts.push(`reset@${json.reset.rate}`);
  if (json.hang) parts.push(`hang${json.hang.capMs === undefined ? '' : `=${json.hang.capMs}`}@${json.hang.rate}`);
  if (json.drop) parts.push(`drop@${json.drop.rate}`);
  if (json.only && json.only.length > 0) parts.push(`only=${json.only.join(',')}`);
  return parts.join(';');
}

/**
 * Decides the fault for each request, in arrival order. Every request the faults apply to draws
 * exactly three numbers, so the sequence of decisions depends only on the seed and the order.
 */
export class FaultInjector {
  private random: Random;
  private cfg: FaultConfig;

  constructor(cfg: FaultConfig = NO_FAULTS) {
    this.cfg = cfg;
    this.random = mulberry32(cfg.seed);
  }

  get config(): FaultConfig {
    return this.cfg;
  }

  get spec(): string {
    return formatFaultSpec(this.cfg);
  }

  /** Replaces the configuration and restarts the generator from its seed. */
  set(cfg: FaultConfig): void {
    this.cfg = cfg;
    this.random = mulberry32(cfg.seed);
  }

  decide(infno: string | null): FaultDecision {
    const none: FaultDecision = { delayMs: 0, kind: 'none', status: 0, capMs: 0 };
    const c = this.cfg;
    if (!c.delay && !c.http5xx && !c.reset && !c.hang && !c.drop) return none;
    if (c.only && (infno === null || !c.only.includes(infno))) return none;
    const rKind = this.random();
    const rDelay = this.random();
    const rAmount = this.random();
    const decision = { ...none };
    if (c.delay && rDelay < c.delay.rate) decision.delayMs = c.delay.min + Math.floor(rAmount * (c.delay.max - c.delay.min + 1));
    let edge = 0;
    const hit = (r: number | undefined): boolean => {
      if (r === undefined) return false;
      edge += r;
      return rKind < edge;
    };
    if (hit(c.http5xx?.rate)) {
      decision.kind = '5xx';
      decision.status = c.http5xx!.status ?? STATUSES_5XX[Math.floor(rAmount * STATUSES_5XX.length)]!;
    } else if (hit(c.reset?.rate)) decision.kind = 'reset';
    else if (hit(c.hang?.rate)) {
      decision.kind = 'hang';
      decision.capMs = c.hang!.capMs;
    } else if (hit(c.drop?.rate)) decision.kind = 'drop';
    return decision;
  }
}
