import { safeStorage } from 'electron';
import { createFileSecretStore, type SecretStore } from '../../server/platform/secret-store';

/**
 * The desktop SecretStore: the same JSON file as browser mode, each value encrypted with the OS
 * keychain through safeStorage (DPAPI, Keychain, libsecret/kwallet). Call after `app.whenReady()`.
 */
export async function createSafeStorageSecretStore(path: string): Promise<SecretStore> {
  if (!(await safeStorage.isAsyncEncryptionAvailable())) {
    throw new Error('操作系统未提供加密存储，无法安全保存平台密钥');
  }
  // Linux without a keyring falls back to a hard-coded key: refuse rather than pretend to encrypt.
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    throw new Error('未检测到系统密钥环（gnome-libsecret 或 kwallet），无法安全保存平台密钥');
  }
  return createFileSecretStore(path, {
    encode: async (value) => (await safeStorage.encryptStringAsync(value)).toString('base64'),
    decode: async (stored) => (await safeStorage.decryptStringAsync(Buffer.from(stored, 'base64'))).result,
  });
}

/**
 * The safeStorage store, or — where the OS offers no protected storage — a store that refuses to
 * keep secrets and says why, so the app still starts (demo mode needs no secrets).
 */
export async function openSecretStore(path: string, log: (line: string) => void): Promise<SecretStore> {
  try {
    return await createSafeStorageSecretStore(path);
  } catch (error) {
    const reason = (error as Error).message;
    log(`[secrets] ${reason}`);
    const refuse = async () => {
      throw new Error(`${reason}；平台密钥未保存`);
    };
    return { get: async () => undefined, set: refuse, delete: async () => {}, protection: 'unavailable' };
  }
}
