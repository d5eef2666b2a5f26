import { getDb, getSetting, putSetting } from '../../db/db';
import { platformClient } from '../../hospital/platform-link';
import { errorText } from '../../lib/ipc';

/**
 * What the next filing starts with: the institution from the platform settings the hospital
 * server keeps (remembered here so the form works offline) and the physician and 参保地 last used
 * at this desk.
 */
export interface FilingDefaults {
  institutionCode?: string;
  institutionName?: string;
  physicianCode?: string;
  physicianName?: string;
  insuplcAdmdvs?: string;
  /** Why the institution could not be read from the server now, in Chinese (the remembered values stand). Never stored. */
  notice?: string;
}

const KEY = 'filing.defaults';

export async function loadFilingDefaults(): Promise<FilingDefaults> {
  const saved = await getSetting<FilingDefaults>(getDb(), KEY, {});
  let institution;
  try {
    institution = (await platformClient().platformConfig()).config.institution;
  } catch (e) {
    // Offline, or the server refused: the remembered values stand, and the form says why.
    const notice = `未能从院内服务器读取本院的平台设置（${errorText(e)}）${saved.institutionCode ? '，机构信息为本机上次保存的值' : '，请手工填写机构信息'}`;
    return { ...saved, notice };
  }
  const merged = { ...saved, institutionCode: institution.fixmedins_code, institutionName: institution.fixmedins_name };
  await putSetting(getDb(), KEY, merged);
  return merged;
}

export async function rememberFilingDefaults(patch: FilingDefaults): Promise<void> {
  const saved = await getSetting<FilingDefaults>(getDb(), KEY, {});
  await putSetting(getDb(), KEY, { ...saved, ...patch });
}
