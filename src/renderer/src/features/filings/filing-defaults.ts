import { getDb, getSetting, putSetting } from '../../db/db';

/**
 * What the next filing starts with: the institution from the platform settings (kept locally so
 * the form works offline) and the physician and 参保地 last used at this desk.
 */
export interface FilingDefaults {
  institutionCode?: string;
  institutionName?: string;
  physicianCode?: string;
  physicianName?: string;
  insuplcAdmdvs?: string;
}

const KEY = 'filing.defaults';

export async function loadFilingDefaults(): Promise<FilingDefaults> {
  const saved = await getSetting<FilingDefaults>(getDb(), KEY, {});
  try {
    const result = await window.api.platform.getConfig({});
    const institution = result.ok ? (result.value['config'] as { institution?: { fixmedins_code?: string; fixmedins_name?: string } } | undefined)?.institution : undefined;
    if (institution?.fixmedins_code) {
      const merged = { ...saved, institutionCode: institution.fixmedins_code, institutionName: institution.fixmedins_name };
      await putSetting(getDb(), KEY, merged);
      return merged;
    }
  } catch {
    // Offline or no platform settings yet: the saved values stand.
  }
  return saved;
}

export async function rememberFilingDefaults(patch: FilingDefaults): Promise<void> {
  const saved = await getSetting<FilingDefaults>(getDb(), KEY, {});
  await putSetting(getDb(), KEY, { ...saved, ...patch });
}
