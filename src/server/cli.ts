/**
 * The hospital server, standalone on the hospital LAN:
 *
 *   npm run server -- --database postgres://user:pass@host:5432/opsp --port 8787 [--host 0.0.0.0]
 *   npm run server -- --data /srv/opsp --port 8787          (PGlite in that folder)
 *
 * It binds 127.0.0.1 unless told `--host`; `GET /health` says which database and schema version.
 * `--tls-cert FILE --tls-key FILE` (PEM): HTTPS with the hospital's certificate. `--audit-key FILE`:
 * the audit chain's key, kept outside the database (default: beside a PGlite folder, or
 * ./opsp-audit.key for PostgreSQL; created on first start). `--platform-dir DIR`: where the
 * platform settings (platform.json) and credentials (platform-secrets.json, owner-only) are kept
 * (default: beside a PGlite folder, or ./opsp-platform). `--demo-platform URL`: a platform sandbox
 * (`npm run sandbox`) to file to while the settings say 演示平台.
 *
 * Backup and restore (backup.ts), on either database:
 *
 *   npm run server -- backup --out FILE (--database URL | --data DIR)
 *   npm run server -- restore --from FILE (--database URL | --data DIR)     (into an empty database)
 *
 * Exit codes: 0 done; 1 the backup or restore failed or was refused; 2 wrong arguments, or the
 * server did not start.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { backupDatabase, BackupError, restoreDatabase, type TableSummary } from './backup';
import { openDatabase, type DatabaseTarget } from './database';
import { DATABASE_LABELS, startServer } from './server';
import type { PlatformLinkOptions } from './platform-link';
import { createFileSecretStore } from './platform/secret-store';

const USAGE = `用法：
  npm run server -- (--database postgres://… | --data 目录) [--port 8787] [--host 127.0.0.1]
                    [--tls-cert 证书.pem --tls-key 私钥.pem] [--audit-key 审计密钥文件]           启动院内服务器
                    [--platform-dir 平台设置目录] [--demo-platform 演示平台地址]
  npm run server -- backup --out 文件 (--database postgres://… | --data 目录)                    备份整个数据库到一个文件
  npm run server -- restore --from 文件 (--database postgres://… | --data 目录)                  把备份恢复到空数据库`;

function fail(message: string): never {
  console.error(message);
  console.error(USAGE);
  process.exit(2);
}

function failed(message: string): never {
  console.error(message);
  process.exit(1);
}

/** The audit chain's key is kept apart from the database on purpose (audit.ts), so not in a backup. */
const AUDIT_KEY_NOTE =
  '注意：审计链的密钥文件不在备份中（它有意与数据库分开保存）。请另行妥善保管；恢复到新的位置后，' +
  '服务器须使用原来的密钥文件，审计链才能验证通过。';

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Where the platform settings and credentials live, and the demo platform, if any. */
function platformOptions(target: DatabaseTarget): PlatformLinkOptions {
  const dir = resolve(values['platform-dir'] ?? (target.kind === 'pglite' && target.dataDir ? `${target.dataDir.replace(/[\\/]+$/, '')}-platform` : 'opsp-platform'));
  mkdirSync(dir, { recursive: true });
  return { dataDir: dir, secretStore: createFileSecretStore(join(dir, 'platform-secrets.json')), ...(values['demo-platform'] ? { demoPlatformUrl: values['demo-platform'] } : {}) };
}

async function serve(target: DatabaseTarget): Promise<void> {
  const port = Number(values.port ?? '8787');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`端口无效：${values.port}`);
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) fail('--tls-cert 与 --tls-key 须同时给出');
  let tls: { cert: Buffer; key: Buffer } | undefined;
  try {
    tls = values['tls-cert'] ? { cert: readFileSync(resolve(values['tls-cert'])), key: readFileSync(resolve(values['tls-key']!)) } : undefined;
  } catch (e) {
    fail(`无法读取证书或私钥：${message(e)}`);
  }
  const server = await startServer({
    database: target,
    port,
    host: values.host ?? '127.0.0.1',
    tls,
    ...(values['audit-key'] ? { auditKeyFile: resolve(values['audit-key']) } : {}),
    platform: platformOptions(target),
    log: (line) => console.log(line),
  }).catch((e: unknown) => fail(`院内服务器未能启动：${message(e)}`));

  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.log('院内服务器正在停止…');
      void server.close().then(() => process.exit(0));
    });
  }
}

/**
 * PGlite lets a second process open a data folder that is in use, and the two would damage it.
 * PGlite writes postmaster.pid while it has the folder open and removes it when it closes.
 */
function refuseFolderInUse(target: DatabaseTarget, action: string): void {
  if (target.kind !== 'pglite' || !target.dataDir) return;
  if (existsSync(join(target.dataDir, 'postmaster.pid'))) {
    failed(
      `数据目录 ${target.dataDir} 正被院内服务器或工作站使用（或它上次未正常关闭），未${action}。` +
        `请先停止使用该目录的服务器或工作站再${action}；若确认没有程序在用它，删除其中的 postmaster.pid 后重试。`,
    );
  }
}

