import type { IpcMain } from 'electron';
import { channelNames } from '../../shared/ipc/channels';
import type { Dispatch } from '../ipc/dispatch';

/** Binds every contract channel to ipcMain through the one dispatcher; the sender frame is checked there. */
export function bindIpc(ipcMain: IpcMain, dispatch: Dispatch): void {
  for (const channel of channelNames) {
    ipcMain.handle(channel, (event, request: unknown) =>
      dispatch(channel, request, {
        url: event.senderFrame?.url ?? '',
        mainFrame: event.senderFrame != null && event.senderFrame === event.sender.mainFrame,
      }),
    );
  }
}
