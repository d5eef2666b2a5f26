/**
 * The hospital server's HTTP face (architecture.md §10). `GET /health` for anyone (is it up, on
 * which database, at which schema version); everything else only for an enrolled desk, and past
 * login only with a session: enrolment, login, push (commands), pull (the desk's share by cursor),
 * a drift check, hints (server-sent events) and material bytes by content hash.
 */
import { createHash } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import { sql } from 'drizzle-orm';
import type { ZodType } from 'zod';
import {
  DESK_HEADER,
  driftRequestSchema,
  enrolRequestSchema,
  loginRequestSchema,
  MAX_PULL_LIMIT,
  caseRowsRequestSchema,
  heldBlobsRequestSchema,
  pushRequestSchema,
  shareKeys,
  casesHash,
  type CaseRows,
  type Command,
  type Change,
  type ManyCaseRows,
  type PullResponse,
} from '../shared/hospital/protocol';
import { newPasswordSchema } from '../shared/domain/user';
import type { Orm, ServerDb } from './database';
import { firstRow, schemaVersion } from './migrations';
import { auditHead, verifyServerAudit } from './audit';
import { goLive, loadDemo } from './demo';
import {
  AuthError,
  countAccounts,
  deskByToken,
  enrolDesk,
  insertAccount,
  login,
  logout,
  makeEnrolmentCode,
  sessionByToken,
  accountById,
  publishAccount,
  type Desk,
  type PasswordPolicy,
  type Session,
} from './auth';
import { applyCommands, pushArriving, ServerFault } from './commands';
import { write, type Hospital } from './hospital';
import { hashPassword, verifyPassword } from './passwords';
import { rowsOf } from './store';
import { z, ZodError } from 'zod';
import { HandlerError } from '../shared/ipc/result';
import { platformQuerySchema } from '../shared/hospital/filings';

export interface Health {
  status: 'ok';
  database: ServerDb['kind'];
  schemaVersion: number;
  serverId: string;
}

/** Material files up to this size (a scanned record of many pages). */
export const MAX_BLOB_BYTES = 64 * 1024 * 1024;

export interface AppOptions {
  passwords?: PasswordPolicy;
  /** PEM certificate and key: the server speaks HTTPS (the hospital's certificate for the LAN). */
  tls?: { cert: string | Buffer; key: string | Buffer };
  /** Where faults are written (the server's log), never to the desk. */
  log?: (line: string) => void;
}

async function serverId(db: ServerDb): Promise<string> {
  return firstRow<{ value: string }>(await db.orm.execute(sql`select value from server_info where key = ${'server_id'}`))?.value ?? '';
}

function parse<T>(schema: ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new AuthError(400, `请求无效：${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}`);
  return r.data;
}

const bearer = (req: FastifyRequest) => {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7) : undefined;
};
const deskToken = (req: FastifyRequest) => {
  const v = req.headers[DESK_HEADER];
  return Array.isArray(v) ? v[0] : v;
};

