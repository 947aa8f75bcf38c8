/**
 * The registry's use cases bound to their dependencies, for composition roots that prefer one object.
 * Each is also exported as a plain function taking deps first.
 */
import type { RegistryDeps } from './deps.js';
import { getAccount, listAccounts, type ListAccountsQuery } from './accounts.js';
import { seedDemoFederation } from './demo-federation.js';
import { importOrganisations, type ImportOrganisationsCommand } from './import-organisations.js';
import { listPlacementRules, replacePlacementRules, type ReplacePlacementRulesCommand } from './placement.js';
import { createSystem, getSystem, listSystems, type CreateSystemCommand, type ListSystemsQuery } from './systems.js';
import { createTenant, getTenant, listTenants, type CreateTenantCommand, type ListTenantsQuery } from './tenants.js';

export function registryUseCases(deps: RegistryDeps) {
  return {
    listTenants: (query: ListTenantsQuery) => listTenants(deps, query),
    getTenant: (ref: string) => getTenant(deps, ref),
    createTenant: (command: CreateTenantCommand) => createTenant(deps, command),
    importOrganisations: (command: ImportOrganisationsCommand) => importOrganisations(deps, command),
    listSystems: (query: ListSystemsQuery) => listSystems(deps, query),
    getSystem: (id: string) => getSystem(deps, id),
    createSystem: (command: CreateSystemCommand) => createSystem(deps, command),
    listPlacementRules: () => listPlacementRules(deps),
    replacePlacementRules: (command: ReplacePlacementRulesCommand) => replacePlacementRules(deps, command),
    listAccounts: (query: ListAccountsQuery) => listAccounts(deps, query),
    getAccount: (id: string) => getAccount(deps, id),
    seedDemoFederation: (options: { dryRun: boolean }) => seedDemoFederation(deps, options),
  };
}
export type RegistryUseCases = ReturnType<typeof registryUseCases>;
