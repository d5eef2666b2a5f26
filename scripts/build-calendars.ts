/**
 * Writes resources/calendars/<year>.json for every year chinese-days covers, in the format an
 * administrator also uses to import later years (src/shared/policy/calendar.ts). Run with
 * `npx tsx scripts/build-calendars.ts [fromYear] [toYear]`; commit the output.
 *
 * A year counts as covered when chinese-days lists at least one public holiday in it: for a
 * year the State Council has not yet published, the library knows only weekends, and writing
 * such a file would pass a guess off as official.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import chineseDays from 'chinese-days';
import { CALENDAR_FORMAT, parseCalendarFile, type CalendarFile } from '../src/shared/policy/calendar';
import { addDays, chinaYearOf, formatIsoDate, weekday } from '../src/shared/time';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'resources', 'calendars');

/** chinese-days names listed days "English,中文,n"; ordinary days get a weekday name. */
function chineseName(name: string): string | null {
  const parts = name.split(',');
  return parts.length >= 2 && parts[1] ? parts[1] : null;
}

function buildYear(year: number, reference: string): CalendarFile | null {
  const holidays: CalendarFile['holidays'] = [];
  const workdays: CalendarFile['workdays'] = [];
  const last = formatIsoDate(year, 12, 31);
  for (let date = formatIsoDate(year, 1, 1); date <= last; date = addDays(date, 1)) {
    const detail = chineseDays.getDayDetail(date);
    const name = chineseName(detail.name);
    if (name === null) continue;
    const wd = weekday(date);
    const weekend = wd === 0 || wd === 6;
    if (detail.work && weekend) workdays.push({ date, name });
    else if (!detail.work) holidays.push({ date, name });
  }
  if (holidays.length === 0) return null;
  return { format: CALENDAR_FORMAT, year, status: 'official', source: { kind: 'chinese-days', reference }, holidays, workdays };
}

async function main(): Promise<void> {
  const pkg = JSON.parse(await readFile(join(root, 'node_modules', 'chinese-days', 'package.json'), 'utf8')) as { version: string };
  const reference = `chinese-days@${pkg.version}（据国务院办公厅历年部分节假日安排通知）`;
  const from = Number(process.argv[2] ?? 2004);
  const to = Number(process.argv[3] ?? chinaYearOf(new Date()) + 1);
  await mkdir(outDir, { recursive: true });
  const written: number[] = [];
  for (let year = from; year <= to; year++) {
    const file = buildYear(year, reference);
    if (!file) continue;
    const check = parseCalendarFile(file);
    if (!check.ok) throw new Error(`${year}: ${check.errors.join('; ')}`);
    await writeFile(join(outDir, `${year}.json`), JSON.stringify(file, null, 2) + '\n');
    written.push(year);
  }
  console.log(`wrote ${written.length} calendars: ${written.join(', ')}`);
  const skipped = [];
  for (let year = from; year <= to; year++) if (!written.includes(year)) skipped.push(year);
  if (skipped.length > 0) console.log(`not covered by chinese-days (import when published): ${skipped.join(', ')}`);
}

await main();
