import { expect, it } from 'vitest';
import { defaultPlatformConfig } from '../../shared/platform-config';
import { createPlatformGateway } from './gateway';
import { ok, startScriptedPlatform, withSignIn } from './testing/scripted-platform';

/**
 * 32 concurrent senders over keep-alive sockets: every send answered, none lost or mixed up,
 * with the msgid slot (1,000 ids a second by rule, domain.md §5) and with it lifted. Speed is
 * measured by `npm run bench`, not asserted here.
 */
it.each([
  ['with the msgid slot (≤ 1,000 ids/s by rule)', false],
  ['HTTP path alone (uncapped msgids)', true],
])('sustains concurrency 32 with keep-alive: %s', async (_label, uncapped) => {
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
    const total = 1_500;
    let next = 0;
    let accepted = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < total) {
          next += 1;
          if ((await send()).outcome === 'accepted') accepted += 1;
        }
      }),
    );
    expect(accepted).toBe(total);
  } finally {
    await gateway.close();
    await platform.close();
  }
});
