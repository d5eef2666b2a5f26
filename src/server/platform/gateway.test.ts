import { afterEach, describe, expect, it } from 'vitest';
import { defaultPlatformConfig, type PlatformConfig } from '../../shared/platform-config';
import { DIALECT_PRESETS } from '../../shared/platform/dialect';
import { envelopeRequestSchema } from '../../shared/platform/envelope';
import { parseMsgid } from '../../shared/platform/msgid';
import { baseUrlFor, createPlatformGateway, routeFor, type PlatformGateway } from './gateway';
import {
  closedPort,
  ok,
  refuse,
  startScriptedPlatform,
  withSignIn,
  type Reply,
  type ScriptedPlatform,
} from './testing/scripted-platform';

const host = { mac: '02:00:00:00:00:01', ip: '192.0.2.10' };
const filing = { data: { psn_no: 'P000000000000000000001', insutype: '310', opsp_dise_code: 'M03900', opsp_dise_name: '高血压病', insu_optins: '420100', ide_fixmedins_no: 'H42010000001', ide_fixmedins_name: '测试医院', hosp_ide_date: '2025-03-01', diag_dr_codg: 'D000001', diag_dr_name: '测试医师', begndate: '2025-03-01' } };

function configFor(baseUrl: string, patch: Partial<PlatformConfig> = {}): PlatformConfig {
  return {
    ...defaultPlatformConfig,
    mode: 'configured',
    baseUrl,
    platformName: '测试平台',
    institution: { fixmedins_code: 'H42010000001', fixmedins_name: '测试医院', mdtrtarea_admvs: '420100' },
    timeouts: { connectMs: 1_000, responseMs: 2_000 },
    ...patch,
  };
}

let platform: ScriptedPlatform | undefined;
const gateways: PlatformGateway[] = [];
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((g) => g.close()));
  await platform?.close();
  platform = undefined;
});

async function setup(rest: (call: Parameters<Parameters<typeof withSignIn>[0]>[0]) => Reply | Promise<Reply>, patch: Partial<PlatformConfig> = {}) {
  platform = await startScriptedPlatform(withSignIn(rest));
  const gateway = createPlatformGateway({ config: configFor(platform.url, patch), host });
  gateways.push(gateway);
  return { platform, gateway };
}

const nonSignIn = (p: ScriptedPlatform) => p.calls.filter((c) => c.envelope['infno'] !== '9001');
const signIns = (p: ScriptedPlatform) => p.calls.filter((c) => c.envelope['infno'] === '9001');

describe('envelope', () => {
  it('sends the full national envelope, valid against the shared schema', async () => {
    const { platform, gateway } = await setup(() => ok({ result: { trt_dcla_detl_sn: 'T1' } }));
    const answer = await gateway.send({ infno: '2503', input: filing, insuplcAdmdvs: '420100' });
    expect(answer).toMatchObject({ outcome: 'accepted', output: { result: { trt_dcla_detl_sn: 'T1' } } });

    const env = nonSignIn(platform)[0]!.envelope;
    expect(envelopeRequestSchema.safeParse(env).success).toBe(true);
    expect(env).toMatchObject({
      infno: '2503',
      mdtrtarea_admvs: '420100',
      insuplc_admdvs: '420100',
      recer_sys_code: defaultPlatformConfig.recer_sys_code,
      infver: 'V1.0',
      opter_type: '1',
      opter: defaultPlatformConfig.operator.opter,
      opter_name: defaultPlatformConfig.operator.opter_name,
      fixmedins_code: 'H42010000001',
      fixmedins_name: '测试医院',
      sign_no: 'SN1',
      signtype: '',
      cainfo: '',
      input: filing,
    });
    expect(Object.keys(env).sort()).toEqual(
      ['infno', 'msgid', 'mdtrtarea_admvs', 'insuplc_admdvs', 'recer_sys_code', 'dev_no', 'dev_safe_info', 'cainfo', 'signtype', 'infver', 'opter_type', 'opter', 'opter_name', 'inf_time', 'fixmedins_code', 'fixmedins_name', 'sign_no', 'input'].sort(),
    );
    expect(parseMsgid(String(env['msgid']))?.fixmedinsCode).toBe('H42010000001');
    expect(answer.outcome === 'accepted' && answer.msgid).toBe(env['msgid']);

    const signIn = signIns(platform)[0]!.envelope;
    expect(signIn['sign_no']).toBe('');
    expect(signIn['input']).toEqual({ signIn: { opter_no: defaultPlatformConfig.operator.opter, ...host } });
  });

  it('refuses to send a message that fails the national tables, and names the field', async () => {
    const { platform, gateway } = await setup(() => ok({}));
    const bad = { data: { ...filing.data, insutype: '999' } };
    await expect(gateway.send({ infno: '2503', input: bad, insuplcAdmdvs: '420100' })).rejects.toThrow(/insutype/);
    await expect(gateway.send({ infno: '2503', input: filing })).rejects.toThrow(/insuplc_admdvs/);
    expect(platform.calls).toHaveLength(0); // not even a sign-in
  });

  it('refuses a bad message even when the platform is unreachable, so it is not retried as transient', async () => {
    const gateway = createPlatformGateway({ config: configFor(`http://127.0.0.1:${await closedPort()}`), host });
    gateways.push(gateway);
    const bad = gateway.send({ infno: '2503', input: { data: { ...filing.data, begndate: '2025/03/01' } }, insuplcAdmdvs: '420100' });
    await expect(bad).rejects.toMatchObject({ code: 'BAD_REQUEST', message: expect.stringContaining('begndate') });
  });
});

