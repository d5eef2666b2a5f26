import { liveQuery } from 'dexie';
import { useSyncExternalStore } from 'react';
import {
  BUNDLED_PACKS,
  coveredYears,
  loadCalendar,
  parseCalendarFile,
  parsePolicyPack,
  type Calendar,
  type CalendarFile,
  type PolicyPack,
} from '../../../../shared/policy';
import type { User } from '../../../../shared/domain/user';
import { appendAudit } from '../../db/audit';
import { getDb, type WorkstationDb } from '../../db/db';
import { worksThroughServer, runOnline } from '../../hospital/desk-session';

/**
 * Which policy pack and holiday calendar the workstation uses. Shipped packs and calendars are
 * data files bundled with the app (resources/); an administrator's imports live in the settings
 * table (`policy.pack.<id>`, `calendar.year.<yyyy>`), so they survive updates of the app.
 */
const bundledPackFiles = import.meta.glob<unknown>('../../../../../resources/policy/*.json', { import: 'default' });
const bundledCalendarFiles = import.meta.glob<unknown>('../../../../../resources/calendars/*.json', { import: 'default' });

const ACTIVE_KEY = 'policy.activePackId';
const PACK_PREFIX = 'policy.pack.';
const CALENDAR_PREFIX = 'calendar.year.';

export interface PackEntry {
  id: string;
  title: string;
  version: string;
  origin: 'bundled' | 'imported';
  importedAt?: string;
  pack: PolicyPack;
}

let bundledCache: Promise<PackEntry[]> | undefined;

/** The packs shipped with the app, parsed once (a shipped pack that fails to parse is a build bug). */
export function bundledPacks(): Promise<PackEntry[]> {
  return (bundledCache ??= Promise.all(
    Object.entries(bundledPackFiles).map(async ([path, load]) => {
      const parsed = parsePolicyPack(await load());
      if (!parsed.ok) throw new Error(`内置政策包 ${path} 无效：${parsed.errors.join('；')}`);
      const { pack } = parsed;
      return { id: pack.id, title: pack.title, version: pack.version, origin: 'bundled' as const, pack };
    }),
  ).then((entries) => {
    const order = (id: string) => {
      const i = BUNDLED_PACKS.findIndex((file) => file.startsWith(`${id}.`));
      return i < 0 ? BUNDLED_PACKS.length : i;
    };
    return entries.sort((a, b) => order(a.id) - order(b.id) || a.id.localeCompare(b.id));
  }));
}

export async function importedPacks(db: WorkstationDb): Promise<PackEntry[]> {
  const rows = await db.settings.where('key').startsWith(PACK_PREFIX).toArray();
  return rows.map((row) => row.value as PackEntry);
}

const mergePacks = (bundled: PackEntry[], imported: PackEntry[]) => [
  ...bundled.filter((b) => !imported.some((i) => i.id === b.id)),
  ...imported,
];

export async function allPacks(db: WorkstationDb): Promise<PackEntry[]> {
  return mergePacks(await bundledPacks(), await importedPacks(db));
}

const pickActive = (packs: PackEntry[], chosen: unknown) => packs.find((p) => p.id === chosen) ?? packs[0]!;

/** The active pack: the one an administrator chose, else the first shipped pack. */
export async function activePack(db: WorkstationDb): Promise<PackEntry> {
  return pickActive(await allPacks(db), (await db.settings.get(ACTIVE_KEY))?.value);
}

export type ImportResult = { ok: true; entry: PackEntry } | { ok: false; errors: string[] };

/** Validates an administrator's pack file and stores it; an invalid file is refused with every error. */
export async function importPack(db: WorkstationDb, text: string, actor: User): Promise<ImportResult> {
  const parsed = parsePolicyPack(text);
  if (!parsed.ok) return parsed;
  const { pack } = parsed;
  const entry: PackEntry = { id: pack.id, title: pack.title, version: pack.version, origin: 'imported', importedAt: new Date().toISOString(), pack };
  if (worksThroughServer()) {
    // The hospital's packs are the server's: every desk gets this one at its next pull.
    await runOnline('policy.import-pack', { pack: JSON.parse(text) as unknown });
    return { ok: true, entry };
  }
  await db.transaction('rw', db.settings, db.audit, async () => {
    await db.settings.put({ key: PACK_PREFIX + pack.id, value: entry });
    await appendAudit(db, { kind: 'policy.imported', actorId: actor.id, subject: pack.id, detail: { version: pack.version } });
  });
  return { ok: true, entry };
}

