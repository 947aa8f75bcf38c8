/**
 * Test helpers that read the whole of a cloud driver's paginated lists: every account, every
 * activity event matching a filter.
 */
import type { ActivityEvent, CloudAccount, CloudDriver, CreateAccountStatus, Page } from '../../app/ports/cloud.js';
import { collect } from '../../cloud/contract-tests/harness.js';

/** Every item of a paginated list, page after page (the contract suite's reader, with its checks that tokens move on). */
export const everyPage = async <T>(list: (token?: string) => Promise<Page<T>>): Promise<T[]> => (await collect(list)).items;

export const allCloudAccounts = (cloud: CloudDriver): Promise<CloudAccount[]> => everyPage((token) => cloud.listAccounts(token));

export async function cloudAccountsWithEmail(cloud: CloudDriver, email: string): Promise<CloudAccount[]> {
  return (await allCloudAccounts(cloud)).filter((a) => a.email.toLowerCase() === email.toLowerCase());
}

export const allEvents = (cloud: CloudDriver, filter: { accountId?: string; eventName?: string; since?: Date }): Promise<ActivityEvent[]> =>
  everyPage((token) => cloud.lookupEvents(filter, token));

/** CreateAccount calls (accepted or refused) made for this e-mail address. */
export async function createAccountCalls(cloud: CloudDriver, email: string): Promise<ActivityEvent[]> {
  const events = await allEvents(cloud, { eventName: 'CreateAccount' });
  return events.filter((e) => String(e.requestParameters?.email ?? '').toLowerCase() === email.toLowerCase());
}

/** Creates an account directly on the driver (as someone outside Hatoba would) and waits until the creation ends. */
export async function createAccountDirectly(cloud: CloudDriver, input: { email: string; accountName: string; tags?: Record<string, string> }): Promise<CreateAccountStatus> {
  const started = await cloud.createAccount(input);
  let status = await cloud.describeCreateAccountStatus(started.id);
  while (status.state === 'IN_PROGRESS') {
    await new Promise((r) => setTimeout(r, 20));
    status = await cloud.describeCreateAccountStatus(started.id);
  }
  return status;
}
