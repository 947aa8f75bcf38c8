import { DomainError, validationFailed } from '../../domain/errors.js';
import { OrganisationInput, parentProblem, type Organisation } from '../../domain/registry/organisation.js';
import type { Page } from '../paging.js';
import type { OrganisationFilter, PageRequest } from '../ports/registry-store.js';
import { resolveTenant, type RegistryDeps } from './deps.js';
import { parseOrThrow } from './validate.js';

export type ListTenantsQuery = OrganisationFilter & PageRequest;

export function listTenants(deps: Pick<RegistryDeps, 'store'>, query: ListTenantsQuery): Promise<Page<Organisation>> {
  const { limit, cursor, ...filter } = query;
  return deps.store.listOrganisations(filter, { limit, cursor });
}

/** By id or by official code. */
export function getTenant(deps: Pick<RegistryDeps, 'store'>, ref: string): Promise<Organisation> {
  return resolveTenant(deps.store, ref);
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

