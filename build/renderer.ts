import react from '@vitejs/plugin-react';
import type { Plugin, UserConfig } from 'vite';
import { CONTENT_SECURITY_POLICY } from '../src/shared/security/csp';

/** Writes the strict CSP into the built page; the dev server (HMR) needs inline scripts, so build only. */
const cspMeta = (): Plugin => ({
  name: 'workstation-csp',
  apply: 'build',
  transformIndexHtml: (html) =>
    html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`),
});

/** The renderer's build settings, shared by the Electron build and the browser-mode build. */
export const rendererConfig = (): UserConfig => ({
  root: 'src/renderer',
  plugins: [react(), cspMeta()],
  build: { target: 'chrome130', chunkSizeWarningLimit: 4096 },
});
