/**
 * The provincial platform sandbox: a Fastify server speaking the national envelope on every
 * `POST /fsi/api/*` (dispatched on infno, so single-endpoint and per-transaction routes both
 * work), with sandbox-only inspection under /sandbox/. Embeddable (startSandbox) and standalone
 * (cli.ts). See the README (section "The provincial platform sandbox").
 */
import { randomBytes } from 'node:crypto';
import Fastify, { type FastifyError } from 'fastify';
import { DEFAULT_MAX_FILE_BYTES, DEFAULT_RECOGNITION_INFNO, NATIONAL_INFNOS } from '../shared/platform/index';
import type { SandboxContext } from './context';
import { openDb, wipe } from './db';
import { Responder } from './dispatch';
import { FaultInjector, parseFaultSpec } from './faults';
import { registerInspection, type Stats } from './inspection';
import { registerNationalRoute } from './national-route';
import { loadPolicyPack } from './policy';
import { seedPersons } from './seed';
import { createSandboxAuth } from './auth';
import { loadOrCreateCredentials, type SandboxCredentials } from './credentials';
import { dialectPreset, dialectSchema, isDialectPresetName, type Dialect, type DialectInput, type DialectPresetName } from '../shared/platform/dialect';
import { sm4KeyFor, type DialectKeys } from '../shared/platform/dialect-crypto';

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
  /** The dialect the sandbox answers in: a preset's name or a whole dialect; default `national`. */
  dialect?: DialectPresetName | DialectInput;
  /** The credentials of the dialect; default made on first start and kept in the data directory. */
  credentials?: SandboxCredentials;
  /** How long an OAuth2 access token lasts; default 2 hours. */
  tokenTtlSeconds?: number;
}

export interface RunningSandbox {
  /** e.g. http://127.0.0.1:43121 */
  url: string;
  port: number;
  /** The dialect it answers in, with the credentials' client id and paasid filled in. */
  dialect: Dialect;
  /** What a workstation needs to speak that dialect to it (invented; also GET /sandbox/credentials). */
  credentials: SandboxCredentials;
  close(): Promise<void>;
}

const DEFAULT_SESSION_TTL_S = 8 * 3600;
const DOWNLOAD_TTL_MS = 7 * 24 * 3600 * 1000;

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
  const requested = options.dialect ?? 'national';
  if (typeof requested === 'string' && !isDialectPresetName(requested)) throw new Error(`未知的平台方言：${requested}`);
  const credentials = options.credentials ?? loadOrCreateCredentials(options.dataDir);
  const dialect = withCredentials(typeof requested === 'string' ? dialectPreset(requested) : dialectSchema.parse(requested), credentials);
  const keys: DialectKeys = {
    clientPublicKey: credentials.clientPublicKey,
    platformPrivateKey: credentials.platformPrivateKey,
    sm4Key: sm4KeyFor(dialect, credentials.sm4Key),
    random: (n) => randomBytes(n),
  };

  const opened = await openDb({ dataDir: options.dataDir, cacheDir: options.cacheDir, log });
  const ctx: SandboxContext = {
    db: opened.db,
    filesDir: opened.filesDir,
    pack,
    settings: {
      dialect,
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
  // A 9101 body carries the file as base64 (4/3 of its size) plus the envelope.
  const apiBodyLimit = Math.ceil(maxFileBytes / 3) * 4 + 256 * 1024;

  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const auth = createSandboxAuth(app, dialect, credentials, { now, tokenTtlSeconds: options.tokenTtlSeconds ?? 7200 });
  const national = registerNationalRoute(app, { ctx, faults, stats, responder, bodyLimit: apiBodyLimit, auth, keys, log });
  app.get('/sandbox/credentials', async () => ({ ok: true, dialect, credentials }));

  registerInspection(app, {
    ctx,
    faults,
    stats,
    startedAt,
    async reset(persons) {
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
  log(`慢特病平台沙箱已启动：${url}（数据目录 ${options.dataDir}，政策包 ${pack.id} ${pack.version}，方言 ${dialect.preset}，故障 ${faults.spec}）`);

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    dialect,
    credentials,
    close() {
      closing ??= (async () => {
        national.stop();
        try {
          await app.close();
          await national.drained();
        } finally {
          await opened.close();
        }
      })();
      return closing;
    },
  };
}

/** The dialect with the sandbox's own client id, user and paasid in place of the preset's placeholders. */
function withCredentials(dialect: Dialect, c: SandboxCredentials): Dialect {
  const auth = dialect.auth;
  if (auth.kind === 'oauth2') return { ...dialect, auth: { ...auth, clientId: c.clientId, username: c.username } };
  if (auth.kind === 'basic') return { ...dialect, auth: { ...auth, username: c.username } };
  if (auth.kind === 'tif') return { ...dialect, auth: { ...auth, paasid: c.paasid } };
  return dialect;
}
