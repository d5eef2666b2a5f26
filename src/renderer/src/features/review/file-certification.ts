import type { User } from '../../../../shared/domain/user';
import { getDb } from '../../db/db';
import { errorText } from '../../lib/ipc';
import { getOutboxStore, getSyncOwner } from '../../sync/sync-engine';
import { loadFilingDefaults } from '../filings/filing-defaults';
import { queueCertificationFiling } from './certification-filing';

/** Queues a decided certification's 2503 filing and wakes the sync owner; answers what to tell the clerk. */
export async function fileCertificationNow(certId: string, user: User): Promise<{ ok: boolean; message: string }> {
  try {
    const r = await queueCertificationFiling(getDb(), getOutboxStore(), certId, user, await loadFilingDefaults());
    if (!r.ok) return { ok: false, message: r.message };
    getSyncOwner().kick();
    return { ok: true, message: '备案已保存并排队，将自动上传平台（2503）' };
  } catch (error) {
    return { ok: false, message: `未能提交备案：${errorText(error)}` };
  }
}
