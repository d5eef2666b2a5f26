import { describe, expect, it } from 'vitest';
import type { SendRequest, SendResult } from '../../../shared/sync/ports';
import { WorkerRunner, WorkerUnavailableError } from './worker-runner';
import type { FromWorker, ToWorker } from './worker-protocol';

/** A stand-in for the dedicated worker: records what the window posts, and answers as told. */
class FakeWorker {
  readonly received: ToWorker[] = [];
  onmessage: ((event: MessageEvent<FromWorker>) => void) | null = null;
  onerror: ((event: ErrorEvent) => void) | null = null;
  terminated = false;
  postMessage(message: ToWorker) {
    this.received.push(structuredClone(message));
  }
  terminate() {
    this.terminated = true;
  }
  emit(message: FromWorker) {
    this.onmessage?.({ data: structuredClone(message) } as MessageEvent<FromWorker>);
  }
  fail(message: string) {
    this.onerror?.({ message, preventDefault: () => undefined } as ErrorEvent);
  }
}

const request = { infno: '2503', input: { data: { psn_no: 'P1' } }, insuplcAdmdvs: '140100', msgid: null } as unknown as SendRequest;

function setup(online = true) {
  const worker = new FakeWorker();
  const sent: SendRequest[] = [];
  let isOnline = online;
  const runner = new WorkerRunner({
    createWorker: () => worker as unknown as Worker,
    send: async (r) => {
      sent.push(r);
      return { outcome: 'accepted', msgid: 'm1', receipt: { values: {} } } as unknown as SendResult;
    },
    isOnline: () => isOnline,
  });
  return { worker, sent, runner, setOnline: (v: boolean) => (isOnline = v) };
}

describe('WorkerRunner', () => {
  it('starts the worker with the network state, relays its sends through the window and answers them', async () => {
    const { worker, sent, runner } = setup(false);
    const done = runner.run();
    expect(worker.received[0]).toEqual({ type: 'start', online: false });
    worker.emit({ type: 'send', id: 7, request });
    await new Promise((r) => setTimeout(r, 0));
    expect(sent).toEqual([request]);
    expect(worker.received.at(-1)).toMatchObject({ type: 'sent', id: 7, result: { outcome: 'accepted' } });
    worker.emit({ type: 'ended' });
    await expect(done).resolves.toBeUndefined();
    expect(worker.terminated).toBe(true);
  });

  it('passes status on to subscribers and tells the worker the network state on every kick', () => {
    const { worker, runner, setOnline } = setup();
    const seen: string[] = [];
    runner.subscribe((s) => seen.push(s.phase));
    void runner.run();
    worker.emit({ type: 'status', status: { phase: 'working', inFlight: 3 } });
    expect(seen).toEqual(['working']);
    expect(runner.snapshot).toEqual({ phase: 'working', inFlight: 3 });
    setOnline(false);
    runner.kick();
    setOnline(true);
    runner.kick('online');
    expect(worker.received.slice(-2)).toEqual([
      { type: 'kick', online: false },
      { type: 'kick', online: true, reason: 'online' },
    ]);
  });

  it('rejects run() with the worker’s storage failure, and with WorkerUnavailableError if it never started', async () => {
    const halted = setup();
    const run = halted.runner.run();
    halted.worker.emit({ type: 'status', status: { phase: 'working', inFlight: 0 } });
    halted.worker.emit({ type: 'ended', error: 'QuotaExceededError' });
    await expect(run).rejects.toThrow('QuotaExceededError');

    const broken = setup();
    const never = broken.runner.run();
    broken.worker.fail('Failed to load worker script');
    await expect(never).rejects.toBeInstanceOf(WorkerUnavailableError);
  });

  it('stop() asks the worker to stop and waits until it has', async () => {
    const { worker, runner } = setup();
    void runner.run();
    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 0));
    expect(worker.received.at(-1)).toEqual({ type: 'stop' });
    expect(stopped).toBe(false);
    worker.emit({ type: 'ended' });
    await stopping;
    expect(stopped).toBe(true);
  });
});
