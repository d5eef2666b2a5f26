import { join } from 'node:path';
import type { MainDeps } from '../handlers';
import type { Handlers } from '../ipc/dispatch';
import { createPlatformService, type PlatformService } from '../../server/platform/platform-service';
import { createFileSecretStore, type SecretStore } from '../../server/platform/secret-store';

export type PlatformHandlers = Pick<Handlers, 'platform.send' | 'platform.status' | 'platform.getConfig' | 'platform.setConfig'>;

/** What the platform handlers may take beyond MainDeps; Electron passes its safeStorage store. */
export interface PlatformDeps {
  secretStore?: SecretStore;
}

/**
 * The four platform.* channels over one PlatformService. Without a secret store (browser mode,
 * tests) secrets go to a plain file beside the settings — see createFileSecretStore.
 */
export function createPlatformHandlers(deps: MainDeps & PlatformDeps): PlatformHandlers {
  const service: PlatformService = createPlatformService({
    dataDir: deps.dataDir,
    secretStore: deps.secretStore ?? createFileSecretStore(join(deps.dataDir, 'platform-secrets.json')),
    demoPlatformUrl: deps.demoPlatformUrl,
    demoPlatformSpeaks: deps.demoPlatformSpeaks,
    log: deps.log,
  });
  return {
    'platform.send': (request) => service.send(request),
    'platform.status': () => service.status(),
    'platform.getConfig': () => service.getConfig(),
    'platform.setConfig': (update) => service.setConfig(update),
  };
}
