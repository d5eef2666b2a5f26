/**
 * What the server's rules need besides the records: the active policy pack, the working-day
 * calendar and the hospital's facts. Shipped packs and calendars are the app's data files
 * (resources/); what an administrator imported or chose is a shared setting (records, table
 * 'settings', the same keys the desks use).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { BUNDLED_PACKS, loadCalendar, parsePolicyPack, type CalendarFile, type PolicyPack } from '../shared/policy';
import type { InstitutionFacts } from '../shared/policy/physician';
import type { ReviewContext } from '../shared/cases/context';
import type { Orm } from './database';
import { rowsOf } from './store';

export const SETTING_KEYS = { activePack: 'policy.activePackId', packPrefix: 'policy.pack.', calendarPrefix: 'calendar.year.', institution: 'cases.institution' } as const;

/** Until the 医保办 records the hospital's level and kind, a level-3 general demo hospital (stated, never mistaken for data). */
export const DEFAULT_INSTITUTION: InstitutionFacts = { code: 'H00000000001', name: '演示医院（虚构）', level: 'level-3', kind: 'general' };

interface Shipped {
  packs: PolicyPack[];
  calendars: unknown[];
}

const shippedCache = new Map<string, Shipped>();

function shipped(resourcesDir: string): Shipped {
  let s = shippedCache.get(resourcesDir);
  if (!s) {
    const json = (dir: string) =>
      readdirSync(join(resourcesDir, dir))
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => JSON.parse(readFileSync(join(resourcesDir, dir, f), 'utf8')) as unknown);
    // In the shipped order (BUNDLED_PACKS): the first is the default, as on every desk.
    const packs = BUNDLED_PACKS.map((file) => {
      const parsed = parsePolicyPack(JSON.parse(readFileSync(join(resourcesDir, 'policy', file), 'utf8')) as unknown);
      if (!parsed.ok) throw new Error(`内置政策包 ${file} 无效：${parsed.errors.join('；')}`);
      return parsed.pack;
    });
    s = { packs, calendars: json('calendars') };
    shippedCache.set(resourcesDir, s);
  }
  return s;
}

async function settingsWithPrefix(orm: Orm, prefix: string): Promise<{ key: string; value: unknown }[]> {
  return rowsOf<{ data: { key: string; value: unknown } }>(
    await orm.execute(sql`select data from records where tbl = 'settings' and starts_with(id, ${prefix}) order by id`),
  ).map((r) => r.data);
}

/** The review context as the hospital has set it now. */
export async function reviewContext(orm: Orm, resourcesDir: string, preferredPack?: string, extra?: { calendar?: CalendarFile }): Promise<ReviewContext> {
  const base = shipped(resourcesDir);
  const imported = (await settingsWithPrefix(orm, SETTING_KEYS.packPrefix)).map((s) => (s.value as { pack: PolicyPack }).pack);
  const packs = [...base.packs.filter((p) => !imported.some((i) => i.id === p.id)), ...imported];
  const chosen = preferredPack ?? (await settingsWithPrefix(orm, SETTING_KEYS.activePack)).find((s) => s.key === SETTING_KEYS.activePack)?.value;
  const pack = packs.find((p) => p.id === chosen) ?? packs[0];
  if (!pack) throw new Error('没有可用的政策包');
  // `extra.calendar`: a year's calendar being imported, in place of the one held for that year.
  const held = (await settingsWithPrefix(orm, SETTING_KEYS.calendarPrefix)).map((s) => s.value as CalendarFile);
  const calendars = extra?.calendar ? [...held.filter((c) => c.year !== extra.calendar!.year), extra.calendar] : held;
  const loaded = loadCalendar([...base.calendars, ...calendars]);
  if (!loaded.ok) throw new Error(`节假日日历无效：${loaded.errors.join('；')}`);
  const institution = ((await settingsWithPrefix(orm, SETTING_KEYS.institution))[0]?.value as InstitutionFacts | undefined) ?? DEFAULT_INSTITUTION;
  return { pack, calendar: loaded.calendar, institution };
}
