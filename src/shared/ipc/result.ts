/**
 * How every IPC call answers: a value, or a typed error. Errors never cross the bridge as thrown
 * strings (architecture.md §4).
 */
export type IpcErrorCode =
  | 'BAD_REQUEST' // the request did not match the channel's schema; the handler never ran
  | 'BAD_RESPONSE' // the handler answered something the contract does not allow
  | 'UNKNOWN_CHANNEL'
  | 'FORBIDDEN_SENDER' // the call came from a frame or client that is not the workstation's own
  | 'HANDLER_FAILED' // the handler threw
  | 'TRANSPORT_FAILED' // the bridge itself failed (browser mode: the host is unreachable)
  | (string & {}); // handlers may define their own codes, e.g. 'PLATFORM_TIMEOUT'

export interface IpcError {
  code: IpcErrorCode;
  /** A sentence a person can read, in Chinese where it may reach the UI. */
  message: string;
  /** Machine-readable details, e.g. the failing field paths of a BAD_REQUEST. */
  issues?: string[];
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const ok = <T>(value: T): IpcResult<T> => ({ ok: true, value });
export const fail = (code: IpcErrorCode, message: string, issues?: string[]): IpcResult<never> =>
  issues ? { ok: false, error: { code, message, issues } } : { ok: false, error: { code, message } };

/** Thrown by handlers that want a specific code to cross the bridge. */
export class HandlerError extends Error {
  constructor(
    readonly code: IpcErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HandlerError';
  }
}
