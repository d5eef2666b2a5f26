// Where the server tests find the PostgreSQL server binaries (initdb, pg_ctl, postgres) for the
// throwaway cluster of test/fixtures/postgres-cluster.ts: Debian's
// /usr/lib/postgresql/<highest version>/bin, or else a directory on PATH that holds all three.
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const POSTGRES_BINARIES = ['initdb', 'pg_ctl', 'postgres'];

const DEBIAN_ROOT = '/usr/lib/postgresql';

const isExecutable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

const holdsAll = (dir) => POSTGRES_BINARIES.every((name) => isExecutable(join(dir, name)));

/** Debian's version directories (`15`, `16`, `9.6` …), highest first. */
const debianVersions = () => {
  try {
    return readdirSync(DEBIAN_ROOT)
      .filter((name) => /^\d+(\.\d+)?$/.test(name))
      .sort((a, b) => Number(b) - Number(a));
  } catch {
    return [];
  }
};

/** @returns {string | undefined} the directory holding initdb, pg_ctl and postgres, if any */
export function findPostgresBin() {
  for (const version of debianVersions()) {
    const dir = join(DEBIAN_ROOT, version, 'bin');
    if (holdsAll(dir)) return dir;
  }
  for (const dir of (process.env.PATH ?? '').split(delimiter)) if (dir && holdsAll(dir)) return dir;
  return undefined;
}
