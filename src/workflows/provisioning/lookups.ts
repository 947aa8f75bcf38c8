import type { CloudAccount, CloudDriver, CreateAccountStatus, IdentityGroup, PermissionSet } from '../../app/ports/cloud.js';

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

const sameEmail = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export const findAccountByEmail = (cloud: CloudDriver, email: string): Promise<CloudAccount | undefined> =>
  findInPages((t) => cloud.listAccounts(t), (a) => sameEmail(a.email, email));

/** CreateAccountStatus carries no e-mail; the account name is unique in our registry, so it identifies the request. */
export const findCreationInProgress = (cloud: CloudDriver, accountName: string): Promise<CreateAccountStatus | undefined> =>
  findInPages((t) => cloud.listCreateAccountStatus(['IN_PROGRESS'], t), (s) => s.accountName === accountName);

export const findGroup = (cloud: CloudDriver, displayName: string): Promise<IdentityGroup | undefined> =>
  findInPages((t) => cloud.listGroups({ displayName }, t), (g) => g.displayName === displayName);

export const findPermissionSet = (cloud: CloudDriver, name: string): Promise<PermissionSet | undefined> =>
  findInPages((t) => cloud.listPermissionSets(t), (p) => p.name === name);
