import type { Principal } from '../../domain/access/principal.js';
import { RoleChangeInput, permissionSetFor } from '../../domain/people/person.js';
import type { PersonAccessView } from '../ports/person-access.js';
import type { PeopleDeps } from './deps.js';
import { presentPerson, type PersonDetail } from './present.js';
import { mayChangeRole, mayRemove, mustBeActive, notFoundPerson, parseInput, visiblePerson } from './rules.js';

export type ChangeResult = { dryRun: boolean; person: PersonDetail };

/**
 * Changes a tenant person's role, which swaps their permission set on every account of the tenant:
 * the new set is assigned first and the old one removed once the new one works. Same role: nothing
 * changes and no run starts.
 */
export async function changePersonRole(deps: PeopleDeps, caller: Principal, id: string, input: unknown, options: { dryRun: boolean }): Promise<ChangeResult> {
  const person = await visiblePerson(deps, caller, id);
  const data = parseInput(RoleChangeInput, input);
  mustBeActive(person);
  mayChangeRole(caller, person);
  const rows = await deps.access.listAccess([person.id]);
  if (person.tenantRole === data.role) return { dryRun: options.dryRun, person: presentPerson(person, rows) };
  const now = deps.clock.now();
  if (options.dryRun) {
    const wanted = permissionSetFor(data.role);
    const swapped: PersonAccessView[] = rows.map((r) =>
      r.status === 'removed' ? r : { ...r, permissionSet: wanted, replacing: r.permissionSet, status: 'pending', requestedAt: now, readyAt: null, requestId: null, updatedAt: now },
    );
    return { dryRun: true, person: presentPerson({ ...person, tenantRole: data.role }, swapped) };
  }
  const changed = await deps.access.changeTenantRole(person.id, data.role, [deps.provisioning.provisionRun(person.id, `role:${now.toISOString()}`)], now);
  if (changed === undefined) throw notFoundPerson(id);
  await deps.provisioning.wake();
  return { dryRun: false, person: presentPerson(changed, rows) };
}

/**
 * Removes a person: their sessions and API tokens end at once (same transaction), and a durable run
 * deletes every assignment and then their identity store user.
 */
export async function removePerson(deps: PeopleDeps, caller: Principal, id: string, options: { dryRun: boolean }): Promise<ChangeResult> {
  const person = await visiblePerson(deps, caller, id);
  mustBeActive(person);
  mayRemove(caller, person);
  const rows = await deps.access.listAccess([person.id]);
  const now = deps.clock.now();
  if (options.dryRun) {
    const removing: PersonAccessView[] = rows.map((r) => (r.status === 'removed' ? r : { ...r, status: 'removing', updatedAt: now }));
    return { dryRun: true, person: presentPerson({ ...person, status: 'removed', removedAt: now, removedBy: caller.email }, removing) };
  }
  const removed = await deps.access.removePerson(person.id, caller.email, now, [deps.provisioning.deprovisionRun(person.id)]);
  if (removed === undefined) throw notFoundPerson(id);
  await deps.provisioning.wake();
  return { dryRun: false, person: presentPerson(removed, rows) };
}
