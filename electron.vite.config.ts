import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import { rendererConfig } from './build/renderer';

export default defineConfig({
  main: {
    build: { rollupOptions: { input: { index: resolve('src/main/index.ts') } } },
  },
  preload: {
    // A sandboxed preload must be a single CommonJS file.
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig(),
    build: {
      ...rendererConfig().build,
      rollupOptions: { input: { index: resolve('src/renderer/index.html') } },
    },
  },
});
