import { app, BrowserWindow, ipcMain, session } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bindIpc } from './electron/ipc';
import { openSecretStore } from './electron/secret-store';
import { guardNavigation, hardenSession, isAppUrl, secureWindowOptions } from './electron/security';
import { startMainServices } from './services';

// electron-vite sets this in `npm run dev`; a packaged or `npm start` run loads the built page.
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const appUrl = devServerUrl ?? pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;

if (!app.requestSingleInstanceLock()) app.quit();

async function main(): Promise<void> {
  await app.whenReady();
  hardenSession(session.defaultSession, { devServer: Boolean(devServerUrl) });
  app.on('web-contents-created', (_event, contents) => guardNavigation(contents, appUrl));

  const log = (line: string) => console.log(line);
  const dataDir = app.getPath('userData');
  const services = await startMainServices({
    version: app.getVersion(),
    shell: 'electron',
    dataDir,
    log,
    secretStore: await openSecretStore(join(dataDir, 'platform-secrets.json'), log),
    isTrustedSender: (sender) => sender.mainFrame && isAppUrl(sender.url, appUrl),
  });
  app.on('will-quit', () => void services.close());
  bindIpc(ipcMain, services.dispatch);

  const window = new BrowserWindow(secureWindowOptions(join(import.meta.dirname, '../preload/index.cjs'), app.isPackaged));
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
