/**
 * The names of every IPC channel, `domain.verb`. Kept apart from the schemas so the preload can
 * build `window.api` without bundling zod; `contract.ts` must declare exactly these channels
 * (checked by the type system and by a test).
 */
export const channelNames = [
  'app.info',
  'auth.hashPassword',
  'auth.verifyPassword',
  'server.status',
  'server.getConfig',
  'server.setConfig',
  'server.desk',
  'server.enrol',
] as const;

export type ChannelName = (typeof channelNames)[number];
