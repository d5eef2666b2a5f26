import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultPlatformConfig } from '../shared/platform-config';
import { DIALECT_PRESETS } from '../shared/platform/dialect';
import { demoPlatformDialect } from './services';

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'services-'));
});
afterEach(async () => rm(dataDir, { recursive: true, force: true }));

describe('the demo platform\'s dialect', () => {
  it('is the one the settings choose, and national without settings or with a damaged file', async () => {
    expect(demoPlatformDialect(dataDir).preset).toBe('national');
    await writeFile(join(dataDir, 'platform.json'), JSON.stringify({ ...defaultPlatformConfig, dialect: DIALECT_PRESETS['guangdong-tif'] }));
    expect(demoPlatformDialect(dataDir)).toMatchObject({ preset: 'guangdong-tif', auth: { kind: 'tif' } });
    await writeFile(join(dataDir, 'platform.json'), '{ not json');
    expect(demoPlatformDialect(dataDir).preset).toBe('national');
  });
});
