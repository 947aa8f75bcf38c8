import { hasAnyRole, type Principal } from '../../domain/access/principal.js';
import type { TenantRole } from '../../domain/access/roles.js';
import { DomainError, validationFailed } from '../../domain/errors.js';
import type { Organisation } from '../../domain/registry/organisation.js';
import type { Person } from '../ports/people-store.js';
import { issuesOf } from '../registry/validate.js';
import type { z } from 'zod';
import type { PeopleDeps } from './deps.js';

/**
 * Who may do what with people, checked by the use cases themselves (the API's policy table lets the
 * roles in; these rules judge the tenant and the person). A tenant person acts only in their own
 * tenant: another tenant, or a person of another tenant, is answered as not found, never as forbidden.
 * Tenant people are the tenant's (local autonomy, DESIGN idea 5): no central role reads them, and a
 * central operator adds only a tenant's first admin (and sees the person they created, nothing else).
 */

export const notFoundPerson = (id: string): DomainError => new DomainError('not_found', `利用者 ${id} が見つかりません / person ${id} was not found`);
const notFoundTenant = (ref: string): DomainError => new DomainError('not_found', `テナント ${ref} が見つかりません / tenant ${ref} was not found`);
export const forbidden = (ja: string, en: string): DomainError => new DomainError('forbidden', `${ja} / ${en}`);

const isOperator = (caller: Principal): boolean => caller.kind === 'central' && hasAnyRole(caller, ['operator']);
const isTenantAdminOf = (caller: Principal, tenantId: string): boolean => caller.kind === 'tenant' && caller.tenantId === tenantId && caller.role === 'tenant_admin';

/** Parses at the use case boundary: every problem at once, each at its field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.output<T> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationFailed('入力に誤りがあります / the person is not valid', issuesOf(result.error));
  return result.data;
}

const tenantPeopleAreTheirs = (): DomainError => forbidden('テナントの利用者は、そのテナントの人だけが見られます', "a tenant's people are seen by that tenant's people only");

/** The tenant named by id or official code, when it is the caller's own (another tenant is not found). */
async function ownTenant(deps: PeopleDeps, caller: Principal, ref: string): Promise<Organisation> {
  const tenant = (await deps.registry.getOrganisation(ref)) ?? (await deps.registry.getOrganisationByCode(ref));
  if (tenant === undefined || (caller.kind === 'tenant' && caller.tenantId !== tenant.id)) throw notFoundTenant(ref);
  return tenant;
}

/** The tenant whose people the caller lists: their own tenant's people only; never a central role. */
export async function tenantWhosePeopleAreVisible(deps: PeopleDeps, caller: Principal, ref: string): Promise<Organisation> {
  const tenant = await ownTenant(deps, caller, ref);
  if (caller.kind === 'central') throw tenantPeopleAreTheirs();
  return tenant;
}

/** The tenant the caller adds a person to: their own, or (a central operator, see `mayAddToTenant`) any. */
export async function tenantToAddTo(deps: PeopleDeps, caller: Principal, ref: string): Promise<Organisation> {
  const tenant = await ownTenant(deps, caller, ref);
  if (caller.kind === 'central' && !isOperator(caller)) throw forbidden('利用者を追加できるのは運用担当だけです', 'only operators add people');
  return tenant;
}

/** A tenant admin adds anyone to their own tenant; a central operator only the tenant's first admin. */
export async function mayAddToTenant(deps: PeopleDeps, caller: Principal, tenant: Organisation, role: TenantRole): Promise<void> {
  if (isTenantAdminOf(caller, tenant.id)) return;
  if (caller.kind === 'tenant') throw forbidden('利用者を追加できるのはテナント管理者だけです', 'only tenant admins add people');
  if (!isOperator(caller)) throw forbidden('利用者を追加できるのは運用担当だけです', 'only operators add people');
  if (role !== 'tenant_admin' || (await deps.access.activeAdminCount(tenant.id)) > 0) {
    throw forbidden('運用担当が追加できるのはテナントの最初の管理者だけです', "a central operator adds only a tenant's first admin");
  }
}

/** The person, when the caller may see them: tenant people see their tenant's, operators central people. */
export async function visiblePerson(deps: PeopleDeps, caller: Principal, id: string): Promise<Person> {
  const person = await deps.people.get(id);
  if (person === undefined) throw notFoundPerson(id);
  if (caller.kind === 'tenant') {
    if (person.tenant?.id !== caller.tenantId) throw notFoundPerson(id);
    return person;
  }
  if (person.kind === 'tenant') throw tenantPeopleAreTheirs();
  if (!isOperator(caller)) throw forbidden('利用者を見られるのは運用担当だけです', 'only operators see people');
  return person;
}

/** Acting on yourself: located at the person the request names. */
const onYourself = (ja: string, en: string): DomainError =>
  new DomainError('invalid_state', `${ja} / ${en}`, { issues: [{ path: ['id'], message: `${ja} / ${en}` }] });

/**
 * Changing a tenant person's role is their tenant admin's decision alone, and never about themselves:
 * an admin who demoted themselves could leave the tenant with no admin (and only an operator can add
 * a first one). Another admin changes them, as removal requires.
 */
export function mayChangeRole(caller: Principal, person: Person): void {
  if (person.kind !== 'tenant' || person.tenant === null) throw new DomainError('invalid_state', '役割を変えられるのはテナントの利用者だけです / only a tenant person has a tenant role');
  if (!isTenantAdminOf(caller, person.tenant.id)) throw forbidden('役割を変えられるのはテナント管理者だけです', 'only the tenant admin changes roles');
  if (caller.personId === person.id) throw onYourself('自分自身の役割は変更できません。別のテナント管理者に依頼してください', 'you cannot change your own role; ask another tenant admin');
}

/** A tenant admin removes their tenant's people; a central operator removes central people. Nobody removes themselves. */
export function mayRemove(caller: Principal, person: Person): void {
  if (caller.personId === person.id) throw onYourself('自分自身は削除できません', 'you cannot remove yourself');
  if (person.kind === 'tenant' && person.tenant !== null && isTenantAdminOf(caller, person.tenant.id)) return;
  if (person.kind === 'central' && isOperator(caller)) return;
  throw forbidden('この利用者を削除する権限がありません', 'your role does not allow removing this person');
}

export function mustBeActive(person: Person): void {
  if (person.status !== 'active') throw new DomainError('invalid_state', `利用者 ${person.id} は削除済みです / person ${person.id} has been removed`);
}

/** Central people are managed by operators; every central role may see who they are. */
export function mayManageCentral(caller: Principal, write: boolean): void {
  if (caller.kind !== 'central') throw forbidden('中央の利用者は中央の役割だけが扱えます', 'central people are for central roles only');
  if (write && !isOperator(caller)) throw forbidden('中央の利用者を追加できるのは運用担当だけです', 'only operators add central people');
}
