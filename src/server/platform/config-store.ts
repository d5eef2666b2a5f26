import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { defaultPlatformConfig, migratePlatformConfig, platformConfigSchema, type PlatformConfig } from '../../shared/platform-config';
import { writeFileAtomic } from './atomic-file';

/**
 * The platform settings file, `<dataDir>/platform.json`, written atomically. A missing file means
 * first start (demo mode). A damaged one is reported, never silently replaced by the demo
 * settings: a workstation that quietly files to the demo platform would lose real filings.
 */
export type LoadedConfig = { config: PlatformConfig; problem?: undefined } | { config: PlatformConfig; problem: string };

export interface PlatformConfigStore {
  readonly path: string;
  load(): Promise<LoadedConfig>;
  save(config: PlatformConfig): Promise<void>;
}

export function createPlatformConfigStore(dataDir: string): PlatformConfigStore {
  const path = join(dataDir, 'platform.json');
  return {
    path,
    async load() {
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { config: defaultPlatformConfig };
        return { config: defaultPlatformConfig, problem: `无法读取平台设置文件：${(error as Error).message}` };
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return { config: defaultPlatformConfig, problem: '平台设置文件已损坏（不是有效的 JSON），请重新保存设置' };
      }
      const parsed = platformConfigSchema.safeParse(migratePlatformConfig(json));
      if (!parsed.success) {
        const first = parsed.error.issues[0];
        const where = first ? `${first.path.join('.')}: ${first.message}` : '';
        return { config: defaultPlatformConfig, problem: `平台设置文件内容无效（${where}），请重新保存设置` };
      }
      return { config: parsed.data };
    },
    save: (config) => writeFileAtomic(path, `${JSON.stringify(platformConfigSchema.parse(config), null, 2)}\n`),
  };
}
