import type { Principal } from '../domain/access/principal.js';
import type { Person } from '../app/ports/people-store.js';

/**
 * The principal a person is now: read from their row on every request, so a removed person or a
 * changed role takes effect at once. A row that does not make a whole principal (a central person
 * without roles, a tenant person without a tenant) is nobody.
 */
export function principalForPerson(person: Person, via: Principal['via']): Principal | undefined {
  if (person.status !== 'active') return undefined;
  const who = { personId: person.id, email: person.email, name: person.name, via };
  if (person.kind === 'central') return person.centralRoles.length === 0 ? undefined : { ...who, kind: 'central', roles: [...person.centralRoles] };
  if (person.tenant === null || person.tenantRole === null) return undefined;
  return { ...who, kind: 'tenant', tenantId: person.tenant.id, tenantCode: person.tenant.code, role: person.tenantRole };
}
