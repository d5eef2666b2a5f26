import { app, BrowserWindow, ipcMain, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bindIpc } from './electron/ipc';
import { guardNavigation, hardenSession, isAppUrl, secureWindowOptions } from './electron/security';
import { createHandlers } from './handlers';
import { createDispatch } from './ipc/dispatch';

// electron-vite sets this in `npm run dev`; a packaged or `npm start` run loads the built page.
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const appUrl = devServerUrl ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;

if (!app.requestSingleInstanceLock()) app.quit();

async function main(): Promise<void> {
  await app.whenReady();
  hardenSession(session.defaultSession, { devServer: Boolean(devServerUrl) });
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents, appUrl));

  const log = (line: string) => console.log(line);
  const handlers = createHandlers({ version: app.getVersion(), shell: 'electron', dataDir: app.getPath('userData'), log });
  bindIpc(ipcMain, createDispatch(handlers, { isTrustedSender: (s) => s.mainFrame && isAppUrl(s.url, appUrl), log }));

  const window = new BrowserWindow(secureWindowOptions(join(import.meta.dirname, '../preload/index.cjs')));
  window.once('ready-to-show', () => window.show());
  await window.loadURL(appUrl);

  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });
}

app.on('window-all-closed', () => app.quit());
main().catch((error) => {
  console.error(error);
  app.exit(1);
});
