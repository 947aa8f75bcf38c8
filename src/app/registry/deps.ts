import { inScope, type TenantScope } from '../scope.js';
import { notFound } from '../../domain/errors.js';
import { normaliseCode } from '../../domain/registry/codes.js';
import type { Organisation } from '../../domain/registry/organisation.js';
import type { CloudProvider } from '../../domain/registry/system.js';
import type { Clock } from '../ports/clock.js';
import type { CloudDriver } from '../ports/cloud.js';
import type { RegistryStore } from '../ports/registry-store.js';
import type { IdGenerator } from './ids.js';

/** What placement needs of a provider: walk and create OUs, find and move accounts. */
export type PlacementCloud = Pick<
  CloudDriver,
  'describeOrganizationRoot' | 'listOrganizationalUnitsForParent' | 'createOrganizationalUnit' | 'listParents' | 'moveAccount'
>;

export type RegistryDeps = {
  store: RegistryStore;
  clock: Clock;
  ids: IdGenerator;
  /** The driver for a provider; may throw when this deployment has none (that move then fails with the message). */
  cloudFor: (provider: CloudProvider) => PlacementCloud;
};

/** A tenant named by id (org_…) or by its official code, as people and URLs name it. */
export async function resolveTenant(store: RegistryStore, ref: string): Promise<Organisation> {
  const code = normaliseCode(ref);
  const found = /^\d+$/.test(code) ? await store.getOrganisationByCode(code) : await store.getOrganisation(ref);
  if (found === undefined) throw notFound('tenant', ref);
  return found;
}

/** A tenant by id or code within the scope; another tenant is reported exactly like one that does not exist. */
export async function resolveScopedTenant(deps: Pick<RegistryDeps, 'store'>, scope: TenantScope, ref: string): Promise<Organisation> {
  const found = await resolveTenant(deps.store, ref);
  if (!inScope(scope, found.id)) throw notFound('tenant', ref);
  return found;
}