describe('routes', () => {
  it('routes every code through one path, or each to its own, with overrides', () => {
    const single = { kind: 'single' as const, path: '/fsi/api/rsfComIfsService/callService', overrides: { '9101': '/fsi/api/fileupload/upload' } };
    expect(routeFor(single, '2503')).toBe('/fsi/api/rsfComIfsService/callService');
    expect(routeFor(single, '9101')).toBe('/fsi/api/fileupload/upload');
    const per = { kind: 'perTransaction' as const, pathTemplate: '/fsi/api/{infno}', overrides: {} };
    expect(routeFor(per, '5301')).toBe('/fsi/api/5301');
  });

  it('sends the codes given a second base URL there, and the rest to the platform', () => {
    const routing = { kind: 'single' as const, path: '/fsi/api/callService', overrides: {}, secondBase: { url: 'http://10.0.0.2:9000', infnos: ['9101', '9102'] } };
    expect(baseUrlFor(routing, '9101', 'http://10.0.0.1')).toBe('http://10.0.0.2:9000');
    expect(baseUrlFor(routing, '2503', 'http://10.0.0.1')).toBe('http://10.0.0.1');
    expect(baseUrlFor({ ...routing, secondBase: { url: '', infnos: ['9101'] } }, '9101', 'http://10.0.0.1')).toBe('http://10.0.0.1');
    expect(baseUrlFor({ kind: 'single', path: '/x', overrides: {} }, '9101', 'http://10.0.0.1')).toBe('http://10.0.0.1');
  });

  it('posts to the configured path under a base URL with a prefix', async () => {
    platform = await startScriptedPlatform(withSignIn(() => ok({ feedetail: [] })));
    const gateway = createPlatformGateway({
      config: configFor(`${platform.url}/prefix/`, { routing: { kind: 'perTransaction', pathTemplate: '/fsi/api/{infno}', overrides: {} } }),
      host,
    });
    gateways.push(gateway);
    await gateway.send({ infno: '5301', input: { data: { psn_no: 'P1' } }, insuplcAdmdvs: '420100' });
    expect(platform.calls.map((c) => c.url)).toEqual(['/prefix/fsi/api/9001', '/prefix/fsi/api/5301']);
  });
});

