/**
 * The window's handle on the runner in the sync worker: the same surface as SyncRunner (run,
 * kick, stop, subscribe, snapshot), so the sync owner does not care where the runner runs. The
 * window answers the worker's sends through `send` (window.api) and tells it whether there is a
 * network on every kick — the owner kicks on every online/offline event.
 */
import type { Send } from '../../../shared/sync/ports';
import type { RunnerStatus } from '../../../shared/sync/runner';
import type { FromWorker, ToWorker } from './worker-protocol';

export interface RunnerHandle {
  readonly snapshot: RunnerStatus;
  run(): Promise<void>;
  kick(reason?: 'online'): void;
  stop(): Promise<void>;
  subscribe(listener: (status: RunnerStatus) => void): () => void;
}

/** Thrown by run() when the worker could not start at all (the caller falls back to the window). */
export class WorkerUnavailableError extends Error {}

export class WorkerRunner implements RunnerHandle {
  private status: RunnerStatus = { phase: 'stopped', inFlight: 0 };
  private readonly listeners = new Set<(status: RunnerStatus) => void>();
  private worker?: Worker;
  private running?: Promise<void>;

  constructor(
    private readonly deps: {
      createWorker: () => Worker;
      send: Send;
      isOnline: () => boolean;
      log?: (line: string) => void;
      /** Called when the worker could not start at all (run() then rejects with WorkerUnavailableError). */
      onUnavailable?: (error: WorkerUnavailableError) => void;
    },
  ) {}

  get snapshot(): RunnerStatus {
    return this.status;
  }

  subscribe(listener: (status: RunnerStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  run(): Promise<void> {
    this.running ??= new Promise<void>((resolve, reject) => {
      let started = false;
      const worker = (this.worker = this.deps.createWorker());
      const end = (error?: Error) => {
        worker.terminate();
        this.worker = undefined;
        this.running = undefined;
        if (error) reject(error);
        else resolve();
      };
      worker.onerror = (event) => {
        event.preventDefault();
        const message = event.message || '同步后台线程出错';
        if (started) return end(new Error(message));
        const unavailable = new WorkerUnavailableError(message);
        this.deps.onUnavailable?.(unavailable);
        end(unavailable);
      };
      worker.onmessage = (event: MessageEvent<FromWorker>) => {
        started = true;
        const message = event.data;
        switch (message.type) {
          case 'status':
            this.status = message.status;
            for (const listener of this.listeners) listener(message.status);
            return;
          case 'send':
            void this.deps.send(message.request).then(
              (result) => this.post({ type: 'sent', id: message.id, result }),
              (error: unknown) =>
                // send never throws by contract; if it does, the outcome is unknown and gets reconciled.
                this.post({ type: 'sent', id: message.id, result: { outcome: 'unknown', msgid: '', reason: 'BRIDGE', message: `调用平台网关失败：${String(error)}` } }),
            );
            return;
          case 'log':
            this.deps.log?.(message.line);
            return;
          case 'ended':
            end(message.error === undefined ? undefined : new Error(message.error));
            return;
        }
      };
      this.post({ type: 'start', online: this.deps.isOnline() });
    });
    return this.running;
  }

  kick(reason?: 'online'): void {
    this.post({ type: 'kick', online: this.deps.isOnline(), reason });
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.post({ type: 'stop' });
    await this.running.catch(() => undefined);
  }

  private post(message: ToWorker): void {
    this.worker?.postMessage(message);
  }
}
