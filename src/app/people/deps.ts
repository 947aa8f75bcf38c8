import type { Clock } from '../ports/clock.js';
import type { PeopleStore } from '../ports/people-store.js';
import type { PeopleProvisioning, PersonAccessStore } from '../ports/person-access.js';
import type { RegistryStore } from '../ports/registry-store.js';
import type { IdGenerator } from '../registry/ids.js';

/** What the people use cases need; wired in src/main/container.ts. */
export type PeopleDeps = {
  people: PeopleStore;
  access: PersonAccessStore;
  registry: Pick<RegistryStore, 'getOrganisation' | 'getOrganisationByCode' | 'listAccounts'>;
  provisioning: PeopleProvisioning;
  clock: Clock;
  newId: IdGenerator;
};
