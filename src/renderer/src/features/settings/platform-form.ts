import {
  PLATFORM_SECRET_LABELS,
  platformConfigUpdateSchema,
  platformSecretNames,
  requiredSecrets,
  type PlatformConfig,
  type PlatformConfigUpdate,
  type PlatformConfigView,
  type PlatformSecretName,
} from '../../../../shared/platform-config';
import {
  dialectSchema,
  matchesPreset,
  type Dialect,
  type DialectAuth,
  type DialectPresetName,
  type DialectSecurity,
} from '../../../../shared/platform/dialect';

/**
 * The platform settings as the form holds them, and the way back to a setConfig request. The form
 * keeps both route paths and every part of the dialect's authentication and signature while another
 * kind is chosen, so switching does not lose what was typed; the schema in shared/platform-config.ts
 * (and shared/platform/dialect.ts) is the only validator.
 */
export interface DialectFormValues {
  preset: DialectPresetName;
  auth: { kind: DialectAuth['kind']; username: string; clientId: string; tokenPath: string; scope: string; paasid: string; maxSkewSeconds: number };
  security: {
    kind: DialectSecurity['kind'];
    userId: string;
    /** The format of envelope-sm2. */
    envelopeFormat: 'raw-hex' | 'der-base64';
    /** The format of sm4-input. */
    sm4Format: 'raw-base64' | 'raw-hex' | 'der-base64';
    keySource: 'client-id' | 'secret';
    platformPublicKey: string;
  };
  signIn: Dialect['signIn'];
  msgid: Dialect['msgid'];
  answer: Dialect['answer'];
  uploadContentType: Dialect['uploadContentType'];
  downloadContentType: Dialect['downloadContentType'];
  catalogueZipped: boolean;
  infnoMaxLength: number;
}

export interface PlatformFormValues extends Omit<PlatformConfig, 'routing' | 'dialect'> {
  routing: {
    kind: PlatformConfig['routing']['kind'];
    path: string;
    pathTemplate: string;
    overrides: { infno: string; path: string }[];
    /** A second base URL and the codes that go there (comma- or space-separated in the form). */
    secondBaseUrl: string;
    secondBaseInfnos: string;
  };
  dialect: DialectFormValues;
  /** Write-only: empty keeps the stored secret, `clear…` removes it. */
  secretsInput: Partial<Record<PlatformSecretName, string>> & Partial<Record<`clear:${PlatformSecretName}`, boolean>>;
}

export interface FieldError {
  name: (string | number)[];
  errors: string[];
}

const DEFAULT_PATH = '/fsi/api/rsfComIfsService/callService';
const DEFAULT_TEMPLATE = '/fsi/api/{infno}';

export function dialectToForm(d: Dialect): DialectFormValues {
  const { auth, security } = d;
  return {
    preset: d.preset === 'custom' ? 'national' : d.preset,
    auth: {
      kind: auth.kind,
      username: auth.kind === 'basic' || auth.kind === 'oauth2' ? auth.username : '',
      clientId: auth.kind === 'oauth2' ? auth.clientId : '',
      tokenPath: auth.kind === 'oauth2' ? auth.tokenPath : '/oauth/token',
      scope: auth.kind === 'oauth2' ? auth.scope : '',
      paasid: auth.kind === 'tif' ? auth.paasid : '',
      maxSkewSeconds: auth.kind === 'tif' ? auth.maxSkewSeconds : 300,
    },
    security: {
      kind: security.kind,
      userId: security.kind === 'none' ? DEFAULT_USER_ID : security.userId,
      envelopeFormat: security.kind === 'envelope-sm2' ? security.format : 'raw-hex',
      sm4Format: security.kind === 'sm4-input' ? security.format : 'raw-base64',
      keySource: security.kind === 'sm4-input' ? security.keySource : 'client-id',
      platformPublicKey: security.kind === 'none' ? '' : security.platformPublicKey,
    },
    signIn: d.signIn,
    msgid: d.msgid,
    answer: d.answer,
    uploadContentType: d.uploadContentType,
    downloadContentType: d.downloadContentType,
    catalogueZipped: d.catalogueZipped,
    infnoMaxLength: d.infnoMaxLength,
  };
}

/** The dialect the form stands for (unparsed: the schema checks it). */
export function formToDialect(f: DialectFormValues): Record<string, unknown> {
  const a = f.auth;
  const auth =
    a.kind === 'basic'
      ? { kind: 'basic', username: a.username }
      : a.kind === 'oauth2'
        ? { kind: 'oauth2', tokenPath: a.tokenPath, clientId: a.clientId, username: a.username, scope: a.scope ?? '' }
        : a.kind === 'tif'
          ? { kind: 'tif', paasid: a.paasid, maxSkewSeconds: a.maxSkewSeconds }
          : { kind: 'none' };
  const sec = f.security;
  const security =
    sec.kind === 'envelope-sm2'
      ? { kind: 'envelope-sm2', userId: sec.userId, format: sec.envelopeFormat, platformPublicKey: sec.platformPublicKey ?? '' }
      : sec.kind === 'sm4-input'
        ? { kind: 'sm4-input', userId: sec.userId, keySource: sec.keySource, format: sec.sm4Format, platformPublicKey: sec.platformPublicKey ?? '' }
        : { kind: 'none' };
  return {
    preset: f.preset,
    auth,
    security,
    signIn: f.signIn,
    msgid: f.msgid,
    answer: f.answer,
    uploadContentType: f.uploadContentType,
    downloadContentType: f.downloadContentType,
    catalogueZipped: f.catalogueZipped,
    infnoMaxLength: f.infnoMaxLength,
  };
}

