import { chmod, readFile } from 'node:fs/promises';
import { writeFileAtomic } from './atomic-file';

/**
 * Where main keeps credentials (the SM2 private key, the platform password). Secrets never leave
 * main: handlers report only whether one is set (architecture.md §9).
 */
export interface SecretStore {
  get(name: string): Promise<string | undefined>;
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
  /** How the values are protected, for the log and the settings page. */
  readonly protection: 'os-encrypted' | 'plain-file' | 'unavailable';
}

/** Turns a secret into what is written to disk and back (Electron: safeStorage). */
export interface SecretCodec {
  encode(value: string): Promise<string>;
  decode(stored: string): Promise<string>;
}

const plain: SecretCodec = { encode: async (v) => v, decode: async (v) => v };

/**
 * A JSON file of secrets. Without a codec it is plain text with owner-only permissions — for the
 * browser-mode host and tests, which have no OS keychain; Electron passes a safeStorage codec.
 */
export function createFileSecretStore(path: string, codec?: SecretCodec): SecretStore {
  const use = codec ?? plain;
  // Serialise writes: two quick setConfig calls must not lose each other's secret.
  let queue: Promise<unknown> = Promise.resolve();

  async function load(): Promise<Record<string, string>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  }

  function update(change: (all: Record<string, string>) => Promise<void> | void): Promise<void> {
    const next = queue.then(async () => {
      const all = await load();
      await change(all);
      await writeFileAtomic(path, JSON.stringify(all, null, 2), 0o600);
      await chmod(path, 0o600).catch(() => undefined);
    });
    queue = next.catch(() => undefined);
    return next;
  }

  return {
    protection: codec ? 'os-encrypted' : 'plain-file',
    async get(name) {
      await queue;
      const stored = (await load())[name];
      return stored === undefined ? undefined : await use.decode(stored);
    },
    set: (name, value) =>
      update(async (all) => {
        all[name] = await use.encode(value);
      }),
    delete: (name) => update((all) => void delete all[name]),
  };
}