describe('sign-in session', () => {
  it('signs in once, lazily, shared by concurrent sends', async () => {
    const { platform, gateway } = await setup(() => ok({ feedetail: [] }));
    expect(gateway.status().signedIn).toBe(false);
    expect(platform.calls).toHaveLength(0);
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => gateway.send({ infno: '5301', input: { data: { psn_no: 'P1' } }, insuplcAdmdvs: '420100' })),
    );
    expect(answers.every((a) => a.outcome === 'accepted')).toBe(true);
    expect(signIns(platform)).toHaveLength(1);
    expect(nonSignIn(platform).every((c) => c.envelope['sign_no'] === 'SN1')).toBe(true);
    expect(gateway.status().signedIn).toBe(true);
  });

  it('re-signs when the platform says the session expired and retries the message once', async () => {
    const { platform, gateway } = await setup((call) =>
      call.envelope['sign_no'] === 'SN1' ? refuse('签到已失效，请重新签到') : ok({ feedetail: [] }),
    );
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => gateway.send({ infno: '5301', input: { data: { psn_no: 'P1' } }, insuplcAdmdvs: '420100' })),
    );
    expect(answers.map((a) => a.outcome)).toEqual(Array(5).fill('accepted'));
    expect(signIns(platform)).toHaveLength(2); // the first and one shared renewal
    const retried = nonSignIn(platform).filter((c) => c.envelope['sign_no'] === 'SN2');
    expect(retried).toHaveLength(5);
    // Each retry is a new message with its own msgid.
    expect(new Set(nonSignIn(platform).map((c) => c.envelope['msgid'])).size).toBe(10);
  });

  it('gives up after one renewal: transient, because the platform refused both', async () => {
    const { platform, gateway } = await setup(() => refuse('未签到，请重新签到'));
    const answer = await gateway.send({ infno: '5301', input: { data: { psn_no: 'P1' } }, insuplcAdmdvs: '420100' });
    expect(answer).toMatchObject({ outcome: 'transient', reason: 'signin_expired' });
    expect(nonSignIn(platform)).toHaveLength(2);
  });

  it('does not send the message when sign-in is refused', async () => {
    platform = await startScriptedPlatform((call) => (call.envelope['infno'] === '9001' ? refuse('操作员不存在') : ok({})));
    const gateway = createPlatformGateway({ config: configFor(platform.url), host });
    gateways.push(gateway);
    const answer = await gateway.send({ infno: '5301', input: { data: { psn_no: 'P1' } }, insuplcAdmdvs: '420100' });
    expect(answer).toMatchObject({ outcome: 'transient', reason: 'signin_failed' });
    expect(answer.outcome === 'transient' && answer.message).toContain('操作员不存在');
    expect(platform.calls).toHaveLength(1);
    expect(gateway.status().lastError).toContain('操作员不存在');
  });

  it('answers an explicit 9001 with the sign-in itself and keeps the new session', async () => {
    const { platform, gateway } = await setup(() => ok({ feedetail: [] }));
    const answer = await gateway.send({ infno: '9001', input: {} });
    expect(answer).toMatchObject({ outcome: 'accepted', output: { signinoutb: { sign_no: 'SN1' } } });
    await gateway.send({ infno: '5301', input: { data: { psn_no: 'P1' } }, insuplcAdmdvs: '420100' });
    expect(signIns(platform)).toHaveLength(1);
    expect(await gateway.send({ infno: '9002', input: {} })).toMatchObject({ outcome: 'accepted' });
    expect(platform.calls.at(-1)!.envelope['input']).toEqual({ signOut: { sign_no: 'SN1', opter_no: defaultPlatformConfig.operator.opter } });
    expect(gateway.status().signedIn).toBe(false);
    expect(await gateway.send({ infno: '9002', input: {} })).toMatchObject({ outcome: 'transient', reason: 'not_signed_in' });
  });
});