function tableLines(tables: readonly TableSummary[]): string {
  const width = Math.max(0, ...tables.map((t) => t.name.length));
  return tables.map((t) => `  ${t.name.padEnd(width)}  ${t.rows.toLocaleString('en-US')} 行`).join('\n');
}

const totalRows = (tables: readonly TableSummary[]): number => tables.reduce((sum, t) => sum + t.rows, 0);

async function backup(target: DatabaseTarget, out: string): Promise<void> {
  refuseFolderInUse(target, '备份');
  if (target.kind === 'pglite' && !existsSync(target.dataDir!)) failed(`数据目录不存在：${target.dataDir}，未备份`);
  const db = await openDatabase(target).catch((e: unknown) => failed(`无法打开数据库：${message(e)}`));
  const started = performance.now();
  const result = await backupDatabase(db, out).catch(async (e: unknown) => {
    await db.close().catch(() => undefined);
    return failed(e instanceof BackupError ? e.message : `备份失败：${message(e)}`);
  });
  await db.close();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `已备份 ${DATABASE_LABELS[db.kind]} ${db.where} 到 ${result.file}：${result.tables.length} 张表，` +
      `${totalRows(result.tables).toLocaleString('en-US')} 行，${result.sequences} 个序列，` +
      `${result.bytes.toLocaleString('en-US')} 字节（结构版本 ${result.schemaVersion}，服务器标识 ${result.serverId}，用时 ${seconds} 秒）`,
  );
  console.log(tableLines(result.tables));
  if (result.tables.some((t) => t.name === 'audit' && t.rows > 0)) console.log(AUDIT_KEY_NOTE);
}

async function restore(target: DatabaseTarget, from: string): Promise<void> {
  refuseFolderInUse(target, '恢复');
  // A PGlite folder this command creates is removed again if the restore does not succeed.
  const createdFolder = target.kind === 'pglite' && (!existsSync(target.dataDir!) || readdirSync(target.dataDir!).length === 0);
  const cleanUp = (): void => {
    if (createdFolder && target.kind === 'pglite') rmSync(target.dataDir!, { recursive: true, force: true });
  };
  const db = await openDatabase(target).catch((e: unknown) => {
    cleanUp();
    return failed(`无法打开数据库：${message(e)}`);
  });
  const started = performance.now();
  const result = await restoreDatabase(db, from).catch(async (e: unknown) => {
    await db.close().catch(() => undefined);
    cleanUp();
    return failed(e instanceof BackupError ? e.message : `恢复失败：${message(e)}`);
  });
  await db.close();
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `已从 ${result.file} 恢复到 ${DATABASE_LABELS[db.kind]} ${db.where}：${result.tables.length} 张表，` +
      `${totalRows(result.tables).toLocaleString('en-US')} 行，${result.sequences} 个序列（服务器标识 ${result.serverId}，` +
      `结构版本 ${result.schemaVersion}${result.applied.length ? `，随后升级 ${result.applied.join('、')} 到 ${result.finalSchemaVersion}` : ''}，用时 ${seconds} 秒）`,
  );
  console.log(tableLines(result.tables));
  if (result.tables.some((t) => t.name === 'audit' && t.rows > 0)) console.log(AUDIT_KEY_NOTE);
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      database: { type: 'string' },
      data: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      out: { type: 'string' },
      from: { type: 'string' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'audit-key': { type: 'string' },
      'platform-dir': { type: 'string' },
      'demo-platform': { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
}
try {
  parsed = parse();
} catch (e) {
  fail(`参数有误：${message(e)}`);
}
const { values, positionals } = parsed;

if (positionals.length > 1) fail(`多余的参数：${positionals.slice(1).join(' ')}`);
const command = positionals[0];
if (command !== undefined && command !== 'backup' && command !== 'restore') fail(`未知的子命令：${command}（可用：backup、restore）`);

if (values.database && values.data) fail('--database 与 --data 只能选一个');
if (!values.database && !values.data) fail('请用 --database 指定 PostgreSQL，或用 --data 指定 PGlite 数据目录');
const database: DatabaseTarget = values.database ? { kind: 'postgres', url: values.database } : { kind: 'pglite', dataDir: resolve(values.data!) };

if (command === undefined) {
  if (values.out !== undefined || values.from !== undefined) fail('--out 只用于 backup，--from 只用于 restore');
  await serve(database);
} else {
  if (values.port !== undefined || values.host !== undefined || values['tls-cert'] !== undefined || values['audit-key'] !== undefined) fail(`--port、--host、--tls-cert 与 --audit-key 只用于启动服务器，不用于 ${command}`);
  if (command === 'backup') {
    if (values.from !== undefined) fail('backup 用 --out 指定备份文件，--from 只用于 restore');
    if (!values.out) fail('请用 --out 指定备份文件，例如 --out opsp-backup.jsonl.gz');
    await backup(database, resolve(values.out));
  } else {
    if (values.out !== undefined) fail('restore 用 --from 指定备份文件，--out 只用于 backup');
    if (!values.from) fail('请用 --from 指定要恢复的备份文件');
    await restore(database, resolve(values.from));
  }
}