export async function buildServer(h: Hospital, options: AppOptions = {}): Promise<FastifyInstance> {
  const { db } = h;
  const policy = options.passwords ?? {};
  const app = (options.tls ? Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024, https: { cert: options.tls.cert, key: options.tls.key } }) : Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024 })) as unknown as FastifyInstance;

  // Desks run from file:// (Electron) or another port (browser mode): allow them, with no
  // cookies involved (every credential is an explicit header).
  app.addHook('onRequest', async (req, reply) => {
    reply.header('access-control-allow-origin', '*');
    reply.header('access-control-allow-headers', `authorization, content-type, ${DESK_HEADER}, x-opsp-mime`);
    reply.header('access-control-allow-methods', 'GET, POST, PUT, OPTIONS');
    reply.header('access-control-allow-private-network', 'true');
    // The browser keeps a preflight's answer this long (Chromium caps it at 2 hours), so a desk's
    // pulls and pushes are not each preceded by an OPTIONS round trip.
    reply.header('access-control-max-age', '7200');
    if (req.method === 'OPTIONS') return reply.code(204).send();
  });
  app.addContentTypeParser('application/octet-stream', { parseAs: 'buffer', bodyLimit: MAX_BLOB_BYTES }, (_req, body, done) => done(null, body));

  app.setErrorHandler((error, req, reply) => {
    if (error instanceof AuthError) return reply.code(error.status).send({ message: error.message });
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status < 500) return reply.code(status).send({ message: `请求无效：${error instanceof Error ? error.message : String(error)}` });
    // The details (SQL, its parameters: possibly a patient's name or ID number) stay in the
    // server's own log; the desk is told only that it may try again.
    const cause = error instanceof ServerFault ? error.cause : error;
    options.log?.(`院内服务器出错（${req.method} ${req.url}${error instanceof ServerFault ? `，${error.kind}` : ''}）：${cause instanceof Error ? cause.message : String(cause)}`);
    return reply.code(503).send({ message: error instanceof ServerFault ? error.message : '院内服务器暂时出错，请稍后重试' });
  });

  const desk = (req: FastifyRequest): Promise<Desk> => deskByToken(db.orm, deskToken(req));
  const session = (req: FastifyRequest): Promise<Session> => sessionByToken(h, deskToken(req), bearer(req));

  app.get('/health', async (_req, reply) => {
    try {
      const body: Health = { status: 'ok', database: db.kind, schemaVersion: await schemaVersion(db.orm), serverId: await serverId(db) };
      return body;
    } catch (e) {
      return reply.code(503).send({ status: 'unavailable', database: db.kind, message: `数据库不可用：${e instanceof Error ? e.message : String(e)}` });
    }
  });

  // ---- desks and people ----

  app.post('/desks/enrol', async (req) => {
    const body = parse(enrolRequestSchema, req.body);
    const enrolled = await enrolDesk(h, body.code, body.name);
    return { ...enrolled, serverId: await serverId(db) };
  });

  app.post('/desks/codes', async (req) => {
    const s = await session(req);
    if (s.user.role !== 'admin') throw new AuthError(403, '只有管理员可以登记工作站');
    const { name } = parse(z.object({ name: z.string().trim().min(1).max(60) }), req.body);
    return makeEnrolmentCode(h, name, s.user.id);
  });

  /** What a desk asks before its login screen: is there any account yet (else: create the first administrator). */
  app.get('/auth/status', async (req) => {
    const d = await desk(req);
    return { desk: d, accounts: await countAccounts(db.orm), serverId: await serverId(db) };
  });

  app.post('/auth/setup', async (req) => {
    const d = await desk(req);
    const body = parse(
      z.object({ username: z.string(), displayName: z.string(), password: newPasswordSchema }).transform((v) => ({ ...v, username: v.username.trim().toLowerCase(), displayName: v.displayName.trim() })),
      req.body,
    );
    const passwordHash = await hashPassword(body.password, policy.scrypt);
    await write(h, async (store, tx) => {
      if (await countAccounts(tx)) throw new AuthError(409, '已存在账户，请由管理员创建新账户');
      await insertAccount(h, store, tx, { username: body.username, displayName: body.displayName, role: 'admin', passwordHash }, null, false);
    });
    return login(h, d, body.username, body.password, policy);
  });

  app.post('/auth/login', async (req) => {
    const d = await desk(req);
    const body = parse(loginRequestSchema, req.body);
    return login(h, d, body.username, body.password, policy);
  });

  app.post('/auth/logout', async (req) => {
    await logout(h, await session(req));
    return { ok: true };
  });

  /** A person changes their own password (required after an administrator's reset). */
  app.post('/auth/password', async (req) => {
    const s = await session(req);
    const body = parse(z.object({ current: z.string().max(256), next: newPasswordSchema }), req.body);
    const account = await accountById(db.orm, s.user.id);
    if (!account || !(await verifyPassword(body.current, account.password_hash, policy.scrypt ? [policy.scrypt] : undefined))) throw new AuthError(400, '当前密码不正确');
    if (body.current === body.next) throw new AuthError(400, '新密码不能与当前密码相同');
    const hash = await hashPassword(body.next, policy.scrypt);
    await write(h, async (store, tx) => {
      await tx.execute(sql`update accounts set password_hash = ${hash}, must_change_password = false where id = ${s.user.id}`);
      await tx.execute(sql`delete from sessions where user_id = ${s.user.id} and token_hash <> ${s.tokenHash}`);
      await store.audit({ kind: 'user.password-changed', actorId: s.user.id, at: h.now().toISOString(), subject: s.user.id, detail: {} });
      await publishAccount(h, store, tx, s.user.id);
    });
    return { ok: true };
  });

  // ---- sync ----

  app.post('/sync/push', async (req) => {
    // Counted from arrival, so that a group about to be applied can wait for a push still being authenticated.
    const arriving = pushArriving(h);
    let s: Session;
    let body: { commands: Command[] };
    try {
      s = await session(req);
      if (s.user.mustChangePassword) throw new AuthError(403, '请先修改密码');
      body = parse(pushRequestSchema, req.body);
    } finally {
      arriving.done();
    }
    return { results: await applyCommands(h, s, body.commands, policy) };
  });

  const pullQuery = z.object({ cursor: z.coerce.number().int().min(0).default(0), limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(500) });
  app.get('/sync/pull', async (req): Promise<PullResponse> => {
    const s = await session(req);
    const q = parse(pullQuery, req.query);
    return pull(h, shareKeys(s.user), q.cursor, q.limit);
  });

  // The same with the cursor in the body: one URL, so a browser reuses its CORS preflight
  // (access-control-max-age) instead of sending one before every page.
  app.post('/sync/pull', async (req): Promise<PullResponse> => {
    const s = await session(req);
    const q = parse(pullQuery, req.body ?? {});
    return pull(h, shareKeys(s.user), q.cursor, q.limit);
  });

  /**
   * One case as it now is, with its person and the person's certifications: what a desk replaces
   * its own copy with once the server has answered a command about the case (its speculative
   * effect is dropped). `held: false` when the case is not, or no longer, in the desk's share.
   */
  app.get('/sync/case/:id', async (req): Promise<CaseRows> => {
    const s = await session(req);
    const { id } = parse(z.object({ id: z.string().min(1).max(120) }), req.params);
    const [one] = await caseRows(db.orm, shareKeys(s.user), [id]);
    return { held: one!.held, rows: one!.rows };
  });

  /** The same for several cases in one request (what a desk refreshes after a pushed batch). */
  app.post('/sync/cases', async (req): Promise<ManyCaseRows> => {
    const s = await session(req);
    const { ids } = parse(caseRowsRequestSchema, req.body);
    return { cases: await caseRows(db.orm, shareKeys(s.user), ids) };
  });

  app.post('/sync/drift', async (req) => {
    const s = await session(req);
    const body = parse(driftRequestSchema, req.body);
    const ids = rowsOf<{ id: string }>(await db.orm.execute(sql`select id from records where tbl = 'cases' and shares && ${sql.param(shareKeys(s.user))}::text[] order by id`)).map((r) => r.id);
    const seen = body.auditHead ? rowsOf<{ hash: string }>(await db.orm.execute(sql`select hash from audit where seq = ${body.auditHead.seq}`))[0] : undefined;
    return { ok: casesHash(ids) === body.casesHash, cases: ids.length, auditOk: !body.auditHead || seen?.hash === body.auditHead.hash };
  });

  app.get('/sync/events', async (req, reply) => {
    const s = await session(req);
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'access-control-allow-origin': '*',
    });
    raw.write('retry: 2000\n\n');
    const stop = h.hints.listen(shareKeys(s.user), (seq) => raw.write(`event: changed\ndata: ${JSON.stringify({ seq })}\n\n`));
    const beat = setInterval(() => raw.write(': keep-alive\n\n'), 20_000);
    const end = () => {
      clearInterval(beat);
      stop();
    };
    req.raw.on('close', end);
    raw.on('error', end);
  });

  // ---- administration (online only) ----

  const admin = async (req: FastifyRequest) => {
    const s = await session(req);
    if (s.user.role !== 'admin') throw new AuthError(403, '只有管理员可以执行此操作');
    return s;
  };

  /** 设置 → 载入演示数据: invented cases and physicians for every desk, marked 演示. */
  app.post('/admin/demo', async (req) => {
    const s = await admin(req);
    const body = parse(
      z.object({ count: z.number().int().min(1).max(200_000).default(200), seed: z.number().int().min(0).max(0xffffffff).default(20_250_601), withMaterials: z.boolean().default(true) }),
      req.body ?? {},
    );
    const accounts = rowsOf<{ id: string; display_name: string; department: string | null }>(await db.orm.execute(sql`select id, display_name, department from accounts where role = 'physician' and not disabled`));
    return loadDemo(h, { ...body, actorId: s.user.id, physicianAccounts: accounts.map((a) => ({ id: a.id, displayName: a.display_name, department: a.department ?? undefined })) });
  });

  /** 正式启用: every demo record goes before real work starts. */
  app.post('/admin/go-live', async (req) => goLive(h, (await admin(req)).user.id));

  app.get('/admin/audit', async (req) => {
    await admin(req);
    return verifyServerAudit(db.orm, h.auditKey);
  });

  // ---- the provincial platform: only the server talks to it ----
  const office = async (req: FastifyRequest) => {
    const s = await session(req);
    if (s.user.role !== 'office' && s.user.role !== 'admin') throw new AuthError(403, '只有医保办或管理员可以使用此功能');
    return s;
  };
  const link = () => {
    if (!h.platform) throw new AuthError(409, '院内服务器未设置医保平台');
    return h.platform;
  };
  app.get('/platform/status', async (req) => {
    await session(req);
    return link().status();
  });
  app.get('/platform/config', async (req) => {
    await office(req);
    return link().service.getConfig();
  });
  app.put('/platform/config', async (req) => {
    const s = await admin(req);
    try {
      const view = await link().service.setConfig(req.body as never);
      await link().configChanged();
      await write(h, (store) => store.audit({ kind: 'platform.configured', actorId: s.user.id, at: h.now().toISOString(), subject: 'platform', detail: { mode: view.config.mode, baseUrl: view.config.baseUrl } }));
      return view;
    } catch (e) {
      if (e instanceof HandlerError || e instanceof ZodError) throw new AuthError(400, e instanceof ZodError ? `平台设置无效：${e.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('；')}` : e.message);
      throw e;
    }
  });
  app.post('/platform/query', async (req) => {
    await office(req);
    const q = parse(platformQuerySchema, req.body);
    return link().service.send({ infno: q.infno, input: q.input, ...(q.insuplcAdmdvs ? { insuplcAdmdvs: q.insuplcAdmdvs } : {}) });
  });

  // ---- material bytes ----

  app.put('/blobs/:sha256', async (req, reply) => {
    const s = await session(req);
    if (s.user.role === 'physician') throw new AuthError(403, '材料由医保办受理时上传');
    const { sha256 } = parse(z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }), req.params);
    const body = req.body;
    if (!Buffer.isBuffer(body)) throw new AuthError(400, '请以 application/octet-stream 上传文件内容');
    if (createHash('sha256').update(body).digest('hex') !== sha256) throw new AuthError(400, '文件内容与其摘要不符（传输中损坏），请重试');
    const mime = String(req.headers['x-opsp-mime'] ?? 'application/octet-stream').slice(0, 100);
    await db.orm.execute(sql`insert into blobs (sha256, bytes, size, mime) values (${sha256}, ${body}, ${body.length}, ${mime}) on conflict (sha256) do nothing`);
    return reply.code(201).send({ sha256, size: body.length });
  });

  /** Which of these files the server holds, within the desk's share: a desk fetches only those (demo materials carry no bytes). */
  app.post('/blobs/held', async (req) => {
    const s = await session(req);
    const { hashes } = parse(heldBlobsRequestSchema, req.body);
    const rows = rowsOf<{ sha256: string }>(
      await db.orm.execute(sql`
        select b.sha256 from blobs b
        where b.sha256 = any(${sql.param([...new Set(hashes)])}::text[])
          and exists (select 1 from records r where r.tbl = 'materials' and r.data ->> 'sha256' = b.sha256 and r.shares && ${sql.param(shareKeys(s.user))}::text[])`),
    );
    return { held: rows.map((r) => r.sha256) };
  });

  app.get('/blobs/:sha256', async (req, reply) => {
    const s = await session(req);
    const { sha256 } = parse(z.object({ sha256: z.string().regex(/^[0-9a-f]{64}$/) }), req.params);
    // Only a material in this person's share: a physician never reads another case's files.
    const visible = firstRow(await db.orm.execute(sql`select 1 as one from records where tbl = 'materials' and data ->> 'sha256' = ${sha256} and shares && ${sql.param(shareKeys(s.user))}::text[] limit 1`));
    const blob = visible ? rowsOf<{ bytes: Uint8Array; mime: string }>(await db.orm.execute(sql`select bytes, mime from blobs where sha256 = ${sha256}`))[0] : undefined;
    if (!blob) return reply.code(404).send({ message: '没有这份材料，或它不在您的工作范围内' });
    return reply.header('content-type', 'application/octet-stream').header('x-opsp-mime', blob.mime).header('cache-control', 'private, max-age=31536000, immutable').send(Buffer.from(blob.bytes));
  });

  return app;
}


