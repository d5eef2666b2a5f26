import type { MainDeps } from '../handlers';
import type { Handlers } from '../ipc/dispatch';
import { HandlerError } from '../../shared/ipc/result';

/** The four platform.* handlers (placeholder until the gateway lands). */
export function createPlatformHandlers(
  deps: MainDeps,
): Pick<Handlers, 'platform.send' | 'platform.status' | 'platform.getConfig' | 'platform.setConfig'> {
  return {
    'platform.send': () => {
      throw new HandlerError('PLATFORM_NOT_READY', '平台网关尚未就绪');
    },
    'platform.status': () => ({
      mode: 'demo',
      label: '演示平台',
      baseUrl: deps.demoPlatformUrl ?? '',
      signedIn: false,
    }),
    'platform.getConfig': () => ({}),
    'platform.setConfig': () => ({}),
  };
}