/** Whether the form's dialect differs from its preset beyond the hospital's own ids and keys. */
export function dialectAdjusted(f: DialectFormValues | undefined): boolean {
  if (!f) return false;
  const parsed = dialectSchema.safeParse(formToDialect(f));
  return parsed.success ? !matchesPreset(parsed.data) : true;
}

const DEFAULT_USER_ID = '1234567812345678';

export function toFormValues(config: PlatformConfig): PlatformFormValues {
  const { routing, dialect } = config;
  return {
    ...config,
    routing: {
      kind: routing.kind,
      path: routing.kind === 'single' ? routing.path : DEFAULT_PATH,
      pathTemplate: routing.kind === 'perTransaction' ? routing.pathTemplate : DEFAULT_TEMPLATE,
      overrides: Object.entries(routing.overrides).map(([infno, path]) => ({ infno, path })),
      secondBaseUrl: routing.secondBase?.url ?? '',
      secondBaseInfnos: (routing.secondBase?.infnos ?? []).join(', '),
    },
    dialect: dialectToForm(dialect),
    secretsInput: {},
  };
}

function toRequest(values: PlatformFormValues): { config: unknown; secrets: PlatformConfigUpdate['secrets'] } {
  const { routing, dialect, secretsInput, ...rest } = values;
  const overrides = Object.fromEntries((routing.overrides ?? []).map((o) => [o.infno?.trim() ?? '', o.path?.trim() ?? '']));
  const secret = (name: PlatformSecretName) => {
    const value = secretsInput?.[name];
    return secretsInput?.[`clear:${name}`] ? null : value?.trim() ? value.trim() : undefined;
  };
  const secondUrl = routing.secondBaseUrl?.trim() ?? '';
  const secondInfnos = (routing.secondBaseInfnos ?? '').split(/[\s,，、]+/).filter(Boolean);
  const secondBase = secondUrl || secondInfnos.length ? { secondBase: { url: secondUrl, infnos: secondInfnos } } : {};
  return {
    config: {
      ...rest,
      routing:
        routing.kind === 'single'
          ? { kind: 'single', path: routing.path, overrides, ...secondBase }
          : { kind: 'perTransaction', pathTemplate: routing.pathTemplate, overrides, ...secondBase },
      dialect: formToDialect(dialect),
    },
    secrets: Object.fromEntries(platformSecretNames.map((name) => [name, secret(name)]).filter(([, v]) => v !== undefined)),
  };
}

/** Where an issue of the update schema shows in the form. */
function formName(path: readonly PropertyKey[], values: PlatformFormValues): (string | number)[] {
  const [root, ...rest] = path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  if (root === 'secrets') return ['secretsInput', ...rest];
  if (rest[0] === 'dialect' && rest[1] === 'security' && rest[2] === 'format') {
    return ['dialect', 'security', values.dialect.security.kind === 'sm4-input' ? 'sm4Format' : 'envelopeFormat'];
  }
  if (rest[0] === 'routing' && rest[1] === 'secondBase') return ['routing', rest[2] === 'url' ? 'secondBaseUrl' : 'secondBaseInfnos'];
  if (rest[0] === 'routing' && rest[1] === 'overrides' && rest.length > 2) {
    const index = values.routing.overrides.findIndex((o) => o.infno?.trim() === rest[2]);
    return ['routing', 'overrides', Math.max(index, 0), 'path'];
  }
  return rest;
}

/** Checks the form against the shared schema; the request to send, or errors per form field. */
export function checkForm(
  values: PlatformFormValues,
  view: PlatformConfigView | undefined,
): { ok: true; update: PlatformConfigUpdate } | { ok: false; errors: FieldError[] } {
  const request = toRequest(values);
  const parsed = platformConfigUpdateSchema.safeParse(request);
  const errors: FieldError[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => ({ name: formName(issue.path, values), errors: [issue.message] }));
  // Rules that depend on the stored secrets, which the schema cannot see (main checks them too).
  const has = (given: string | null | undefined, stored: boolean) => (given === undefined ? stored : given !== null);
  if (parsed.success) {
    for (const name of requiredSecrets(parsed.data.config)) {
      if (!has(request.secrets?.[name], view?.secrets[name] ?? false)) {
        errors.push({ name: ['secretsInput', name], errors: [`所选平台方言需要${PLATFORM_SECRET_LABELS[name]}`] });
      }
    }
  }
  if (errors.length || !parsed.success) return { ok: false, errors };
  return { ok: true, update: parsed.data };
}

/** "平台比本机快 2 分 5 秒" — what the clock offset means to a person. */
export function describeClockOffset(ms: number): string {
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds < 1) return '与本机一致';
  const text = seconds >= 60 ? `${Math.floor(seconds / 60)} 分 ${seconds % 60} 秒` : `${seconds} 秒`;
  return `平台比本机${ms > 0 ? '快' : '慢'} ${text}`;
}
