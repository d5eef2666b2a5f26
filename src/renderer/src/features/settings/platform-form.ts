import {
  platformConfigUpdateSchema,
  type PlatformConfig,
  type PlatformConfigUpdate,
  type PlatformConfigView,
} from '../../../../shared/platform-config';

/**
 * The platform settings as the form holds them, and the way back to a setConfig request. The form
 * keeps both route paths and the signing/auth details while their switch is off, so toggling does
 * not lose what was typed; the schema in shared/platform-config.ts is the only validator.
 */
export interface PlatformFormValues extends Omit<PlatformConfig, 'routing' | 'signing' | 'auth'> {
  routing: {
    kind: PlatformConfig['routing']['kind'];
    path: string;
    pathTemplate: string;
    overrides: { infno: string; path: string }[];
  };
  signing: { kind: PlatformConfig['signing']['kind']; userId: string; format: 'raw-hex' | 'der-base64' };
  auth: { kind: PlatformConfig['auth']['kind']; username: string };
  /** Write-only: empty keeps the stored secret, `clear…` removes it. */
  secretsInput: { sm2PrivateKey?: string; clearSm2PrivateKey?: boolean; password?: string; clearPassword?: boolean };
}

export interface FieldError {
  name: (string | number)[];
  errors: string[];
}

const DEFAULT_PATH = '/fsi/api/rsfComIfsService/callService';
const DEFAULT_TEMPLATE = '/fsi/api/{infno}';

export function toFormValues(config: PlatformConfig): PlatformFormValues {
  const { routing, signing, auth } = config;
  return {
    ...config,
    routing: {
      kind: routing.kind,
      path: routing.kind === 'single' ? routing.path : DEFAULT_PATH,
      pathTemplate: routing.kind === 'perTransaction' ? routing.pathTemplate : DEFAULT_TEMPLATE,
      overrides: Object.entries(routing.overrides).map(([infno, path]) => ({ infno, path })),
    },
    signing: {
      kind: signing.kind,
      userId: signing.kind === 'SM2' ? signing.userId : '1234567812345678',
      format: signing.kind === 'SM2' ? signing.format : 'raw-hex',
    },
    auth: { kind: auth.kind, username: auth.kind === 'basic' ? auth.username : '' },
    secretsInput: {},
  };
}

function toRequest(values: PlatformFormValues): { config: unknown; secrets: PlatformConfigUpdate['secrets'] } {
  const { routing, signing, auth, secretsInput, ...rest } = values;
  const overrides = Object.fromEntries((routing.overrides ?? []).map((o) => [o.infno?.trim() ?? '', o.path?.trim() ?? '']));
  const secret = (value: string | undefined, clear: boolean | undefined) =>
    clear ? null : value?.trim() ? value.trim() : undefined;
  return {
    config: {
      ...rest,
      routing:
        routing.kind === 'single'
          ? { kind: 'single', path: routing.path, overrides }
          : { kind: 'perTransaction', pathTemplate: routing.pathTemplate, overrides },
      signing: signing.kind === 'SM2' ? signing : { kind: 'off' },
      auth: auth.kind === 'basic' ? auth : { kind: 'none' },
    },
    secrets: {
      sm2PrivateKey: secret(secretsInput?.sm2PrivateKey, secretsInput?.clearSm2PrivateKey),
      password: secret(secretsInput?.password, secretsInput?.clearPassword),
    },
  };
}

/** Where an issue of the update schema shows in the form. */
function formName(path: readonly PropertyKey[], values: PlatformFormValues): (string | number)[] {
  const [root, ...rest] = path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  if (root === 'secrets') return ['secretsInput', ...rest];
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
  if (values.signing.kind === 'SM2' && !has(request.secrets?.sm2PrivateKey, view?.secrets.sm2PrivateKey ?? false)) {
    errors.push({ name: ['secretsInput', 'sm2PrivateKey'], errors: ['启用 SM2 签名时必须设置 SM2 私钥'] });
  }
  if (values.auth.kind === 'basic' && !has(request.secrets?.password, view?.secrets.password ?? false)) {
    errors.push({ name: ['secretsInput', 'password'], errors: ['启用 HTTP 基本认证时必须设置平台密码'] });
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
