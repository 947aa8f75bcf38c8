import { CloudError, type CloudErrorCode } from './ports/cloud.js';

/**
 * Small helpers for talking to a provider idempotently, shared by the registry (OU paths) and the
 * provisioning steps (groups, permission sets, accounts).
 */

/** Walks every page of a paginated list until `match` finds an item. */
export async function findInPages<T>(list: (token?: string) => Promise<{ items: T[]; nextToken?: string }>, match: (item: T) => boolean): Promise<T | undefined> {
  let token: string | undefined;
  do {
    const page = await list(token);
    const found = page.items.find(match);
    if (found !== undefined) return found;
    token = page.nextToken;
  } while (token !== undefined);
  return undefined;
}

/**
 * Finds a named thing, creates it when absent, and when the creation loses a race (the provider
 * answers one of `raceCodes`) takes the winner's: safe to run concurrently and again after a crash.
 */
export async function ensureNamed<T>(find: () => Promise<T | undefined>, create: () => Promise<T>, raceCodes: readonly CloudErrorCode[]): Promise<T> {
  const found = await find();
  if (found !== undefined) return found;
  try {
    return await create();
  } catch (error) {
    if (error instanceof CloudError && raceCodes.includes(error.code)) {
      const winner = await find();
      if (winner !== undefined) return winner;
    }
    throw error;
  }
}
