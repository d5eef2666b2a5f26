/**
 * 9001 签到 / 9002 签退 and the session check every other transaction goes through. A session
 * belongs to one institution and lasts the configured time. It is not tied to the envelope's
 * `opter`: real clients send the HIS user or a constant there, whoever signed in, and no platform
 * is known to refuse that. Every refusal here contains 请重新签到 or 未签到, which is what
 * isSignInExpiredError looks for.
 */
import { formatInfTime, present, type EnvelopeRequest } from '../../shared/platform/index';
import { platformSerial, Refusal, type SandboxContext, type SessionRow, type TxHandler } from '../context';
import { first, run, sql } from '../sql';

async function loadSession(ctx: SandboxContext, signNo: string): Promise<SessionRow | null> {
  const cached = ctx.sessions.get(signNo);
  if (cached) return cached;
  const row = await first<SessionRow>(
    ctx.db,
    sql`select sign_no, fixmedins_code, opter_no, signed_in_at, expires_at, signed_out_at from sessions where sign_no = ${signNo}`,
  );
  if (row) ctx.sessions.set(signNo, row);
  return row;
}

/** The caller's valid session, or a Refusal saying why there is none. */
export async function requireSession(ctx: SandboxContext, env: EnvelopeRequest, at: Date): Promise<SessionRow> {
  if (!present(env.sign_no)) throw new Refusal('未签到：sign_no 为空，请先调用【9001】签到');
  const s = await loadSession(ctx, env.sign_no);
  if (!s) throw new Refusal(`签到编号无效：${env.sign_no} 不存在，请重新签到`);
  if (s.signed_out_at) throw new Refusal(`签到已签退（${formatInfTime(s.signed_out_at)}），请重新签到`);
  if (at.getTime() >= s.expires_at.getTime()) {
    throw new Refusal(`签到已过期（有效至 ${formatInfTime(s.expires_at)}），请重新签到`);
  }
  if (s.fixmedins_code !== env.fixmedins_code) throw new Refusal('签到编号不属于本机构（fixmedins_code 不符），请重新签到');
  return s;
}

export const signIn: TxHandler = async (ctx, req) => {
  const { opter_no, mac, ip } = (req.input as { signIn: { opter_no: string; mac?: string | null; ip: string } }).signIn;
  const at = ctx.now();
  const row: SessionRow = {
    sign_no: await platformSerial(ctx),
    fixmedins_code: req.envelope.fixmedins_code,
    opter_no,
    signed_in_at: at,
    expires_at: new Date(at.getTime() + ctx.settings.sessionTtlMs),
    signed_out_at: null,
  };
  await run(
    ctx.db,
    sql`insert into sessions (sign_no, fixmedins_code, opter_no, mac, ip, signed_in_at, expires_at)
        values (${row.sign_no}, ${row.fixmedins_code}, ${opter_no}, ${mac ?? ''}, ${ip}, ${row.signed_in_at}, ${row.expires_at})`,
  );
  ctx.sessions.set(row.sign_no, row);
  return { output: { signinoutb: { sign_time: formatInfTime(at), sign_no: row.sign_no } } };
};

export const signOut: TxHandler = async (ctx, req) => {
  const { sign_no, opter_no } = (req.input as { signOut: { sign_no: string; opter_no: string } }).signOut;
  const s = await loadSession(ctx, sign_no);
  if (!s || s.fixmedins_code !== req.envelope.fixmedins_code) throw new Refusal(`签退失败：签到编号 ${sign_no} 不存在`);
  if (s.opter_no !== opter_no) throw new Refusal(`签退失败：签到编号属于操作员 ${s.opter_no}，与 opter_no 不符`);
  if (s.signed_out_at) throw new Refusal(`签退失败：该签到编号已于 ${formatInfTime(s.signed_out_at)} 签退`);
  const at = ctx.now();
  await run(ctx.db, sql`update sessions set signed_out_at = ${at} where sign_no = ${sign_no}`);
  ctx.sessions.set(sign_no, { ...s, signed_out_at: at });
  return { output: { signoutoutb: { sign_time: formatInfTime(at) } } };
};
