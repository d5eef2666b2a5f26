import { describe, expect, it } from 'vitest';
import { defaultPlatformConfig } from '../../shared/platform-config';
import { parseMsgid } from '../../shared/platform/msgid';
import { createPlatformGateway } from './gateway';
import { createMillisecondMsgidAllocator, createMsgidAllocator, msgidAllocatorFor, type AllocatorClock } from './msgid-allocator';
import { ok, startScriptedPlatform, withSignIn } from './testing/scripted-platform';

const CODE = 'H42010000001';

/** A clock that only moves when the allocator sleeps, so exhaustion is deterministic. */
function fakeClock(start: number): AllocatorClock & { t: number; slept: number[] } {
  const clock = {
    t: start,
    slept: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.slept.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}

describe('msgid allocator', () => {
  it('writes the institution code, China time and a sequence inside the slot', async () => {
    // 2025-03-01 09:30:15.250 China time
    const clock = fakeClock(Date.UTC(2025, 2, 1, 1, 30, 15, 250));
    const allocator = createMsgidAllocator(CODE, 7, clock);
    const first = await allocator.next();
    expect(first).toBe(`${CODE}202503010930157000`);
    expect(first).toHaveLength(30);
    expect(await allocator.next()).toBe(`${CODE}202503010930157001`);
  });

  it('waits for the next second when the slot is used up, never reusing an id', async () => {
    const clock = fakeClock(Date.UTC(2025, 2, 1, 1, 30, 15, 250));
    const allocator = createMsgidAllocator(CODE, 3, clock);
    const ids = await Promise.all(Array.from({ length: 2_500 }, () => allocator.next()));
    expect(new Set(ids).size).toBe(2_500);
    const parsed = ids.map((id) => parseMsgid(id)!);
    expect(parsed.every((p) => p.seq >= 3000 && p.seq <= 3999)).toBe(true);
    expect(new Set(parsed.map((p) => p.time))).toEqual(new Set(['20250301093015', '20250301093016', '20250301093017']));
    expect(clock.slept).toEqual([750, 1000]);
  });

  it('keeps going forward when the wall clock steps back', async () => {
    const clock = fakeClock(Date.UTC(2025, 2, 1, 1, 30, 15, 0));
    const allocator = createMsgidAllocator(CODE, 0, clock);
    const before = await allocator.next();
    clock.t -= 3_600_000; // NTP steps the clock back an hour
    const after = await Promise.all(Array.from({ length: 1_200 }, () => allocator.next()));
    const all = [before, ...after];
    expect(new Set(all).size).toBe(all.length);
    expect(after.every((id) => parseMsgid(id)!.time >= parseMsgid(before)!.time)).toBe(true);
  });

  it('shares one sequence per institution code and slot within the process', () => {
    expect(msgidAllocatorFor(CODE, 4)).toBe(msgidAllocatorFor(CODE, 4));
    expect(msgidAllocatorFor(CODE, 4)).not.toBe(msgidAllocatorFor(CODE, 5));
  });

  it('two workstations of one hospital (slots 1 and 2) never collide over many sends', async () => {
    const platform = await startScriptedPlatform(withSignIn(() => ok({ feedetail: [] })));
    const make = (slot: number) =>
      createPlatformGateway({
        config: { ...defaultPlatformConfig, mode: 'configured', baseUrl: platform.url, workstationSlot: slot, institution: { ...defaultPlatformConfig.institution, fixmedins_code: CODE } },
        host: { mac: '02:00:00:00:00:01', ip: '192.0.2.10' },
      });
    const a = make(1);
    const b = make(2);
    try {
      const send = (g: typeof a) => g.send({ infno: '5301', input: { data: { psn_no: 'P1' } }, insuplcAdmdvs: '420100' });
      const answers = await Promise.all(Array.from({ length: 1_500 }, (_, i) => send(i % 2 ? a : b)));
      expect(answers.every((x) => x.outcome === 'accepted')).toBe(true);
      const ids = platform.calls.map((c) => String(c.envelope['msgid']));
      expect(ids).toHaveLength(1_502);
      expect(new Set(ids).size).toBe(ids.length);
      const slots = new Set(ids.map((id) => Math.floor(parseMsgid(id)!.seq / 1000)));
      expect(slots).toEqual(new Set([1, 2]));
    } finally {
      await a.close();
      await b.close();
      await platform.close();
    }
  });
});

describe('millisecond msgid style', () => {
  it('writes China time, the milliseconds and the slot, one id per millisecond', async () => {
    const clock = fakeClock(Date.UTC(2025, 2, 1, 1, 30, 15, 250));
    const allocator = createMillisecondMsgidAllocator(CODE, 1, clock);
    const ids = await Promise.all(Array.from({ length: 5 }, () => allocator.next()));
    expect(ids).toEqual([250, 251, 252, 253, 254].map((ms) => `${CODE}20250301093015${ms}1`));
    expect(clock.slept).toEqual([1, 1, 1, 1]); // waited for each next millisecond
    for (const id of ids) expect(parseMsgid(id)).not.toBeNull();
  });

  it('never repeats an id when the clock steps back', async () => {
    const clock = fakeClock(Date.UTC(2025, 2, 1, 1, 30, 15, 999));
    const allocator = createMillisecondMsgidAllocator(CODE, 2, clock);
    const first = await allocator.next();
    clock.t -= 60_000;
    const second = await allocator.next();
    expect(second).not.toBe(first);
    expect(second > first).toBe(true);
  });
});
