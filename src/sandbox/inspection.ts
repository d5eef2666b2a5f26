/**
 * Sandbox-only endpoints under /sandbox/, outside the national interface, for tests and trainers:
 * health, persons, filings, recognitions, faults, reset. Never subject to faults.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { SandboxContext } from './context';
import { faultJsonSchema, faultJsonToSpec, FaultSpecError, parseFaultSpec, type FaultInjector } from './faults';
import { first, rows, sql, trusted, type Sql } from './sql';

export interface Stats {
  requests: number;
  byInfno: Record<string, { ok: number; refused: number }>;
  faults: Record<string, number>;
  badRequests: number;
}

export interface InspectionDeps {
  ctx: SandboxContext;
  faults: FaultInjector;
  stats: Stats;
  startedAt: Date;
  /** Deletes every run's data; with a number, also replaces the persons with that many. */
  reset(persons: number | null): Promise<void>;
}

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);

/** The body of a /sandbox/ POST: JSON when the content type says so, else text. */
function readBody(req: FastifyRequest): unknown {
  const raw = req.body;
  if (!Buffer.isBuffer(raw) || raw.length === 0) return undefined;
  const text = raw.toString('utf8');
  if (/\bjson\b/i.test(req.headers['content-type'] ?? '')) return JSON.parse(text) as unknown;
  return text;
}

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100_000).default(1000),
  offset: z.coerce.number().int().min(0).default(0),
  psn_no: z.string().optional(),
  certno: z.string().optional(),
  status: z.enum(['active', 'revoked']).optional(),
});

function whereClause(conditions: (Sql | null)[]): Sql {
  const parts = conditions.filter((c): c is Sql => c !== null);
  return parts.length === 0 ? trusted('') : trusted(`where ${parts.map((p) => p.text).join(' and ')}`);
}

function badRequest(reply: FastifyReply, message: string) {
  return reply.code(400).send({ ok: false, error: message });
}

