/**
 * Starting and stopping the hospital server: open the database, migrate it, listen. The same
 * function serves the standalone command (cli.ts) and the app's embedded server (main process and
 * the browser-mode host), which runs it on PGlite in the app's data folder on a loopback port.
 */
import type { FastifyInstance } from 'fastify';
import { buildServer } from './app';
import { openDatabase, type DatabaseTarget, type ServerDb } from './database';
import { migrate, schemaVersion } from './migrations';

export interface ServerOptions {
  database: DatabaseTarget;
  port: number;
  /** 127.0.0.1 unless the hospital's IT says otherwise (the LAN address of the server machine). */
  host?: string;
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  db: ServerDb;
  app: FastifyInstance;
  close(): Promise<void>;
}

export const DATABASE_LABELS: Record<ServerDb['kind'], string> = { pglite: 'PGlite（内置）', postgres: 'PostgreSQL' };

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const db = await openDatabase(options.database);
  try {
    const applied = await migrate(db.orm);
    const version = await schemaVersion(db.orm);
    const app = await buildServer(db);
    const host = options.host ?? '127.0.0.1';
    await app.listen({ port: options.port, host });
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    options.log?.(`院内服务器已启动：${url}  数据库：${DATABASE_LABELS[db.kind]} ${db.where}  结构版本 ${version}${applied.length ? `（本次升级 ${applied.join('、')}）` : ''}`);
    return {
      url,
      db,
      app,
      close: async () => {
        await app.close();
        await db.close();
      },
    };
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
}
