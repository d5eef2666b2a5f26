import type { IpcError, IpcResult } from '../../../shared/ipc/result';

/** A failed IPC call, carrying the typed error main sent back. */
export class IpcCallError extends Error {
  readonly code: string;
  readonly issues?: string[];
  constructor(error: IpcError) {
    super(error.message);
    this.name = 'IpcCallError';
    this.code = error.code;
    this.issues = error.issues;
  }
}

/** Unwraps an IPC result: the value, or an IpcCallError whose message is fit to show. */
export async function call<T>(pending: Promise<IpcResult<T>>): Promise<T> {
  const result = await pending;
  if (!result.ok) throw new IpcCallError(result.error);
  return result.value;
}

/** The message to show a person for any error. */
export const errorText = (error: unknown): string =>
  error instanceof Error ? error.message : typeof error === 'string' ? error : '发生未知错误';