/** What changed in these shares after `cursor`: rows as they now are, and removals, in sequence order. */
export async function pull(h: Hospital, keys: readonly string[], cursor: number, limit: number): Promise<PullResponse> {
  const shares = sql.param([...keys]);
  // Each branch walks its own seq index from the cursor and stops after limit + 1 matches; the
  // union then needs only those (sorting every change after the cursor made the first pages of a
  // large share cost seconds).
  const rows = rowsOf<{ op: 'put' | 'remove'; tbl: Change['table']; id: string; data: Record<string, unknown> | null; version: number; seq: number | string }>(
    await h.db.orm.execute(sql`
      select * from (
        (select 'put' as op, tbl, id, data, version, seq from records where seq > ${cursor} and shares && ${shares}::text[] order by seq limit ${limit + 1})
        union all
        (select 'remove' as op, tbl, id, null as data, 0 as version, seq from removals where seq > ${cursor} and shares && ${shares}::text[] order by seq limit ${limit + 1})
      ) changes order by seq limit ${limit + 1}`),
  );
  const more = rows.length > limit;
  const changes: Change[] = rows.slice(0, limit).map((r) =>
    r.op === 'put' ? { op: 'put', seq: Number(r.seq), table: r.tbl, id: r.id, version: Number(r.version), row: r.data ?? {} } : { op: 'remove', seq: Number(r.seq), table: r.tbl, id: r.id },
  );
  return { changes, cursor: changes.length ? changes[changes.length - 1]!.seq : cursor, more, auditHead: await auditHead(h.db.orm) };
}

