import type { Principal } from '../../domain/access/principal.js';
import type { PageRequest } from '../ports/registry-store.js';
import type { PeopleDeps } from './deps.js';
import { presentPeople, presentPerson, type PersonDetail } from './present.js';
import { mayManageCentral, visiblePerson, tenantWhosePeopleAreVisible } from './rules.js';

export type PeoplePage = { items: PersonDetail[]; nextCursor?: string };

const pageOf = async (deps: PeopleDeps, page: { items: PersonDetail['person'][]; nextCursor?: string }): Promise<PeoplePage> => ({
  items: await presentPeople(deps.access, page.items),
  ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
});

/** A tenant's people by e-mail address, each with their access and how long it took. */
export async function listTenantPeople(deps: PeopleDeps, caller: Principal, tenantRef: string, page: PageRequest, options: { includeRemoved?: boolean } = {}): Promise<PeoplePage> {
  const tenant = await tenantWhosePeopleAreVisible(deps, caller, tenantRef);
  return pageOf(deps, await deps.people.list({ tenantId: tenant.id, kind: 'tenant', includeRemoved: options.includeRemoved ?? false }, page));
}

export async function listCentralPeople(deps: PeopleDeps, caller: Principal, page: PageRequest, options: { includeRemoved?: boolean } = {}): Promise<PeoplePage> {
  mayManageCentral(caller, false);
  return pageOf(deps, await deps.people.list({ kind: 'central', includeRemoved: options.includeRemoved ?? false }, page));
}

export async function getPerson(deps: PeopleDeps, caller: Principal, id: string): Promise<PersonDetail> {
  const person = await visiblePerson(deps, caller, id);
  return presentPerson(person, await deps.access.listAccess([person.id]));
}
