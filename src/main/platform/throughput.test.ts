import { expect, it } from 'vitest';
import { defaultPlatformConfig } from '../../shared/platform-config';
import { createPlatformGateway } from './gateway';
import { ok, startScriptedPlatform, withSignIn } from './testing/scripted-platform';

/**
 * The sync benchmark pushes 10,000 filings at ≥ 500/s through the gateway, so the gateway alone
 * must sustain well above that on loopback: 32 concurrent senders over keep-alive sockets.
 * A workstation's msgid slot holds 1,000 ids a second (domain.md §5), which caps real sending at
 * 1,000/s; the second run lifts that cap to show what the HTTP path itself carries.
 * The floors asserted are low so a busy CI machine does not fail; the figures are logged.
 */
it.each([
  ['with the msgid slot (≤ 1,000 ids/s by rule)', false, 250],
  ['HTTP path alone (uncapped msgids)', true, 500],
])('measures loopback throughput at concurrency 32 with keep-alive: %s', async (label, uncapped, floor) => {
  const platform = await startScriptedPlatform(withSignIn(() => ok({ result: { trt_dcla_detl_sn: 'T1' } })));
  let n = 0;
  const gateway = createPlatformGateway({
    config: { ...defaultPlatformConfig, mode: 'configured', baseUrl: platform.url },
    host: { mac: '02:00:00:00:00:01', ip: '192.0.2.10' },
    msgids: uncapped ? { next: async () => `H00000000001${'20250301093015'}${String(n++ % 10_000).padStart(4, '0')}` } : undefined,
  });
  const filing = { data: { psn_no: 'P000000000000000000001', insutype: '310', opsp_dise_code: 'M03900', opsp_dise_name: '高血压病', insu_optins: '420100', ide_fixmedins_no: 'H42010000001', ide_fixmedins_name: '测试医院', hosp_ide_date: '2025-03-01', diag_dr_codg: 'D000001', diag_dr_name: '测试医师', begndate: '2025-03-01' } };
  const send = () => gateway.send({ infno: '2503', input: filing, insuplcAdmdvs: '420100' });
  try {
    await send(); // sign in and warm up
    const total = 4_000;
    let next = 0;
    let accepted = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < total) {
          next += 1;
          if ((await send()).outcome === 'accepted') accepted += 1;
        }
      }),
    );
    const perSecond = total / ((performance.now() - started) / 1000);
    console.log(`[throughput] ${label}: ${total} sends at concurrency 32, ${Math.round(perSecond)}/s`);
    expect(accepted).toBe(total);
    expect(perSecond).toBeGreaterThan(floor);
  } finally {
    await gateway.close();
    await platform.close();
  }
});
