import type { Principal } from '../../domain/access/principal.js';
import { DomainError, notFound } from '../../domain/errors.js';
import type { Organisation } from '../../domain/registry/organisation.js';
import type { Page } from '../paging.js';
import type { PageRequest } from '../ports/registry-store.js';
import type { BreakGlassDeps } from './deps.js';
import type { Alert } from './store.js';
import { requireTenantAdmin, requireTenantPerson } from './who.js';

/** A tenant's uncovered-activity alerts: its people list them, its admin acknowledges them. */

/** The tenant named by id or official code, when it is the caller's own; any other is not found. */
async function ownTenant(deps: Pick<BreakGlassDeps, 'registry'>, tenantId: string, ref: string): Promise<Organisation> {
  const tenant = (await deps.registry.getOrganisationByCode(ref)) ?? (await deps.registry.getOrganisation(ref));
  if (tenant === undefined || tenant.id !== tenantId) throw notFound('tenant', ref);
  return tenant;
}

export async function listAlerts(
  deps: Pick<BreakGlassDeps, 'registry' | 'store'>,
  caller: Principal,
  tenantRef: string,
  filter: { unacknowledged?: boolean },
  page: PageRequest,
): Promise<{ tenant: Organisation; page: Page<Alert> }> {
  const person = requireTenantPerson(caller);
  const tenant = await ownTenant(deps, person.tenantId, tenantRef);
  return { tenant, page: await deps.store.listAlerts(tenant.id, filter, page) };
}

/** Marks an alert seen (the first acknowledgement stays); the alert itself is never deleted. */
export async function acknowledgeAlert(deps: Pick<BreakGlassDeps, 'registry' | 'store' | 'clock'>, caller: Principal, tenantRef: string, eventId: string): Promise<Alert> {
  const admin = requireTenantAdmin(caller);
  const tenant = await ownTenant(deps, admin.tenantId, tenantRef);
  const alert = await deps.store.acknowledgeAlert(tenant.id, eventId, admin.personId, deps.clock.now());
  if (alert === undefined) throw new DomainError('not_found', `alert ${eventId} was not found`);
  return alert;
}