export function registerInspection(app: FastifyInstance, deps: InspectionDeps): void {
  const { ctx } = deps;

  app.get('/sandbox/health', async () => {
    const counts = await first<Record<string, number>>(
      ctx.db,
      sql`select (select count(*)::int from persons) as persons,
                 (select count(*)::int from filings) as filings,
                 (select count(*)::int from filings where status = 'active') as active_filings,
                 (select count(*)::int from sessions) as sessions,
                 (select count(*)::int from files) as files,
                 (select count(*)::int from recognitions) as recognitions`,
    );
    return {
      ok: true,
      name: 'opsp-platform-sandbox',
      startedAt: iso(deps.startedAt),
      uptimeMs: Date.now() - deps.startedAt.getTime(),
      dialect: ctx.settings.dialect.preset,
      regionCode: ctx.settings.regionCode,
      recognitionInfno: ctx.settings.recognitionInfno,
      maxFileBytes: ctx.settings.maxFileBytes,
      sessionTtlSeconds: ctx.settings.sessionTtlMs / 1000,
      policy: { id: ctx.pack.id, version: ctx.pack.version, title: ctx.pack.title, diseases: ctx.pack.diseases.length },
      faults: deps.faults.spec,
      counts,
      stats: deps.stats,
    };
  });

  app.get('/sandbox/persons', async (req, reply) => {
    const q = listQuery.safeParse(req.query);
    if (!q.success) return badRequest(reply, q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { limit, offset, psn_no, certno } = q.data;
    const where = whereClause([psn_no ? sql`psn_no = ${psn_no}` : null, certno ? sql`certno = ${certno}` : null]);
    const persons = await rows(ctx.db, sql`select * from persons ${where} order by seq nulls last, psn_no limit ${limit} offset ${offset}`);
    const total = (await first<{ n: number }>(ctx.db, sql`select count(*)::int as n from persons ${where}`))!.n;
    return { total, persons };
  });

  app.get('/sandbox/filings', async (req, reply) => {
    const q = listQuery.safeParse(req.query);
    if (!q.success) return badRequest(reply, q.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    const { limit, offset, psn_no, status } = q.data;
    const where = whereClause([psn_no ? sql`psn_no = ${psn_no}` : null, status ? sql`status = ${status}` : null]);
    const list = await rows<Record<string, unknown>>(
      ctx.db,
      sql`select * from filings ${where} order by filed_at, trt_dcla_detl_sn limit ${limit} offset ${offset}`,
    );
    const total = (await first<{ n: number }>(ctx.db, sql`select count(*)::int as n from filings ${where}`))!.n;
    return {
      total,
      filings: list.map((r) => ({ ...r, filed_at: iso(r.filed_at as Date), revoked_at: iso(r.revoked_at as Date | null), reviewed_at: iso(r.reviewed_at as Date | null) })),
    };
  });

  app.get('/sandbox/recognitions', async () => {
    const list = await rows<Record<string, unknown>>(ctx.db, sql`select * from recognitions order by received_at, rcgn_sn`);
    return { total: list.length, recognitions: list.map((r) => ({ ...r, received_at: iso(r.received_at as Date) })) };
  });

  app.get('/sandbox/faults', async () => ({ ok: true, spec: deps.faults.spec, config: deps.faults.config }));

  app.post('/sandbox/faults', async (req, reply) => {
    let spec: string;
    try {
      const body = readBody(req);
      if (typeof body === 'string') spec = body;
      else if (body && typeof body === 'object' && typeof (body as { spec?: unknown }).spec === 'string') spec = (body as { spec: string }).spec;
      else if (body && typeof body === 'object') {
        const j = faultJsonSchema.safeParse(body);
        if (!j.success) return badRequest(reply, `故障设置无效：${j.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
        spec = faultJsonToSpec(j.data);
      } else return badRequest(reply, '请提交故障设置（文本或 JSON），例如 seed=42;drop@0.1；"off" 关闭故障');
      deps.faults.set(parseFaultSpec(spec));
    } catch (e) {
      if (e instanceof FaultSpecError || e instanceof SyntaxError) return badRequest(reply, e.message);
      throw e;
    }
    return { ok: true, spec: deps.faults.spec, config: deps.faults.config };
  });

  /**
   * Marks filings as reviewed by the insurance centre (so the hospital can no longer revoke
   * them): body `{"trt_dcla_detl_sn": "…"}` or `{"psn_no": "…"}` (all of the person's active filings).
   */
  app.post('/sandbox/filings/review', async (req, reply) => {
    let body: unknown;
    try {
      body = readBody(req);
    } catch (e) {
      return badRequest(reply, (e as Error).message);
    }
    const b = (body && typeof body === 'object' ? body : {}) as { trt_dcla_detl_sn?: unknown; psn_no?: unknown };
    const sn = typeof b.trt_dcla_detl_sn === 'string' ? b.trt_dcla_detl_sn : null;
    const psn = typeof b.psn_no === 'string' ? b.psn_no : null;
    if (!sn && !psn) return badRequest(reply, '请给出 trt_dcla_detl_sn 或 psn_no');
    const where = sn ? sql`trt_dcla_detl_sn = ${sn}` : sql`psn_no = ${psn}`;
    const updated = await rows<{ trt_dcla_detl_sn: string }>(
      ctx.db,
      sql`update filings set reviewed_at = ${ctx.now()} where ${where} and status = 'active' and reviewed_at is null returning trt_dcla_detl_sn`,
    );
    return { ok: true, reviewed: updated.map((r) => r.trt_dcla_detl_sn) };
  });

  app.post('/sandbox/reset', async (req, reply) => {
    let persons: number | null = null;
    try {
      const body = readBody(req);
      if (body && typeof body === 'object' && 'persons' in body) {
        const n = (body as { persons: unknown }).persons;
        if (!(typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 1_000_000)) return badRequest(reply, 'persons 应为 0–1000000 的整数');
        persons = n;
      }
    } catch (e) {
      return badRequest(reply, (e as Error).message);
    }
    await deps.reset(persons);
    const n = (await first<{ n: number }>(ctx.db, sql`select count(*)::int as n from persons`))!.n;
    return { ok: true, persons: n };
  });
}
