import type { Principal } from '../../domain/access/principal.js';
import { DomainError } from '../../domain/errors.js';
import { CentralPersonInput, TenantPersonInput, permissionSetFor } from '../../domain/people/person.js';
import type { NewPerson, Person } from '../ports/people-store.js';
import type { PersonAccessView } from '../ports/person-access.js';
import { readyAccounts } from './accounts.js';
import type { PeopleDeps } from './deps.js';
import { presentPerson, type PersonDetail } from './present.js';
import { mayAddToTenant, mayManageCentral, parseInput, tenantToAddTo } from './rules.js';

export type AddResult = { dryRun: boolean; person: PersonDetail };

const emailTaken = (): DomainError =>
  new DomainError('conflict', 'このメールアドレスの利用者は既に登録されています / a person with this e-mail address already exists', {
    issues: [{ path: ['email'], message: '既に使われています / already used by an active person' }],
  });

/** What the store would return: a dry run answers in the same shape as the real thing. */
function asPerson(person: NewPerson, tenant: { id: string; code: string } | null): Person {
  return {
    id: person.id,
    email: person.email,
    name: person.name,
    kind: person.kind,
    centralRoles: person.kind === 'central' ? person.centralRoles : [],
    tenant,
    tenantRole: person.kind === 'tenant' ? person.tenantRole : null,
    issuer: null,
    subject: null,
    status: 'active',
    createdAt: person.createdAt,
    createdBy: person.createdBy,
    removedAt: null,
    removedBy: null,
  };
}

/**
 * Adds a person to a tenant (by id or official code) and starts their provisioning in the same
 * transaction: an identity store user, and one assignment per ready account of the tenant through the
 * permission set of their role. A dry run checks everything, changes nothing, and shows the
 * assignments that would be made.
 */
export async function addTenantPerson(deps: PeopleDeps, caller: Principal, tenantRef: string, input: unknown, options: { dryRun: boolean }): Promise<AddResult> {
  const tenant = await tenantToAddTo(deps, caller, tenantRef);
  const data = parseInput(TenantPersonInput, input);
  await mayAddToTenant(deps, caller, tenant, data.role);
  const now = deps.clock.now();
  const newPerson: NewPerson = { id: deps.newId('per'), email: data.email, name: data.name, createdAt: now, createdBy: caller.email, kind: 'tenant', tenantId: tenant.id, tenantRole: data.role };
  if (options.dryRun) {
    if ((await deps.people.findActiveByEmail(data.email)) !== undefined) throw emailTaken();
    const rows: PersonAccessView[] = (await readyAccounts(deps, tenant.id)).map((account) => ({
      personId: newPerson.id,
      accountId: account.id,
      permissionSet: permissionSetFor(data.role),
      replacing: null,
      status: 'pending',
      requestedAt: now,
      readyAt: null,
      removedAt: null,
      requestId: null,
      failure: null,
      updatedAt: now,
      account: { name: account.name, environment: account.environment, provider: account.provider, providerAccountId: account.providerAccountId },
    }));
    return { dryRun: true, person: presentPerson(asPerson(newPerson, { id: tenant.id, code: tenant.code }), rows) };
  }
  const person = await deps.access.addPerson(newPerson, [deps.provisioning.provisionRun(newPerson.id, 'added')], now);
  await deps.provisioning.wake();
  return { dryRun: false, person: presentPerson(person, []) };
}

/** Adds a central person (operators only). Central people get no account assignments: they hold no tenant role. */
export async function addCentralPerson(deps: PeopleDeps, caller: Principal, input: unknown, options: { dryRun: boolean }): Promise<AddResult> {
  mayManageCentral(caller, true);
  const data = parseInput(CentralPersonInput, input);
  const now = deps.clock.now();
  const newPerson: NewPerson = { id: deps.newId('per'), email: data.email, name: data.name, createdAt: now, createdBy: caller.email, kind: 'central', centralRoles: data.roles };
  if (options.dryRun) {
    if ((await deps.people.findActiveByEmail(data.email)) !== undefined) throw emailTaken();
    return { dryRun: true, person: presentPerson(asPerson(newPerson, null), []) };
  }
  return { dryRun: false, person: presentPerson(await deps.access.addPerson(newPerson, [], now), []) };
}
