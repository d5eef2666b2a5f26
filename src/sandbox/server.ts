/**
 * The provincial platform sandbox: a Fastify server speaking the national envelope on every
 * `POST /fsi/api/*` (dispatched on infno, so single-endpoint and per-transaction routes both
 * work), with sandbox-only inspection under /sandbox/. Embeddable (startSandbox) and standalone
 * (cli.ts). See docs/sandbox.md.
 */
import type { Socket } from 'node:net';
import Fastify, { type FastifyError, type FastifyReply, type FastifyRequest } from 'fastify';
import { DEFAULT_MAX_FILE_BYTES, DEFAULT_RECOGNITION_INFNO, NATIONAL_INFNOS } from '../shared/platform/index';
import type { SandboxContext } from './context';
import { openDb, wipe } from './db';
import { dispatch, peekInfno, Responder } from './dispatch';
import { FaultInjector, parseFaultSpec } from './faults';
import { registerInspection, type Stats } from './inspection';
import { loadPolicyPack } from './policy';
import { seedPersons } from './seed';

export interface SandboxOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  dataDir: string;
  seedPersons?: number;
  /** Fault spec, e.g. `seed=42;delay=20-200@0.1;drop@0.1` (see faults.ts). */
  faults?: string;
  /** Default resources/policy/shanxi-2025.json, found from the repo root or the app's resources. */
  policyPackPath?: string;
  /** A pack as JSON (object or text); wins over policyPackPath. */
  policyPack?: unknown;
  /** Code of the recognition extension transaction; default HR01. */
  recognitionInfno?: string;
  /** The platform's 6-digit region code (inf_refmsgid, serial numbers, persons' insuplc_admdvs); default the pack's. */
  regionCode?: string;
  /** Largest 9101 file; default 15 MB. */
  maxFileBytes?: number;
  log?: (line: string) => void;
  /** How long a 9001 session lasts; default 8 hours. */
  sessionTtlSeconds?: number;
  /** The platform's clock (tests move it to expire sessions and downloads). */
  now?: () => Date;
  /** Where the PGlite initdb template is cached; default <tmpdir>/opsp-sandbox-cache. */
  cacheDir?: string;
}

export interface RunningSandbox {
  /** e.g. http://127.0.0.1:43121 */
  url: string;
  port: number;
  close(): Promise<void>;
}

const DEFAULT_SESSION_TTL_S = 8 * 3600;
const DOWNLOAD_TTL_MS = 7 * 24 * 3600 * 1000;

type JsonBody = { ok: true; value: unknown } | { ok: false; message: string };

