import { invalidState } from '../../domain/errors.js';
import type { GeneratedPolicy } from '../../guardrails/iam/generate.js';
import type { OrganizationPolicyKind } from '../../guardrails/iam/policy-schema.js';
import { isManagedPolicy } from '../../guardrails/rollout/proposal.js';
import { ensureNamed, findInPages } from '../cloud-pages.js';
import { CloudError, type OrganizationPolicy } from '../ports/cloud.js';
import type { RolloutCloud } from './deps.js';
import { allPages } from './org-tree.js';

/**
 * Brings a target's managed policies (`hatoba-<ou>-scp-<n>`) to the desired state on the provider:
 * exactly the given documents attached, or none. Every step looks before it acts and tolerates the
 * race it can lose, so running it again — after a crash, or twice at once — converges to the same place.
 */

const SCP = 'SERVICE_CONTROL_POLICY' as const;

const ignoring = async (run: () => Promise<unknown>, ...codes: string[]): Promise<void> => {
  try {
    await run();
  } catch (error) {
    if (!(error instanceof CloudError && codes.includes(error.code))) throw error;
  }
};

/** Refuses a kind of policy the provider cannot attach yet (before anything is recorded or changed). */
export function supported(kind: OrganizationPolicyKind): void {
  if (kind !== 'SCP') {
    throw invalidState('このプロバイダーはまだ RCP を付与できません / this provider cannot attach resource control policies yet');
  }
}

async function managedOf(cloud: RolloutCloud, targetId: string, kind: OrganizationPolicyKind): Promise<{ all: OrganizationPolicy[]; attached: OrganizationPolicy[] }> {
  const all = (await allPages((t) => cloud.listPolicies(SCP, t))).filter((p) => isManagedPolicy(p.name, targetId, kind));
  const attached = (await allPages((t) => cloud.listPoliciesForTarget(targetId, SCP, t))).filter((p) => isManagedPolicy(p.name, targetId, kind));
  return { all, attached };
}

async function remove(cloud: RolloutCloud, targetId: string, policies: { all: OrganizationPolicy[]; attached: OrganizationPolicy[] }, keep: ReadonlySet<string>): Promise<void> {
  for (const policy of policies.attached) {
    if (!keep.has(policy.name)) await ignoring(() => cloud.detachPolicy(policy.id, targetId), 'PolicyNotAttachedException', 'PolicyNotFoundException');
  }
  for (const policy of policies.all) {
    if (!keep.has(policy.name)) await ignoring(() => cloud.deletePolicy(policy.id), 'PolicyNotFoundException');
  }
}

/** Attaches exactly `policies` (creating or updating them by name) and removes the target's other managed policies. */
export async function ensureAttached(cloud: RolloutCloud, targetId: string, kind: OrganizationPolicyKind, policies: readonly GeneratedPolicy[]): Promise<string[]> {
  supported(kind);
  const before = await managedOf(cloud, targetId, kind);
  // Stale ones first, so the new set never needs more slots than the target has.
  await remove(cloud, targetId, before, new Set(policies.map((p) => p.name)));
  const attached = new Set(before.attached.map((p) => p.id));
  const ids: string[] = [];
  for (const generated of policies) {
    const existing = before.all.find((p) => p.name === generated.name);
    let policy: OrganizationPolicy;
    if (existing === undefined) {
      policy = await ensureNamed(
        () => findInPages((t) => cloud.listPolicies(SCP, t), (p) => p.name === generated.name),
        () => cloud.createPolicy({ name: generated.name, description: generated.description, content: generated.content, type: SCP }),
        ['DuplicatePolicyException'],
      );
    } else {
      policy = existing;
    }
    if (policy.content !== generated.content || policy.description !== generated.description) {
      policy = await cloud.updatePolicy(policy.id, { content: generated.content, description: generated.description });
    }
    if (!attached.has(policy.id)) await ignoring(() => cloud.attachPolicy(policy.id, targetId), 'DuplicatePolicyAttachmentException');
    ids.push(policy.id);
  }
  return ids;
}

/** Detaches and deletes every policy Hatoba manages on the target. */
export async function ensureDetached(cloud: RolloutCloud, targetId: string, kind: OrganizationPolicyKind): Promise<void> {
  if (kind !== 'SCP') return;
  await remove(cloud, targetId, await managedOf(cloud, targetId, kind), new Set());
}