describe('outcomes', () => {
  const send = (gateway: PlatformGateway, timeoutMs?: number) =>
    gateway.send({ infno: '5301', input: { data: { psn_no: 'P1' } }, insuplcAdmdvs: '420100', timeoutMs });

  it('infcode 0, as a number or a string: accepted, with the platform clock offset', async () => {
    const ahead = () => ok({ feedetail: [] }, new Date(Date.now() + 90_000));
    const { gateway } = await setup(ahead);
    const answer = await send(gateway);
    expect(answer.outcome).toBe('accepted');
    const offset = answer.outcome === 'accepted' ? answer.clockOffsetMs! : NaN;
    expect(Math.abs(offset - 90_000)).toBeLessThan(1_500);
    expect(gateway.status().clockOffsetMs).toBe(offset);
    expect(gateway.status().lastOkAt).toBeDefined();

    platform!.setScript(withSignIn(() => ({ kind: 'raw', body: JSON.stringify({ infcode: '0', output: {} }) })));
    expect((await send(gateway)).outcome).toBe('accepted');
  });

  it('infcode -1: rejected with the platform reason', async () => {
    const { gateway } = await setup(() => refuse('该人员已有有效备案'));
    expect(await send(gateway)).toMatchObject({ outcome: 'rejected', errMsg: '该人员已有有效备案' });
    // Many platforms leave `output` out of a refusal; still a refusal, not an unreadable answer.
    platform!.setScript(withSignIn(() => ({ kind: 'raw', body: '{"infcode":"-1","err_msg":"参保地区划错误"}' })));
    expect(await send(gateway)).toMatchObject({ outcome: 'rejected', errMsg: '参保地区划错误' });
  });

  it('HTTP 5xx: unknown — the platform may have committed before failing', async () => {
    const { gateway } = await setup(() => ({ kind: 'status', status: 502 }));
    expect(await send(gateway)).toMatchObject({ outcome: 'unknown', reason: 'http_5xx' });
    expect(gateway.status().lastError).toContain('502');
  });

  it('a reset in the middle of the response: unknown', async () => {
    const { gateway } = await setup(() => ({ kind: 'reset-mid-body' }));
    expect(await send(gateway)).toMatchObject({ outcome: 'unknown', reason: 'reset' });
  });

  it('no answer within the response timeout: unknown, ended at the timeout', async () => {
    const { gateway } = await setup(() => ({ kind: 'hang' }));
    const started = Date.now();
    expect(await send(gateway, 300)).toMatchObject({ outcome: 'unknown', reason: 'response_timeout' });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('an unreadable answer or an undefined infcode: unknown', async () => {
    const { gateway } = await setup(() => ({ kind: 'raw', body: '<html>维护中</html>' }));
    expect(await send(gateway)).toMatchObject({ outcome: 'unknown', reason: 'unparsable' });
    platform!.setScript(withSignIn(() => ({ kind: 'raw', body: '{"infcode":7}' })));
    expect(await send(gateway)).toMatchObject({ outcome: 'unknown', reason: 'unexpected_infcode' });
  });

  it('connection refused: transient — nothing was sent', async () => {
    const port = await closedPort();
    const gateway = createPlatformGateway({ config: configFor(`http://127.0.0.1:${port}`), host });
    gateways.push(gateway);
    const answer = await send(gateway);
    expect(answer).toMatchObject({ outcome: 'transient', reason: 'signin_failed' });
    expect(answer.outcome === 'transient' && answer.message).toContain('拒绝连接');
    // An explicit 9001 shows the transport outcome itself.
    expect(await gateway.send({ infno: '9001', input: {} })).toMatchObject({ outcome: 'transient', reason: 'refused' });
  });

  it('a refused connection after sign-in is transient for the message itself', async () => {
    const { platform: server, gateway } = await setup(() => ok({ feedetail: [] }));
    await send(gateway);
    await server.close();
    platform = undefined;
    // Let the client see the server close its idle keep-alive socket; writing into one that is
    // closing is a reset after sending (unknown), which is the race agent keep-alive hints keep rare.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await send(gateway)).toMatchObject({ outcome: 'transient', reason: 'refused' });
  });

  it('no endpoint (demo mode without a running sandbox): transient', async () => {
    const gateway = createPlatformGateway({ config: { ...defaultPlatformConfig }, host });
    gateways.push(gateway);
    expect(await send(gateway)).toMatchObject({ outcome: 'transient', reason: 'no_endpoint' });
    expect(gateway.status()).toMatchObject({ mode: 'demo', label: '演示平台', baseUrl: '' });
  });
});

describe('HTTP basic authentication', () => {
  it('sends the configured credentials', async () => {
    platform = await startScriptedPlatform(withSignIn(() => ok({})));
    const gateway = createPlatformGateway({
      config: configFor(platform.url, { dialect: { ...DIALECT_PRESETS.national, auth: { kind: 'basic', username: 'his' } } }),
      secrets: { password: 'pw:1' },
      host,
    });
    gateways.push(gateway);
    await gateway.send({ infno: '9001', input: {} });
    expect(platform.calls[0]!.headers['authorization']).toBe(`Basic ${Buffer.from('his:pw:1').toString('base64')}`);
  });
});

describe('9102 downloads', () => {
  const download = { infno: '9102', input: { fsDownloadIn: { file_qury_no: 'F1', filename: 'a.pdf', fixmedins_code: defaultPlatformConfig.institution.fixmedins_code } } };

  it('answers the file\'s bytes, whatever the content type, and a refusal as rejected even when not labelled JSON', async () => {
    const pdf = Buffer.from('%PDF-1.4 \u0000\u00ff binary', 'latin1');
    const replies = [
      { kind: 'file' as const, body: pdf, contentType: 'application/octet-stream' },
      { kind: 'file' as const, body: '[1,2,3]', contentType: 'text/plain' }, // a JSON file is still a file
      { kind: 'file' as const, body: JSON.stringify({ infcode: '-1', err_msg: '文件不存在：file_qury_no=F1' }), contentType: 'text/html;charset=UTF-8' },
    ];
    platform = await startScriptedPlatform(withSignIn((_call, index) => replies[(index - 1) % replies.length]!));
    const gateway = createPlatformGateway({ config: configFor(platform.url), host });
    gateways.push(gateway);
    const first = await gateway.send(download);
    expect(first).toMatchObject({ outcome: 'accepted', output: { file: { size: pdf.length, contentType: 'application/octet-stream', filename: '报告.pdf' } } });
    expect(first.outcome === 'accepted' && Buffer.from((first.output as { file: { base64: string } }).file.base64, 'base64').equals(pdf)).toBe(true);
    expect(await gateway.send(download)).toMatchObject({ outcome: 'accepted', output: { file: { size: 7 } } });
    expect(await gateway.send(download)).toMatchObject({ outcome: 'rejected', errMsg: '文件不存在：file_qury_no=F1' });
  });
});

