import type { CloudAccount, CloudDriver, CreateAccountStatus, IdentityGroup } from '../../app/ports/cloud.js';
import { findInPages } from '../../app/cloud-pages.js';

const sameEmail = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

export const findAccountByEmail = (cloud: CloudDriver, email: string): Promise<CloudAccount | undefined> =>
  findInPages((t) => cloud.listAccounts(t), (a) => sameEmail(a.email, email));

/** CreateAccountStatus carries no e-mail; the account name is unique in our registry, so it identifies the request. */
export const findCreationInProgress = (cloud: CloudDriver, accountName: string): Promise<CreateAccountStatus | undefined> =>
  findInPages((t) => cloud.listCreateAccountStatus(['IN_PROGRESS'], t), (s) => s.accountName === accountName);

export const findGroup = (cloud: CloudDriver, displayName: string): Promise<IdentityGroup | undefined> =>
  findInPages((t) => cloud.listGroups({ displayName }, t), (g) => g.displayName === displayName);
