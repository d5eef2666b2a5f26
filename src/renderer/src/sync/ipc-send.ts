import type { Api } from '../../../shared/ipc/api';
import type { Send } from '../../../shared/sync/ports';

/**
 * The runner's `send`, over window.api.platform.send. Bridge failures are mapped conservatively:
 * only a request main refused before its handler ran (BAD_REQUEST) is known not to have left;
 * anything else may have reached the platform, so it is `unknown` and gets reconciled.
 */
export function ipcSend(api: Api): Send {
  return async (request) => {
    const result = await api.platform.send(request);
    if (result.ok) return result.value;
    const { code, message } = result.error;
    if (code === 'BAD_REQUEST') return { outcome: 'invalid', message: `工作站拒绝发送此报文：${message}` };
    return { outcome: 'unknown', msgid: '', reason: code, message: `调用平台网关失败（${code}）：${message}` };
  };
}
