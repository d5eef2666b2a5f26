/**
 * The hospital server's HTTP face. Today: `GET /health`, what an IT person or a desk asks first
 * (is it up, on which database, at which schema version). Desks' pull, push and hints follow on
 * the same app (architecture.md §10).
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { sql } from 'drizzle-orm';
import type { ServerDb } from './database';
import { firstRow, schemaVersion } from './migrations';

export interface Health {
  status: 'ok';
  database: ServerDb['kind'];
  schemaVersion: number;
  serverId: string;
}

export async function buildServer(db: ServerDb): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.get('/health', async (_req, reply) => {
    try {
      const id = firstRow<{ value: string }>(await db.orm.execute(sql`select value from server_info where key = ${'server_id'}`));
      const body: Health = { status: 'ok', database: db.kind, schemaVersion: await schemaVersion(db.orm), serverId: id?.value ?? '' };
      return body;
    } catch (e) {
      return reply.code(503).send({ status: 'unavailable', database: db.kind, message: `数据库不可用：${e instanceof Error ? e.message : String(e)}` });
    }
  });
  return app;
}
