/** This desk's client for the platform requests, for code outside React (lookups, settings). */
import type { HospitalClient } from './client';
import { deskLink } from './desk-session';

/** Shown when this desk has no link to a server at all (not enrolled, or before the first contact). */
export const NO_SERVER = '未连接院内服务器：平台由院内服务器统一对接，请检查“设置 → 院内服务器”';
/** Shown when the desk has a link but nobody is signed in at the server (logged in offline). */
export const NO_SESSION = '尚未在院内服务器登录（离线登录）：平台由院内服务器统一对接，联网后重新登录再试';

/** This desk's client to its hospital server with a session, or an Error saying in Chinese why there is none. */
export function platformClient(): HospitalClient {
  const link = deskLink();
  if (!link) throw new Error(NO_SERVER);
  if (!link.client.sessionToken) throw new Error(NO_SESSION);
  return link.client;
}

