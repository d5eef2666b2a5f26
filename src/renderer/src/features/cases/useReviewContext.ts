import { useLiveQuery } from 'dexie-react-hooks';
import { useMemo } from 'react';
import type { InstitutionFacts } from '../../../../shared/policy/physician';
import { getDb } from '../../db/db';
import { usePolicy } from '../policy/policy-store';
import type { ReviewContext } from './assignment-repo';

/** Settings key of this hospital's level and kind (checkPhysician's institution facts). */
export const INSTITUTION_KEY = 'cases.institution';

/**
 * Until the 医保办 records the hospital's level and kind in 设置, a level-3 general hospital with
 * the platform settings' demo code is assumed — stated here so nobody mistakes it for data.
 */
export const DEFAULT_INSTITUTION: InstitutionFacts = { code: 'H00000000001', name: '演示医院（虚构）', level: 'level-3', kind: 'general' };

/** The active pack, the working-day calendar and this hospital, or undefined while loading. */
export function useReviewContext(): ReviewContext | undefined {
  const policy = usePolicy();
  const institution = useLiveQuery(async () => ((await getDb().settings.get(INSTITUTION_KEY))?.value as InstitutionFacts | undefined) ?? DEFAULT_INSTITUTION, []);
  return useMemo(
    () => (policy && institution ? { pack: policy.entry.pack, calendar: policy.calendar, institution } : undefined),
    [policy, institution],
  );
}
