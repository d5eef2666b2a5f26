import { createServerService, type ServerService } from '../hospital-server/server-service';
import type { Handlers } from '../ipc/dispatch';
import type { SecretStore } from '../../server/platform/secret-store';
import type { DemoPlatformSpeaks } from '../../server/platform/platform-service';
import { hashPassword, verifyPassword } from '../../server/passwords';

/** What the handlers need from the shell they run in (Electron, the browser-mode host, or a test). */
export interface MainDeps {
  version: string;
  shell: 'electron' | 'browser';
  /** Folder for main-owned state (platform settings, the embedded sandbox's database). */
  dataDir: string;
  log: (line: string) => void;
  /** Lets tests use cheap scrypt parameters; production uses the defaults. */
  scryptParams?: { N: number; r: number; p: number };
  /**
   * The embedded sandbox's base URL (demo mode), when one is running. No handler reads it any
   * more (desks do not talk to the platform): startMainServices hands it to the embedded server.
   */
  demoPlatformUrl?: string;
  /** The dialect the embedded sandbox answers in, and the (invented) secrets to speak it; for the embedded server, as above. */
  demoPlatformSpeaks?: DemoPlatformSpeaks;
  /** Where the platform's secrets live (Electron's safeStorage; a plain file in browser mode and tests); for the embedded server. */
  secretStore?: SecretStore;
  /** The hospital server this desk uses; made from dataDir when absent (it starts nothing until asked). */
  server?: ServerService;
}

/** Every channel's handler. The same object serves Electron's ipcMain and the browser-mode host. */
export function createHandlers(deps: MainDeps): Handlers {
  const server = deps.server ?? createServerService(deps);
  return {
    'app.info': () => ({ version: deps.version, shell: deps.shell, platform: process.platform }),
    'auth.hashPassword': async ({ password }) => ({ hash: await hashPassword(password, deps.scryptParams) }),
    'auth.verifyPassword': async ({ password, hash }) => ({ valid: await verifyPassword(password, hash, deps.scryptParams ? [deps.scryptParams] : undefined) }),
    'server.status': () => server.status(),
    'server.getConfig': () => server.getConfig(),
    'server.setConfig': (config) => server.setConfig(config),
    'server.desk': () => server.desk(),
    'server.enrol': (request) => server.enrol(request),
  };
}
