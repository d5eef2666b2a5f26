import type { Api } from '../shared/ipc/api';

declare global {
  interface Window {
    /** Built by the preload (Electron) or the browser-mode shim from src/shared/ipc. */
    api: Api;
  }
}
export {};
