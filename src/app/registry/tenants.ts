import { scopedTenant, type TenantScope } from '../scope.js';
import { DomainError, validationFailed } from '../../domain/errors.js';
import { OrganisationInput, parentProblem, type Organisation } from '../../domain/registry/organisation.js';
import type { Page } from '../paging.js';
import type { OrganisationFilter, PageRequest } from '../ports/registry-store.js';
import { resolveScopedTenant, type RegistryDeps } from './deps.js';
import { parseOrThrow } from './validate.js';

export type ListTenantsQuery = OrganisationFilter & PageRequest;

/** Tenants by code; a tenant's own scope lists only itself (when it matches the filter). */
export async function listTenants(deps: Pick<RegistryDeps, 'store'>, scope: TenantScope, query: ListTenantsQuery): Promise<Page<Organisation>> {
  const { limit, cursor, ...filter } = query;
  const own = scopedTenant(scope);
  if (own === undefined) return deps.store.listOrganisations(filter, { limit, cursor });
  const tenant = await deps.store.getOrganisation(own);
  return { items: tenant !== undefined && cursor === undefined && matches(tenant, filter) ? [tenant] : [] };
}

function matches(o: Organisation, filter: OrganisationFilter): boolean {
  const q = filter.q?.toLowerCase();
  return (
    (filter.kind === undefined || o.kind === filter.kind) &&
    (filter.prefecture === undefined || o.prefecture === filter.prefecture) &&
    (filter.parentCode === undefined || o.parentCode === filter.parentCode) &&
    (q === undefined || o.code.includes(q) || o.nameJa.toLowerCase().includes(q) || o.nameEn.toLowerCase().includes(q))
  );
}

/** By id or by official code, within the scope (outside it: not found). */
export async function getTenant(deps: Pick<RegistryDeps, 'store'>, scope: TenantScope, ref: string): Promise<Organisation> {
  return resolveScopedTenant(deps, scope, ref);
}

export type CreateTenantCommand = { input: OrganisationInput; dryRun: boolean };
export type CreateTenantResult = { dryRun: boolean; tenant: Organisation };

/**
 * Registers one organisation. The parent must already be registered (a municipality's prefecture
 * first); a taken code is a conflict. A dry run validates everything and returns the organisation it
 * would create, with the id it would have had.
 */
export async function createTenant(deps: RegistryDeps, command: CreateTenantCommand): Promise<CreateTenantResult> {
  const input = parseOrThrow(OrganisationInput, command.input, 'the organisation');
  if ((await deps.store.getOrganisationByCode(input.code)) !== undefined) {
    throw new DomainError('conflict', `an organisation with code ${input.code} is already registered`, {
      issues: [{ path: ['code'], message: 'already registered' }],
    });
  }
  if (input.parentCode !== null) {
    const parent = await deps.store.getOrganisationByCode(input.parentCode);
    const problem =
      parent === undefined ? `no organisation with code ${input.parentCode} is registered; register the parent first` : parentProblem(input.kind, parent);
    if (problem !== undefined) throw validationFailed('the organisation is not valid', [{ path: ['parentCode'], message: problem }]);
  }
  const now = deps.clock.now();
  const tenant: Organisation = { ...input, id: deps.ids('org'), createdAt: now, updatedAt: now };
  if (!command.dryRun) await deps.store.saveOrganisations({ insert: [tenant], update: [] });
  return { dryRun: command.dryRun, tenant };
}

