import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import y2026 from '../../resources/calendars/2026.json';
import { parseCalendarFile } from '../../src/shared/policy/calendar';

// The README's calendar example is what the 医保办 copies to type next year: it must import as it
// stands, and say the same days as the shipped 2026 file.
describe('the README calendar example', () => {
  it('is a complete, valid year that matches the bundled 2026 calendar', () => {
    const readme = readFileSync(resolve(import.meta.dirname, '../../README.md'), 'utf8');
    const block = /完整示例[^\n]*\n\n```json\n([\s\S]*?)\n```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const parsed = parseCalendarFile(block!);
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    expect(parsed.file.status).toBe('official');
    expect(parsed.file.holidays).toEqual(y2026.holidays);
    expect(parsed.file.workdays).toEqual(y2026.workdays);
  });
});
