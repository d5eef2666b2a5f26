import type { PlatformConfig, PlatformConfigUpdate, PlatformConfigView, PlatformSecretName } from '../../shared/platform-config';
import { PLATFORM_SECRET_LABELS, platformConfigUpdateSchema, requiredSecrets } from '../../shared/platform-config';
import { HandlerError } from '../../shared/ipc/result';
import { createPlatformConfigStore, type LoadedConfig } from './config-store';
import { sm2PublicKeyOf } from './envelope-signing';
import { createPlatformGateway, DEMO_LABEL, type PlatformGateway, type PlatformGatewayOptions } from './gateway';
import type { HeldSignIn } from './sign-in-session';
import type { SecretStore } from './secret-store';
import type { Dialect } from '../../shared/platform/dialect';
import type { PlatformSendRequest, PlatformSendResponse, PlatformStatus } from './send-types';

/**
 * What the platform.* channels do: keep the settings and secrets, and one gateway built from
 * them, rebuilt whenever an administrator saves new settings.
 */
export interface PlatformService {
  send(request: PlatformSendRequest): Promise<PlatformSendResponse>;
  status(): Promise<PlatformStatus>;
  getConfig(): Promise<PlatformConfigView>;
  setConfig(update: PlatformConfigUpdate): Promise<PlatformConfigView>;
  close(): Promise<void>;
}

/** The embedded sandbox's dialect (read from the settings when the app started) and its invented secrets. */
export interface DemoPlatformSpeaks {
  dialect: Dialect;
  secrets: NonNullable<PlatformGatewayOptions['secrets']>;
}

export interface PlatformServiceOptions {
  dataDir: string;
  secretStore: SecretStore;
  demoPlatformUrl?: string;
  demoPlatformSpeaks?: DemoPlatformSpeaks;
  log?: (line: string) => void;
  /** Passed through to the gateway (tests pin the host identity or the msgid allocator). */
  gateway?: Pick<PlatformGatewayOptions, 'host' | 'msgids' | 'now'>;
}

const secretKey = (name: PlatformSecretName) => `platform.${name}`;

export function createPlatformService(options: PlatformServiceOptions): PlatformService {
  const store = createPlatformConfigStore(options.dataDir);
  const secrets = options.secretStore;
  let loaded: Promise<LoadedConfig> | undefined;
  let gateway: Promise<PlatformGateway> | undefined;

  const config = () => (loaded ??= store.load());

  async function build(carriedSignIn?: HeldSignIn): Promise<PlatformGateway> {
    const { config: current } = await config();
    const demo = current.mode === 'demo' ? options.demoPlatformSpeaks : undefined;
    // In demo mode the gateway speaks the embedded sandbox's dialect with its invented secrets;
    // a dialect chosen since takes effect when the app (and the sandbox) starts again.
    if (demo) {
      return createPlatformGateway({ ...options.gateway, config: { ...current, dialect: demo.dialect }, demoBaseUrl: options.demoPlatformUrl, secrets: demo.secrets, log: options.log, carriedSignIn });
    }
    return createPlatformGateway({
      ...options.gateway,
      config: current,
      demoBaseUrl: options.demoPlatformUrl,
      secrets: {
        sm2PrivateKey: await secrets.get(secretKey('sm2PrivateKey')),
        password: await secrets.get(secretKey('password')),
        clientSecret: await secrets.get(secretKey('clientSecret')),
        tifToken: await secrets.get(secretKey('tifToken')),
        sm4Key: await secrets.get(secretKey('sm4Key')),
      },
      log: options.log,
      carriedSignIn,
    });
  }
  const current = () => (gateway ??= build());

  async function view(): Promise<PlatformConfigView> {
    const { config: settings } = await config();
    const privateKey = await secrets.get(secretKey('sm2PrivateKey'));
    return {
      config: settings,
      secrets: {
        sm2PrivateKey: privateKey !== undefined,
        password: (await secrets.get(secretKey('password'))) !== undefined,
        clientSecret: (await secrets.get(secretKey('clientSecret'))) !== undefined,
        tifToken: (await secrets.get(secretKey('tifToken'))) !== undefined,
        sm4Key: (await secrets.get(secretKey('sm4Key'))) !== undefined,
      },
      sm2PublicKey: privateKey ? sm2PublicKeyOf(privateKey) : undefined,
      demoAvailable: Boolean(options.demoPlatformUrl),
      demoDialect: options.demoPlatformUrl ? (options.demoPlatformSpeaks?.dialect.preset ?? 'national') : undefined,
      secretProtection: secrets.protection,
    };
  }

  /** Rules that need the stored secrets, which the schema cannot see. */
  async function checkSecrets(next: PlatformConfig, update: PlatformConfigUpdate['secrets']): Promise<void> {
    const willHave = async (name: PlatformSecretName) => {
      const given = update?.[name];
      return given === undefined ? (await secrets.get(secretKey(name))) !== undefined : given !== null;
    };
    for (const name of requiredSecrets(next)) {
      if (!(await willHave(name))) {
        throw new HandlerError('PLATFORM_CONFIG_INVALID', `所选平台方言需要${PLATFORM_SECRET_LABELS[name]}，请先设置`);
      }
    }
  }

  return {
    async send(request) {
      const { problem } = await config();
      if (problem) return { outcome: 'transient', reason: 'config_invalid', message: problem };
      return (await current()).send(request);
    },
    async status() {
      const { problem } = await config();
      const answer = (await current()).status();
      return problem ? { ...answer, label: '平台设置无效', lastError: problem } : answer;
    },
    getConfig: view,
    async setConfig(raw) {
      const update = platformConfigUpdateSchema.parse(raw);
      await checkSecrets(update.config, update.secrets);
      for (const [name, value] of Object.entries(update.secrets) as [PlatformSecretName, string | null | undefined][]) {
        if (value === null) await secrets.delete(secretKey(name));
        else if (value !== undefined) await secrets.set(secretKey(name), name === 'sm2PrivateKey' || name === 'sm4Key' ? value.toLowerCase() : value);
      }
      const before = (await config()).config;
      await store.save(update.config);
      loaded = Promise.resolve({ config: update.config });
      const previous = gateway;
      // Only the operator changed and the dialect keeps a session across that: the platform
      // session goes on (every message names the new operator); otherwise the next message signs in.
      const carry = onlyOperatorChanged(before, update.config, update.secrets) && update.config.dialect.signIn.againOnOperatorChange === false;
      const held = carry ? await previous?.then((old) => old.heldSignIn()).catch(() => undefined) : undefined;
      gateway = held ? build(held) : undefined;
      // Messages already on their way finish on the old gateway; new ones use the new settings.
      void previous?.then((old) => old.close()).catch(() => undefined);
      options.log?.(`[platform] settings saved: ${update.config.mode === 'demo' ? DEMO_LABEL : update.config.baseUrl}`);
      return view();
    },
    async close() {
      await (await gateway)?.close();
    },
  };
}

/** The settings differ in the operator alone (no secret given either). */
function onlyOperatorChanged(before: PlatformConfig, after: PlatformConfig, secrets: PlatformConfigUpdate['secrets']): boolean {
  if (Object.values(secrets ?? {}).some((v) => v !== undefined)) return false;
  if (JSON.stringify(before.operator) === JSON.stringify(after.operator)) return false;
  return JSON.stringify({ ...before, operator: null }) === JSON.stringify({ ...after, operator: null });
}
