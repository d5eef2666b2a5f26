import type { z } from 'zod';
import type { platformSendRequest, platformSendResponse, platformStatusResponse } from '../../shared/platform/send';

/** The gateway's call and answer, as the IPC contract declares them. */
export type PlatformSendRequest = z.output<typeof platformSendRequest>;
export type PlatformSendResponse = z.output<typeof platformSendResponse>;
export type PlatformStatus = z.output<typeof platformStatusResponse>;
