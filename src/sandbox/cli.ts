/**
 * Standalone sandbox: `npm run sandbox -- --port 18080 --data .data/sandbox --seed-persons 200`.
 * Options are listed by --help and in the README (section "The provincial platform sandbox").
 */
import { parseArgs } from 'node:util';
import { startSandbox } from './server';
import { DIALECT_PRESET_NAMES, isDialectPresetName, type DialectPresetName } from '../shared/platform/dialect';

const HELP = `慢特病认定工作站 — 省级平台沙箱（国家医保接口 9001/9002/1101/2503/2504/5301/9101/9102/1309 + 互认扩展）

用法: npm run sandbox -- [选项]

  --port <n>              端口（默认 18080；0 = 任选空闲端口）
  --host <addr>           绑定地址（默认 127.0.0.1；培训教室可用 0.0.0.0）
  --data <dir>            数据目录（默认 .data/sandbox），重启后数据保留
  --seed-persons <n>      生成 n 名虚构参保人（确定性，可重复）
  --faults <spec>         故障注入，如 "seed=42;delay=20-200@0.1;5xx@0.05;drop@0.05"
  --policy <file>         政策包（默认 resources/policy/shanxi-2025.json）
  --region <code>         平台医保区划（默认取政策包）
  --recognition-infno <c> 检查检验结果互认扩展交易编号（默认 HR01）
  --max-file-mb <n>       9101 单个文件上限（默认 15）
  --session-ttl <s>       9001 签到有效期，秒（默认 28800 = 8 小时）
  --dialect <name>        平台方言：national（默认）、jilin、guangdong-tif；
                          认证、加密签名、签到要求、应答类型随之改变，凭据见 /sandbox/credentials
  --quiet                 只输出启动信息，不逐条输出请求
  -h, --help              显示本帮助
`;

function intOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) {
    console.error(`--${name} 应为 ${min}–${max} 之间的数：${value}`);
    process.exit(2);
  }
  return n;
}

function dialectOption(value: string | undefined): DialectPresetName | undefined {
  if (value === undefined) return undefined;
  if (!isDialectPresetName(value)) {
    console.error(`--dialect 应为 ${DIALECT_PRESET_NAMES.join('、')} 之一：${value}`);
    process.exit(2);
  }
  return value;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        data: { type: 'string' },
        'seed-persons': { type: 'string' },
        faults: { type: 'string' },
        policy: { type: 'string' },
        region: { type: 'string' },
        'recognition-infno': { type: 'string' },
        'max-file-mb': { type: 'string' },
        'session-ttl': { type: 'string' },
        dialect: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(HELP);
    return;
  }
  const quiet = values.quiet;
  const maxFileMb = intOption('max-file-mb', values['max-file-mb'], 0.001, 1024);
  const sandbox = await startSandbox({
    port: intOption('port', values.port, 0, 65535) ?? 18080,
    host: values.host,
    dataDir: values.data ?? '.data/sandbox',
    seedPersons: intOption('seed-persons', values['seed-persons'], 0, 1_000_000),
    faults: values.faults,
    policyPackPath: values.policy,
    regionCode: values.region,
    recognitionInfno: values['recognition-infno'],
    maxFileBytes: maxFileMb === undefined ? undefined : Math.round(maxFileMb * 1024 * 1024),
    sessionTtlSeconds: intOption('session-ttl', values['session-ttl'], 1, 365 * 24 * 3600),
    dialect: dialectOption(values.dialect),
    log: (line) => {
      if (!quiet || !/^(\[fault\]|\S+ (ok|refused))/.test(line)) console.log(`${new Date().toISOString()} ${line}`);
    },
  });
  console.log(`健康检查：${sandbox.url}/sandbox/health    国家接口：POST ${sandbox.url}/fsi/api/…    Ctrl+C 停止`);
  if (sandbox.dialect.preset !== 'national') {
    const c = sandbox.credentials;
    const auth = sandbox.dialect.auth;
    console.log(`方言 ${sandbox.dialect.preset}：工作站「设置 → 平台」需填写以下虚构凭据（也可 GET ${sandbox.url}/sandbox/credentials）`);
    if (auth.kind === 'oauth2') console.log(`  client_id ${c.clientId}  client_secret ${c.clientSecret}  用户 ${c.username}  密码 ${c.password}`);
    if (auth.kind === 'basic') console.log(`  用户 ${c.username}  密码 ${c.password}`);
    if (auth.kind === 'tif') console.log(`  paasid ${c.paasid}  token ${c.tifToken}`);
    if (sandbox.dialect.security.kind !== 'none') console.log(`  医院 SM2 私钥 ${c.clientPrivateKey}  平台 SM2 公钥 ${c.platformPublicKey}`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`收到 ${signal}，正在关闭…`);
    sandbox.close().then(
      () => process.exit(0),
      (e: unknown) => {
        console.error(e);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP')); // the terminal window was closed
}

main().catch((e: unknown) => {
  console.error(`沙箱启动失败：${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