/**
 * Cases as they now are, each with its person and the person's certifications, in the order asked;
 * `held: false` for a case not (or no longer) in these shares.
 */
export async function caseRows(orm: Orm, keys: readonly string[], ids: readonly string[]): Promise<(CaseRows & { id: string })[]> {
  const shares = sql.param([...keys]);
  const unique = [...new Set(ids)];
  const held = rowsOf<{ id: string; person: string }>(
    await orm.execute(sql`select id, data ->> 'personId' as person from records where tbl = 'cases' and id = any(${sql.param(unique)}::text[]) and shares && ${shares}::text[]`),
  );
  const personOf = new Map(held.map((r) => [r.id, r.person]));
  const scopes = [...new Set(held.flatMap((r) => [`case:${r.id}`, `person:${r.person}`]))];
  const rows = scopes.length
    ? rowsOf<{ tbl: Change['table']; id: string; data: Record<string, unknown>; version: number; seq: number | string; scope: string }>(
        await orm.execute(sql`select tbl, id, data, version, seq, scope from records where scope = any(${sql.param(scopes)}::text[]) and shares && ${shares}::text[] order by seq`),
      )
    : [];
  const byScope = new Map<string, Change[]>();
  for (const r of rows) {
    const list = byScope.get(r.scope) ?? [];
    list.push({ op: 'put', seq: Number(r.seq), table: r.tbl, id: r.id, version: Number(r.version), row: r.data });
    byScope.set(r.scope, list);
  }
  return ids.map((id) => {
    const person = personOf.get(id);
    if (person === undefined) return { id, held: false, rows: [] };
    const all = [...(byScope.get(`case:${id}`) ?? []), ...(byScope.get(`person:${person}`) ?? [])].sort((a, b) => a.seq - b.seq);
    return { id, held: true, rows: all };
  });
}
