import { inScope, type TenantScope } from '../scope.js';
import { SystemInput, type System } from '../../domain/registry/system.js';
import { DomainError, notFound } from '../../domain/errors.js';
import type { Page } from '../paging.js';
import type { PageRequest, SystemWithOrganisation } from '../ports/registry-store.js';
import { resolveScopedTenant, type RegistryDeps } from './deps.js';
import { parseOrThrow } from './validate.js';

export type ListSystemsQuery = PageRequest & { tenant: string };

/** A tenant's systems by slug; the tenant by id or code. */
export async function listSystems(deps: Pick<RegistryDeps, 'store'>, scope: TenantScope, query: ListSystemsQuery): Promise<Page<System>> {
  const tenant = await resolveScopedTenant(deps, scope, query.tenant);
  return deps.store.listSystems(tenant.id, { limit: query.limit, cursor: query.cursor });
}

export async function getSystem(deps: Pick<RegistryDeps, 'store'>, scope: TenantScope, id: string): Promise<SystemWithOrganisation> {
  const found = await deps.store.getSystem(id);
  if (found === undefined || !inScope(scope, found.organisation.id)) throw notFound('system', id);
  return found;
}

export type CreateSystemCommand = { tenant: string; input: SystemInput; dryRun: boolean; scope: TenantScope };
export type CreateSystemResult = { dryRun: boolean; system: System };

/** Registers a system for a tenant, bound to one provider for its whole life. A taken slug is a conflict. */
export async function createSystem(deps: RegistryDeps, command: CreateSystemCommand): Promise<CreateSystemResult> {
  const input = parseOrThrow(SystemInput, command.input, 'the system');
  const tenant = await resolveScopedTenant(deps, command.scope, command.tenant);
  const now = deps.clock.now();
  const system: System = { ...input, id: deps.ids('sys'), organisationId: tenant.id, createdAt: now, updatedAt: now };
  if (!command.dryRun) return { dryRun: false, system: await deps.store.insertSystem(system) };
  // A dry run answers as the real thing would, conflict included.
  if ((await deps.store.getSystemBySlug(tenant.id, input.slug)) !== undefined) {
    throw new DomainError('conflict', `the tenant already has a system "${input.slug}"`, { issues: [{ path: ['slug'], message: 'already used by another system of this tenant' }] });
  }
  return { dryRun: true, system };
}
