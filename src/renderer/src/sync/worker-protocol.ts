/**
 * Messages between the window and the sync worker (sync-worker.ts). The window keeps what only
 * it has — the Web Lock, online/offline events, and `window.api` to send with — and the worker
 * runs the runner on its own Dexie connection, so the runner's work never lands on the thread
 * that paints the worklist.
 */
import type { SendRequest, SendResult } from '../../../shared/sync/ports';
import type { RunnerStatus } from '../../../shared/sync/runner';

export type ToWorker =
  | { type: 'start'; online: boolean }
  | { type: 'kick'; online: boolean; reason?: 'online' }
  | { type: 'stop' }
  | { type: 'sent'; id: number; result: SendResult };

export type FromWorker =
  | { type: 'status'; status: RunnerStatus }
  | { type: 'send'; id: number; request: SendRequest }
  | { type: 'log'; line: string }
  /** The runner's run() settled: stopped (error absent) or halted by a storage failure. */
  | { type: 'ended'; error?: string };
