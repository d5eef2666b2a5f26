import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createFileSecretStore } from '../server/platform/secret-store';
import { startSandbox } from '../sandbox/server';
import { DEMO_PLATFORM } from '../shared/demo/population';
import { dialectPreset, type Dialect } from '../shared/platform/dialect';
import { migratePlatformConfig, platformConfigSchema } from '../shared/platform-config';
import { createHandlers, type MainDeps } from './handlers';
import { createDispatch, type Dispatch, type Sender } from './ipc/dispatch';
import { createServerService, type ServerService } from './hospital-server/server-service';

export interface MainServices {
  dispatch: Dispatch;
  /** 演示平台 and its URL, or the configured endpoint. */
  platformLabel: () => string;
  /** Tests only: a new, empty embedded hospital server (its clock starting at `now`, when given). */
  resetHospitalServer: (now?: string) => Promise<void>;
  /** Tests only: rows written into the embedded hospital server. */
  seedHospitalServer: ServerService['seedEmbedded'];
  advanceHospitalServer: ServerService['advanceEmbedded'];
  /** Tests only: the embedded demo platform's address (its /sandbox endpoints set faults), when it runs. */
  demoPlatformUrl?: string;
  close: () => Promise<void>;
}


/** True unless an administrator has pointed the workstation at a real platform (platform.json). */
export function usesDemoPlatform(dataDir: string): boolean {
  const file = join(dataDir, 'platform.json');
  if (!existsSync(file)) return true;
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { mode?: string }).mode !== 'configured';
  } catch {
    return true;
  }
}

/** The dialect the settings choose, for the embedded demo platform to answer in; national when unreadable. */
export function demoPlatformDialect(dataDir: string): Dialect {
  try {
    const parsed = platformConfigSchema.safeParse(migratePlatformConfig(JSON.parse(readFileSync(join(dataDir, 'platform.json'), 'utf8'))));
    return parsed.success ? parsed.data.dialect : dialectPreset('national');
  } catch {
    return dialectPreset('national');
  }
}

/**
 * What main runs, whatever the shell: the embedded demo platform (the sandbox on a free loopback
 * port, data under the app's data folder) unless a real endpoint is configured, the embedded
 * hospital server (unless a LAN server is chosen), and the handlers behind the one dispatcher. Electron's main and the browser-mode host both start exactly this.
 */
export async function startMainServices(
  deps: Omit<MainDeps, 'demoPlatformUrl' | 'demoPlatformSpeaks'> & { isTrustedSender: (sender: Sender) => boolean },
): Promise<MainServices> {
  const demo = usesDemoPlatform(deps.dataDir)
    ? await startSandbox({
        port: 0,
        dataDir: join(deps.dataDir, 'demo-platform'),
        seedPersons: DEMO_PLATFORM.population,
        regionCode: DEMO_PLATFORM.regionCode,
        dialect: demoPlatformDialect(deps.dataDir),
        log: deps.log,
      })
    : undefined;
  // The gateway speaks the demo platform's dialect with the platform's own invented credentials.
  const demoPlatformSpeaks = demo && {
    dialect: demo.dialect.security.kind === 'none' ? demo.dialect : { ...demo.dialect, security: { ...demo.dialect.security, platformPublicKey: demo.credentials.platformPublicKey } },
    secrets: {
      sm2PrivateKey: demo.credentials.clientPrivateKey,
      password: demo.credentials.password,
      clientSecret: demo.credentials.clientSecret,
      tifToken: demo.credentials.tifToken,
      sm4Key: demo.credentials.sm4Key,
    },
  };
  // The hospital server: embedded on PGlite in the data folder unless a LAN server is chosen.
  // Not awaited: opening PGlite (a first start runs initdb) must not hold back the window; the
  // header's status call waits for the same start.
  // It alone talks to the platform: settings and credentials in the app's data folder, the demo platform above.
  const secretStore = deps.secretStore ?? createFileSecretStore(join(deps.dataDir, 'platform-secrets.json'));
  const server = createServerService({
    dataDir: deps.dataDir,
    log: deps.log,
    platform: { dataDir: deps.dataDir, secretStore, demoPlatformUrl: demo?.url, demoPlatformSpeaks: demoPlatformSpeaks || undefined },
  });
  void server.start().catch((e: unknown) => deps.log(`院内服务器未能启动：${e instanceof Error ? e.message : String(e)}`));
  const handlers = createHandlers({ ...deps, demoPlatformUrl: demo?.url, demoPlatformSpeaks: demoPlatformSpeaks || undefined, server });
  return {
    dispatch: createDispatch(handlers, { isTrustedSender: deps.isTrustedSender, log: deps.log }),
    platformLabel: () => (demo ? `演示平台 ${demo.url}（方言 ${demo.dialect.preset}）` : '已配置的省级平台'),
    resetHospitalServer: (now) => server.resetEmbedded(now),
    seedHospitalServer: (rows) => server.seedEmbedded(rows),
    advanceHospitalServer: (ms) => server.advanceEmbedded(ms),
    demoPlatformUrl: demo?.url,
    close: async () => {
      await server.close();
      await demo?.close();
    },
  };
}
