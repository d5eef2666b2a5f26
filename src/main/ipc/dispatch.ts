import type { z } from 'zod';
import { channelNames, type ChannelName } from '../../shared/ipc/channels';
import { contract, type Contract } from '../../shared/ipc/contract';
import { fail, HandlerError, ok, type IpcResult } from '../../shared/ipc/result';

/** Who sent a call: the frame URL in Electron, or the authenticated HTTP client in browser mode. */
export interface Sender {
  url: string;
  /** Electron: the call came from the window's top frame, not an iframe. */
  mainFrame: boolean;
}

export type Handler<C extends ChannelName> = (
  request: z.output<Contract[C]['request']>,
  sender: Sender,
) => Promise<z.input<Contract[C]['response']>> | z.input<Contract[C]['response']>;

export type Handlers = { [C in ChannelName]: Handler<C> };

export type Dispatch = (channel: string, request: unknown, sender: Sender) => Promise<IpcResult<unknown>>;

export interface DispatchOptions {
  /** Decides whether a sender may call at all (Electron: the app's own origin, top frame). */
  isTrustedSender: (sender: Sender) => boolean;
  /** Where handler failures are reported; never receives request bodies (they may hold passwords). */
  log?: (message: string) => void;
}

const isChannel = (name: string): name is ChannelName => (channelNames as readonly string[]).includes(name);

const issuesOf = (error: z.ZodError): string[] =>
  error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(根)'}: ${issue.message}`);

/**
 * The one helper through which main binds every channel: it checks the sender, validates the
 * request (a malformed request never reaches the handler), runs the handler, validates its
 * response, and turns every failure into a typed error value.
 */
export function createDispatch(handlers: Handlers, options: DispatchOptions): Dispatch {
  return async (channel, request, sender) => {
    if (!isChannel(channel)) return fail('UNKNOWN_CHANNEL', `未知的调用通道：${channel}`);
    if (!options.isTrustedSender(sender)) return fail('FORBIDDEN_SENDER', '调用来源不受信任，已拒绝');

    const spec = contract[channel];
    const parsed = spec.request.safeParse(request);
    if (!parsed.success) {
      const issues = issuesOf(parsed.error);
      return fail('BAD_REQUEST', `请求格式错误（${channel}）：${issues.join('；')}`, issues);
    }

    let answer: unknown;
    try {
      answer = await (handlers[channel] as Handler<ChannelName>)(parsed.data as never, sender);
    } catch (error) {
      if (error instanceof HandlerError) return fail(error.code, error.message);
      options.log?.(`[ipc] ${channel} failed: ${error instanceof Error ? error.stack : String(error)}`);
      return fail('HANDLER_FAILED', `处理失败（${channel}）：${error instanceof Error ? error.message : String(error)}`);
    }

    const checked = spec.response.safeParse(answer);
    if (!checked.success) {
      const issues = issuesOf(checked.error);
      options.log?.(`[ipc] ${channel} answered outside its contract: ${issues.join('; ')}`);
      return fail('BAD_RESPONSE', `内部错误：${channel} 的返回不符合约定`, issues);
    }
    return ok(checked.data);
  };
}
