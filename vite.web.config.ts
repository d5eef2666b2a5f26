import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import { rendererConfig } from './build/renderer';

// Browser mode (architecture.md §5): the same renderer, entered through web.html, which installs
// the HTTP shim for window.api. Only this build contains the shim.
export default defineConfig({
  ...rendererConfig(),
  build: {
    ...rendererConfig().build,
    outDir: resolve('dist-web'),
    emptyOutDir: true,
    rollupOptions: { input: { web: resolve('src/renderer/web.html') } },
  },
});
