import { CloudError } from '../app/ports/cloud.js';
import { computeImpact } from '../app/guardrails/impact.js';
import { accountsUnder, readOrgTree } from '../app/guardrails/org-tree.js';
import { selectTargetControls, setStage } from '../app/guardrails/rollouts.js';
import type { SimulatedCall } from '../cloud/simulated/enforcement.js';
import type { Control } from '../guardrails/catalog/schema.js';
import { headline } from '../guardrails/rollout/report.js';
import type { Container } from './container.js';
import type { Stoppable } from './server.js';

/**
 * The demo's preventive guardrails: once the demo accounts are provisioned, a week of tenant activity
 * in them (a few hundred calls, some in us-east-1 and some creating IAM users), then /Workloads's
 * region-deny and IAM-user controls put in audit with an impact report, so the portal, the API and
 * `hatoba guardrails impact /Workloads` have evidence to show. Done once: a restart finds the rollout.
 */

const DAY_MS = 86_400_000;
const DEMO_OU = '/Workloads';
const CALLS_PER_ACCOUNT = 60;

/** A small deterministic generator, so every demo shows the same week. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 0x1_0000_0000;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};

const ACTIONS = ['ec2:DescribeInstances', 'ec2:RunInstances', 's3:GetObject', 's3:PutObject', 'lambda:InvokeFunction', 'rds:DescribeDBInstances', 'logs:PutLogEvents', 'iam:CreateRole'] as const;
const REGIONS = ['ap-northeast-1', 'ap-northeast-1', 'ap-northeast-1', 'ap-northeast-1', 'ap-northeast-3', 'us-east-1'] as const;
/**
 * Tenants act through IAM Identity Center's two permission sets, whose roles each account names
 * AWSReservedSSO_<set>_<suffix> (the twin adds their reserved path for aws:PrincipalArn), in sessions
 * named after the user. Three calls in four are NonAdmin's.
 */
const PERMISSION_SETS = ['NonAdmin', 'NonAdmin', 'NonAdmin', 'Admin'] as const;
const ROLE_SUFFIX: Record<(typeof PERMISSION_SETS)[number], string> = { Admin: '3f1c0a9d5e7b2468', NonAdmin: '8b2e4d6f0a1c3579' };

/** An Identity Center session in an account: `arn:aws:sts::<account>:assumed-role/AWSReservedSSO_<set>_<suffix>/<user>`. */
export const identityCenterSession = (accountId: string, permissionSet: (typeof PERMISSION_SETS)[number], user: string) => ({
  arn: `arn:aws:sts::${accountId}:assumed-role/AWSReservedSSO_${permissionSet}_${ROLE_SUFFIX[permissionSet]}/${user}`,
  type: 'AssumedRole' as const,
});

/** A week of calls in each account: mostly Tokyo and Osaka, about one in six in us-east-1, and a few CreateUser (Admin's are exempt). */
export function demoCalls(accountIds: readonly string[], now: Date, seed = 7): SimulatedCall[] {
  const random = generator(seed);
  return accountIds.flatMap((accountId) =>
    Array.from({ length: CALLS_PER_ACCOUNT }, (_, i): SimulatedCall => {
      const permissionSet = pick(random, PERMISSION_SETS);
      const action = i % 20 === 7 ? 'iam:CreateUser' : pick(random, ACTIONS);
      return {
        accountId,
        principal: identityCenterSession(accountId, permissionSet, `${permissionSet.toLowerCase()}-${1 + Math.floor(random() * 3)}@example.jp`),
        action,
        region: action.startsWith('iam:') ? 'us-east-1' : pick(random, REGIONS),
        ...(action === 'iam:CreateUser' ? { requestParameters: { userName: `ci-user-${i}` } } : {}),
        eventTime: new Date(now.getTime() - 7 * DAY_MS + Math.floor(random() * 7 * DAY_MS)),
      };
    }),
  );
}

/** The catalog's region-deny and IAM-user controls, found by what their statements say rather than by id. */
export function demoControls(controls: readonly Control[]): string[] {
  const says = (c: Control, text: string) => c.implementations.preventive?.kind === 'SCP' && JSON.stringify(c.implementations.preventive.statements).includes(text);
  return [controls.find((c) => says(c, 'aws:RequestedRegion')), controls.find((c) => says(c, 'iam:CreateUser'))].flatMap((c) => (c === undefined ? [] : [c.id]));
}

/** One attempt: true when done (now or before), false when the demo accounts are not ready yet. */
export async function seedDemoGuardrails(container: Container, io: { out: (line: string) => void }, actor: string, signal?: AbortSignal): Promise<boolean> {
  const deps = container.guardrailDeps;
  const tree = await readOrgTree(deps.cloud);
  const ou = tree.ous.find((o) => o.path === DEMO_OU);
  if (ou === undefined) return false;
  if ((await deps.store.get({ provider: deps.cloud.provider, ouId: ou.id, kind: 'SCP' })) !== undefined) return true;
  const inFlight = await container.requestDeps.requests.countByStatus({});
  if (inFlight.pending + inFlight.running > 0) return false;
  const accounts = await accountsUnder(deps.cloud, tree, ou);
  if (accounts.length === 0) return false;

  const now = container.clock.now();
  let denied = 0;
  for (const call of demoCalls(accounts.map((a) => a.account.id), now)) {
    // Stopping mid-way leaves no rollout, so the next start lays the week down again (a few duplicate calls, no harm).
    if (signal?.aborted === true) return true;
    await container.cloud.simulateCall(call).catch((error: unknown) => {
      if (!(error instanceof CloudError && error.code === 'AccessDeniedException')) throw error;
      denied++;
    });
  }
  const controls = demoControls(await deps.catalog());
  if (controls.length === 0) {
    io.out('demo: the catalog has no region-deny control; no guardrail audit');
    return true;
  }
  const target = { target: ou.id, kind: 'SCP' as const, actor };
  await selectTargetControls(deps, { ...target, controls, reason: 'demo: Tokyo and Osaka only, no IAM users' });
  await setStage(deps, { ...target, stage: 'audit', reason: 'demo: measure the impact before enforcing' });
  const report = await computeImpact(deps, { ...target, since: new Date(now.getTime() - 7 * DAY_MS) });
  const text = headline(report.findings, report.since);
  io.out(`demo: ${accounts.length * CALLS_PER_ACCOUNT} tenant calls simulated (${denied} denied by SCPs in force)`);
  io.out(`demo: ${DEMO_OU} ${controls.join(', ')} in audit — ${text.en} (hatoba guardrails impact ${DEMO_OU}; report ${report.id})`);
  return true;
}

/** Tries every few seconds until the demo accounts exist, then seeds once. */
export function startDemoGuardrails(container: Container, io: { out: (line: string) => void }, actor: string, intervalMs = 2_000): Stoppable {
  const abort = new AbortController();
  const loop = (async () => {
    while (!abort.signal.aborted) {
      try {
        if (await seedDemoGuardrails(container, io, actor, abort.signal)) return;
      } catch (error) {
        io.out(`demo: guardrail audit not seeded yet (${error instanceof Error ? error.message : String(error)})`);
      }
      await container.clock.sleep(intervalMs, abort.signal);
    }
  })();
  return {
    stop: async () => {
      abort.abort();
      await loop;
    },
  };
}

/** Stops several background tasks as one. */
export const stopAll = (...tasks: Stoppable[]): Stoppable => ({ stop: async () => void (await Promise.all(tasks.map((t) => t.stop()))) });
