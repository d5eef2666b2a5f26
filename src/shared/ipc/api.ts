import { channelNames, type ChannelName } from './channels';
import type { ChannelRequest, ChannelResponse } from './contract';
import type { IpcResult } from './result';

type Domain = ChannelName extends `${infer D}.${string}` ? D : never;

/** `window.api`: one object per domain, one method per verb, each answering an IpcResult. */
export type Api = {
  [D in Domain]: {
    [C in ChannelName as C extends `${D}.${infer V}` ? V : never]: (
      request: ChannelRequest<C>,
    ) => Promise<IpcResult<ChannelResponse<C>>>;
  };
};

/** Sends one request over whatever transport the shell has (ipcRenderer.invoke, or HTTP). */
export type Invoke = (channel: ChannelName, request: unknown) => Promise<IpcResult<unknown>>;

/** Builds `window.api` from the channel list; used by the preload and by the browser-mode shim alike. */
export function createApi(invoke: Invoke): Api {
  const api: Record<string, Record<string, (request: unknown) => Promise<IpcResult<unknown>>>> = {};
  for (const name of channelNames) {
    const [domain, verb] = name.split('.') as [string, string];
    (api[domain] ??= {})[verb] = (request: unknown) => invoke(name, request ?? {});
  }
  return api as unknown as Api;
}
