import { mkdir } from 'node:fs/promises';
import lockfile from 'proper-lockfile';
import { DomainError } from '../domain/errors.js';

/**
 * PGlite takes no lock of its own, and two processes writing one folder corrupt it; so the process
 * that opens the embedded database holds this lock for as long as it runs. A lock left by a process
 * that died goes stale after `staleMs` and is taken over.
 */
export async function lockDataDir(dataDir: string, staleMs = 10_000): Promise<() => Promise<void>> {
  await mkdir(dataDir, { recursive: true });
  try {
    return await lockfile.lock(dataDir, { stale: staleMs, update: Math.floor(staleMs / 2), realpath: false, lockfilePath: `${dataDir}.lock` });
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ELOCKED') {
      throw new DomainError(
        'locked',
        `the data folder ${dataDir} is in use by another Hatoba process. Stop that process first, or point HATOBA_DATA_DIR to another folder (or use DATABASE_URL for several processes).`,
      );
    }
    throw error;
  }
}