/** Reads the raw body of a national-interface request as JSON, or says what is wrong with it. */
function readJson(req: FastifyRequest): JsonBody {
  const type = req.headers['content-type'];
  const raw = req.body;
  if (!Buffer.isBuffer(raw) || raw.length === 0) return { ok: false, message: '请求体为空：应为 JSON 报文' };
  if (!type || !/^application\/json\s*(;|$)/i.test(type)) {
    return { ok: false, message: `不支持的 Content-Type：${type ?? '（无）'}，应为 application/json` };
  }
  const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1];
  if (charset && !/^utf-?8$/i.test(charset)) return { ok: false, message: `不支持的字符集 ${charset}：应为 UTF-8` };
  try {
    return { ok: true, value: JSON.parse(raw.toString('utf8')) as unknown };
  } catch (e) {
    return { ok: false, message: `报文不是有效的 JSON：${(e as Error).message}` };
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const log = options.log ?? (() => {});
  const now = options.now ?? (() => new Date());
  const pack = loadPolicyPack(options);
  const regionCode = options.regionCode ?? pack.region.code ?? '140000';
  if (!/^\d{6}$/.test(regionCode)) throw new Error(`医保区划应为 6 位数字：${regionCode}`);
  const recognitionInfno = options.recognitionInfno ?? DEFAULT_RECOGNITION_INFNO;
  if (!/^[0-9A-Za-z]{1,5}$/.test(recognitionInfno) || (NATIONAL_INFNOS as readonly string[]).includes(recognitionInfno)) {
    throw new Error(`互认扩展交易编号无效或与国家交易冲突：${recognitionInfno}`);
  }
  const maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const faults = new FaultInjector(parseFaultSpec(options.faults ?? ''));

  const opened = await openDb({ dataDir: options.dataDir, cacheDir: options.cacheDir, log });
  const ctx: SandboxContext = {
    db: opened.db,
    filesDir: opened.filesDir,
    pack,
    settings: {
      regionCode,
      recognitionInfno,
      maxFileBytes,
      sessionTtlMs: (options.sessionTtlSeconds ?? DEFAULT_SESSION_TTL_S) * 1000,
      downloadTtlMs: DOWNLOAD_TTL_MS,
    },
    now,
    sessions: new Map(),
    persons: new Map(),
  };

  try {
    const added = await seedPersons(ctx.db, options.seedPersons ?? 0, regionCode);
    if (added > 0) log(`已生成 ${added} 名虚构参保人`);
  } catch (e) {
    await opened.close();
    throw e;
  }

  const responder = new Responder(regionCode, now);
  const stats: Stats = { requests: 0, byInfno: {}, faults: {}, badRequests: 0 };
  const startedAt = new Date();
  const hanging = new Map<Socket, NodeJS.Timeout>();
  // Requests still at the database when close() is called finish before the database closes.
  const inflight = new Set<Promise<unknown>>();
  let closed = false;
  // A 9101 body carries the file as base64 (4/3 of its size) plus the envelope.
  const apiBodyLimit = Math.ceil(maxFileBytes / 3) * 4 + 256 * 1024;

  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const count = (infno: string | null, ok: boolean) => {
    const key = infno ?? '（无）';
    const entry = (stats.byInfno[key] ??= { ok: 0, refused: 0 });
    if (ok) entry.ok += 1;
    else entry.refused += 1;
  };

  app.post('/fsi/api/*', { bodyLimit: apiBodyLimit }, async (req: FastifyRequest, reply: FastifyReply) => {
    const receivedAt = now();
    stats.requests += 1;
    const body = readJson(req);
    if (!body.ok) {
      stats.badRequests += 1;
      return reply.code(400).send(responder.failure(receivedAt, body.message));
    }
    const infno = peekInfno(body.value);
    const fault = faults.decide(infno);
    if (fault.delayMs > 0) {
      stats.faults.delay = (stats.faults.delay ?? 0) + 1;
      await sleep(fault.delayMs);
    }
    if (fault.kind !== 'none') stats.faults[fault.kind] = (stats.faults[fault.kind] ?? 0) + 1;
    const socket = req.raw.socket;
    if (fault.kind === '5xx') {
      log(`[fault] ${infno ?? '-'} → HTTP ${fault.status}`);
      return reply.code(fault.status).type('text/html; charset=utf-8').send(`<html><body><h1>${fault.status}</h1><p>sandbox fault</p></body></html>`);
    }
    if (fault.kind === 'reset') {
      log(`[fault] ${infno ?? '-'} → connection reset`);
      reply.hijack();
      socket.resetAndDestroy();
      return;
    }
    if (fault.kind === 'hang') {
      log(`[fault] ${infno ?? '-'} → hang (${fault.capMs} ms)`);
      reply.hijack();
      hanging.set(socket, setTimeout(() => {
        hanging.delete(socket);
        socket.destroy();
      }, fault.capMs));
      socket.once('close', () => {
        clearTimeout(hanging.get(socket));
        hanging.delete(socket);
      });
      return;
    }
    if (closed) return reply.code(503).send(responder.failure(now(), '沙箱正在关闭'));
    const work = dispatch(ctx, responder, body.value, receivedAt);
    inflight.add(work);
    const outcome = await work.finally(() => {
      inflight.delete(work);
      opened.markDirty();
    });
    const ok = outcome.kind === 'file' || outcome.body.infcode === 0;
    count(outcome.infno, ok);
    log(`${outcome.infno ?? '-'} ${ok ? 'ok' : `refused: ${outcome.kind === 'envelope' ? outcome.body.err_msg : ''}`}${fault.kind === 'drop' ? ' [fault: committed, response dropped]' : ''}`);
    if (fault.kind === 'drop') {
      reply.hijack();
      socket.destroy();
      return;
    }
    if (outcome.kind === 'file') {
      return reply
        .type('application/octet-stream')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(outcome.filename)}`)
        .header('x-inf-refmsgid', outcome.refmsgid)
        .send(outcome.bytes);
    }
    return reply.type('application/json; charset=utf-8').send(outcome.body);
  });

  registerInspection(app, {
    ctx,
    faults,
    stats,
    startedAt,
    async reset(persons) {
      opened.markDirty();
      await wipe(ctx.db, ctx.filesDir, persons !== null);
      ctx.sessions.clear();
      ctx.persons.clear();
      if (persons !== null) await seedPersons(ctx.db, persons, regionCode);
      stats.requests = 0;
      stats.badRequests = 0;
      stats.byInfno = {};
      stats.faults = {};
    },
  });

  app.setNotFoundHandler((req, reply) => {
    const message = `接口地址不存在：${req.method} ${req.url}（国家接口为 POST /fsi/api/…，沙箱检查接口在 /sandbox/ 下）`;
    if (req.url.startsWith('/sandbox/')) return reply.code(404).send({ ok: false, error: message });
    return reply.code(404).send(responder.failure(now(), message));
  });

  app.setErrorHandler((err: FastifyError, req, reply) => {
    const tooLarge = err.code === 'FST_ERR_CTP_BODY_TOO_LARGE';
    const clientError = tooLarge || (err.statusCode !== undefined && err.statusCode >= 400 && err.statusCode < 500);
    const limit = req.url.startsWith('/fsi/api/') ? apiBodyLimit : 1024 * 1024;
    const message = tooLarge ? `请求体过大：超过 ${limit} 字节上限` : clientError ? `请求无效：${err.message}` : `平台内部错误：${err.message}`;
    if (!clientError) log(`[error] ${req.method} ${req.url}: ${err.stack ?? err.message}`);
    if (req.url.startsWith('/sandbox/')) return reply.code(clientError ? 400 : 500).send({ ok: false, error: message });
    return reply.code(clientError ? 400 : 500).send(responder.failure(now(), message));
  });

  try {
    await app.listen({ port: options.port ?? 0, host: options.host ?? '127.0.0.1' });
  } catch (e) {
    await opened.close();
    throw e;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const host = options.host ?? '127.0.0.1';
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  log(`慢特病平台沙箱已启动：${url}（数据目录 ${options.dataDir}，政策包 ${pack.id} ${pack.version}，故障 ${faults.spec}）`);

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    close() {
      closing ??= (async () => {
        closed = true;
        for (const [socket, timer] of hanging) {
          clearTimeout(timer);
          socket.destroy();
        }
        hanging.clear();
        try {
          await app.close();
          await Promise.allSettled([...inflight]);
        } finally {
          await opened.close();
        }
      })();
      return closing;
    },
  };
}