export async function setActivePack(db: WorkstationDb, id: string, actor: User): Promise<void> {
  if (!(await allPacks(db)).some((p) => p.id === id)) throw new Error(`没有标识为 ${id} 的政策包`);
  if (worksThroughServer()) {
    await runOnline('policy.activate', { packId: id });
    return;
  }
  await db.transaction('rw', db.settings, db.audit, async () => {
    await db.settings.put({ key: ACTIVE_KEY, value: id });
    await appendAudit(db, { kind: 'policy.activated', actorId: actor.id, subject: id, detail: {} });
  });
}

let shippedCalendarCache: Promise<unknown[]> | undefined;
const shippedCalendars = () => (shippedCalendarCache ??= Promise.all(Object.values(bundledCalendarFiles).map((load) => load())));

const importedCalendars = async (db: WorkstationDb) =>
  (await db.settings.where('key').startsWith(CALENDAR_PREFIX).toArray()).map((r) => r.value as CalendarFile);

function combineCalendars(shipped: unknown[], imported: CalendarFile[]): Calendar {
  const loaded = loadCalendar([...shipped, ...imported]);
  if (!loaded.ok) throw new Error(`节假日日历无效：${loaded.errors.join('；')}`);
  return loaded.calendar;
}

/** Shipped calendar years plus imported ones (an import for a shipped year replaces it). */
export async function workstationCalendar(db: WorkstationDb): Promise<Calendar> {
  return combineCalendars(await shippedCalendars(), await importedCalendars(db));
}

export async function importCalendar(db: WorkstationDb, text: string, actor: User): Promise<{ ok: true; year: number } | { ok: false; errors: string[] }> {
  const parsed = parseCalendarFile(text);
  if (!parsed.ok) return parsed;
  const { file } = parsed;
  if (worksThroughServer()) {
    // The server keeps the calendar and counts the waiting deadlines again; desks pull both.
    await runOnline('calendar.import', { file });
    return { ok: true, year: file.year };
  }
  await db.transaction('rw', db.settings, db.audit, async () => {
    await db.settings.put({ key: CALENDAR_PREFIX + file.year, value: file });
    await appendAudit(db, { kind: 'calendar.imported', actorId: actor.id, subject: String(file.year), detail: { status: file.status } });
  });
  return { ok: true, year: file.year };
}

export interface PolicyState {
  entry: PackEntry;
  packs: PackEntry[];
  calendar: Calendar;
  years: number[];
  importedYears: number[];
}

/**
 * The active pack and the calendar, one live value for the whole window: the shipped files load
 * once, then a Dexie liveQuery over the settings follows an administrator's switch or import.
 * Every usePolicy shares it, so a page never parses the packs and calendars again; preloadPolicy
 * starts it early (on the login page, before anyone needs it).
 */
const policy: { value?: PolicyState; failure?: Error; started: boolean; listeners: Set<() => void> } = { started: false, listeners: new Set() };

const publish = (patch: { value?: PolicyState; failure?: Error }) => {
  Object.assign(policy, patch);
  for (const listener of policy.listeners) listener();
};

export function preloadPolicy(): void {
  if (policy.started) return;
  policy.started = true;
  Promise.all([bundledPacks(), shippedCalendars()]).then(([shippedPacks, calendars]) => {
    liveQuery(async () => {
      const db = getDb();
      const imported = await importedPacks(db);
      const chosen = (await db.settings.get(ACTIVE_KEY))?.value;
      const calendarFiles = await importedCalendars(db);
      const packs = mergePacks(shippedPacks, imported);
      const calendar = combineCalendars(calendars, calendarFiles);
      return { entry: pickActive(packs, chosen), packs, calendar, years: coveredYears(calendar), importedYears: calendarFiles.map((f) => f.year) };
    }).subscribe({ next: (value) => publish({ value, failure: undefined }), error: (failure: Error) => publish({ failure }) });
  }, (failure: Error) => publish({ failure }));
}

const subscribePolicy = (listener: () => void) => {
  preloadPolicy();
  policy.listeners.add(listener);
  return () => void policy.listeners.delete(listener);
};
const policySnapshot = () => policy.value;

/** The active pack and the calendar, live; undefined while the shipped files load. */
export function usePolicy(): PolicyState | undefined {
  const state = useSyncExternalStore(subscribePolicy, policySnapshot);
  if (policy.failure) throw policy.failure;
  return state;
}
