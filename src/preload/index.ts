import { contextBridge, ipcRenderer } from 'electron';
import { createApi } from '../shared/ipc/api';
import type { IpcResult } from '../shared/ipc/result';

// The whole preload: window.api built from the contract's channel list, nothing else.
contextBridge.exposeInMainWorld(
  'api',
  createApi((channel, request) => ipcRenderer.invoke(channel, request) as Promise<IpcResult<unknown>>),
);
