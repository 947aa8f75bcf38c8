import type { Principal } from '../../domain/access/principal.js';
import type { Organisation } from '../../domain/registry/organisation.js';
import type { Page } from '../paging.js';
import type { PageRequest } from '../ports/registry-store.js';
import type { BreakGlassDeps } from './deps.js';
import type { Alert } from './store.js';
import { alertNotFound, requireTenantAdmin, requireTenantPerson, tenantInScope } from './who.js';

/** A tenant's uncovered-activity alerts: its people list them, its admin acknowledges them; another tenant is not found. */

export async function listAlerts(
  deps: Pick<BreakGlassDeps, 'registry' | 'store'>,
  caller: Principal,
  tenantRef: string,
  filter: { unacknowledged?: boolean },
  page: PageRequest,
): Promise<{ tenant: Organisation; page: Page<Alert> }> {
  const person = requireTenantPerson(caller);
  const tenant = await tenantInScope(deps.registry, { tenantId: person.tenantId }, tenantRef);
  return { tenant, page: await deps.store.listAlerts(tenant.id, filter, page) };
}

/** Marks an alert seen (the first acknowledgement stays); the alert itself is never deleted. */
export async function acknowledgeAlert(deps: Pick<BreakGlassDeps, 'registry' | 'store' | 'clock'>, caller: Principal, tenantRef: string, eventId: string): Promise<Alert> {
  const admin = requireTenantAdmin(caller);
  const tenant = await tenantInScope(deps.registry, { tenantId: admin.tenantId }, tenantRef);
  const alert = await deps.store.acknowledgeAlert(tenant.id, eventId, admin.personId, deps.clock.now());
  if (alert === undefined) throw alertNotFound(eventId);
  return alert;
}
