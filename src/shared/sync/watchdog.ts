import { clearTimer, setTimer, type TimerHandle } from './timers';
import type { Send, SendResult } from './ports';
import { errorMessage } from './storage-error';

/**
 * `send` with the runner's own time limit. The gateway has connect and response timeouts, but a
 * half-open connection or a stuck bridge must not hold a lane forever (Aam Digital's and
 * Couchbase Lite's lesson, architecture.md §6). A hang or a throw becomes an `unknown` outcome —
 * the request may have reached the platform — so it is reconciled, never resent blind. A late
 * answer after the watchdog fired is ignored: the platform's record (5301) is what counts.
 */
export function withWatchdog(send: Send, watchdogMs: number): Send {
  return async (request) => {
    let timer: TimerHandle | undefined;
    const watchdog = new Promise<SendResult>((resolve) => {
      timer = setTimer(
        () => resolve({ outcome: 'unknown', msgid: '', reason: 'watchdog', message: `请求 ${Math.round(watchdogMs / 1000)} 秒仍无结果，已停止等待` }),
        watchdogMs,
      );
    });
    try {
      const sent = send(request).catch(
        (error: unknown): SendResult => ({ outcome: 'unknown', msgid: '', reason: 'send_failed', message: `发送出错：${errorMessage(error)}` }),
      );
      return await Promise.race([sent, watchdog]);
    } finally {
      clearTimer(timer);
    }
  };
}
