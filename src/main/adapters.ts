import type { ProvisioningRegistry } from '../workflows/provisioning/deps.js';
import type { RequestDirectory, ResolvedSystem } from '../app/ports/provisioner.js';
import type { RegistryStore } from '../app/ports/registry-store.js';
import { placeAccount } from '../domain/registry/placement.js';
import { Environment } from '../domain/registry/account.js';
import { DomainError } from '../domain/errors.js';

/** The registry store seen through the narrow port provisioning needs. */
export function provisioningRegistry(store: RegistryStore): ProvisioningRegistry {
  return {
    async findSystem(systemId) {
      const found = await store.getSystem(systemId);
      return found === undefined ? undefined : { id: found.system.id, organisationId: found.system.organisationId, provider: found.system.provider };
    },
    async reserveAccount(input) {
      const existing = await store.getAccountByEmail(input.email);
      if (existing !== undefined && existing.id === input.id) return { reserved: true };
      try {
        await store.reserveAccount({ id: input.id, systemId: input.systemId, environment: Environment.parse(input.environment), name: input.name, email: input.email, status: 'provisioning', requestId: input.requestId });
        return { reserved: true };
      } catch (error) {
        if (error instanceof DomainError && error.code === 'conflict') {
          // A retry after a crash finds its own reservation: that is success, not a conflict.
          const mine = await store.getAccount(input.id);
          if (mine !== undefined) return { reserved: true };
          return { reserved: false, field: error.issues.some((i) => i.path.includes('name')) ? 'name' : 'email' };
        }
        throw error;
      }
    },
    async updateAccount(accountId, patch) {
      await store.updateAccount(accountId, patch);
    },
    async releaseOrFail(accountId, providerMayHoldIt) {
      if (!providerMayHoldIt && (await store.releaseAccount(accountId))) return;
      // A provider account may exist: keep the name and e-mail taken, and show the record as failed.
      if ((await store.getAccount(accountId)) !== undefined) await store.updateAccount(accountId, { status: 'failed' });
    },
  };
}

/** Resolves systems by id or by tenant code + slug, with the OU path the current rules give. */
export function requestDirectory(store: RegistryStore): RequestDirectory {
  return {
    async resolveSystems(refs) {
      const rules = await store.listPlacementRules();
      const codes = [...new Set(refs.flatMap((r) => (r.organisationCode === undefined ? [] : [r.organisationCode])))];
      const organisations = new Map((await store.findOrganisationsByCodes(codes)).map((o) => [o.code, o]));
      const cache = new Map<string, ResolvedSystem | undefined>();
      const results: (ResolvedSystem | undefined)[] = [];
      for (const ref of refs) {
        const key = ref.systemId ?? `${ref.organisationCode ?? ''}/${ref.systemName ?? ''}`;
        if (!cache.has(key)) cache.set(key, await resolveOne(ref));
        results.push(cache.get(key));
      }
      return results;

      async function resolveOne(ref: (typeof refs)[number]): Promise<ResolvedSystem | undefined> {
        let found;
        if (ref.systemId !== undefined) {
          found = await store.getSystem(ref.systemId);
        } else if (ref.organisationCode !== undefined && ref.systemName !== undefined) {
          const organisation = organisations.get(ref.organisationCode);
          const system = organisation === undefined ? undefined : await store.getSystemBySlug(organisation.id, ref.systemName.toLowerCase());
          found = organisation === undefined || system === undefined ? undefined : { system, organisation };
        }
        if (found === undefined) return undefined;
        const { system, organisation } = found;
        return {
          systemId: system.id,
          systemName: system.slug,
          organisationId: organisation.id,
          organisationCode: organisation.code,
          provider: system.provider,
          ouPathFor: (environment) => placeAccount(rules, organisation, system, Environment.parse(environment)).ouPath,
        };
      }
    },
  };
}
