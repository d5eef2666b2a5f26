/**
 * The hospital server, standalone on the hospital LAN:
 *
 *   npm run server -- --database postgres://user:pass@host:5432/opsp --port 8787 [--host 0.0.0.0]
 *   npm run server -- --data /srv/opsp --port 8787          (PGlite in that folder)
 *
 * It binds 127.0.0.1 unless told `--host`; `GET /health` says which database and schema version.
 */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { startServer } from './server';

const USAGE = `用法：npm run server -- (--database postgres://… | --data 目录) [--port 8787] [--host 127.0.0.1]`;

function fail(message: string): never {
  console.error(message);
  console.error(USAGE);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    database: { type: 'string' },
    data: { type: 'string' },
    port: { type: 'string', default: '8787' },
    host: { type: 'string', default: '127.0.0.1' },
  },
  strict: true,
});

if (values.database && values.data) fail('--database 与 --data 只能选一个');
if (!values.database && !values.data) fail('请用 --database 指定 PostgreSQL，或用 --data 指定 PGlite 数据目录');
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(`端口无效：${values.port}`);

const server = await startServer({
  database: values.database ? { kind: 'postgres', url: values.database } : { kind: 'pglite', dataDir: resolve(values.data!) },
  port,
  host: values.host,
  log: (line) => console.log(line),
}).catch((e: unknown) => fail(`院内服务器未能启动：${e instanceof Error ? e.message : String(e)}`));

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('院内服务器正在停止…');
    void server.close().then(() => process.exit(0));
  });
}
