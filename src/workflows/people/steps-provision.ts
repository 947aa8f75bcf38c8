import type { CloudDriver } from '../../app/ports/cloud.js';
import type { Person } from '../../app/ports/people-store.js';
import type { PersonAccess } from '../../app/ports/person-access.js';
import { findInPages } from '../../app/cloud-pages.js';
import { ensurePermissionSets, ensurePersonUser, type PermissionSetArns } from '../../app/people/permission-sets.js';
import { permissionSetFor } from '../../domain/people/person.js';
import type { StepDefinition, StepOutcome } from '../engine/definition.js';
import { readyAccounts, type PeopleWorkflowDeps, type PersonRunInput, type PersonRunState, type ReadyAccount } from './deps.js';

/**
 * provision-person: the person's identity store user, the instance's two permission sets, one
 * assignment per ready account of their tenant through the set their role calls for, then the wait
 * for each assignment, recording when it became usable. Every step reads what is true now (the
 * person's role, the tenant's accounts, the rows already written) and does only what is missing, so
 * the run is safe to repeat and several runs for one person converge on the same assignments.
 */
type Step = StepDefinition<PersonRunInput, PersonRunState>;
type ActivePerson = Person & { tenant: { id: string; code: string }; tenantRole: NonNullable<Person['tenantRole']> };

async function activeTenantPerson(deps: PeopleWorkflowDeps, personId: string): Promise<ActivePerson | undefined> {
  const person = await deps.people.get(personId);
  if (person === undefined || person.status !== 'active' || person.tenant === null || person.tenantRole === null) return undefined;
  return { ...person, tenant: person.tenant, tenantRole: person.tenantRole };
}

const skip: StepOutcome<PersonRunState> = { type: 'done', patch: { skipped: true } };

/** The person's user in the provider's identity store, named by their e-mail address; found, or created once (src/app/people/permission-sets.ts). */
async function ensureUser(deps: PeopleWorkflowDeps, person: Person, provider: string, now: Date): Promise<string> {
  return (await ensurePersonUser(deps.cloudFor(provider), deps.access, person, now)).userId;
}

/** The user and the two sets for a provider, from the run's checkpoints or made now (and checkpointed by the caller). */
async function identityIn(deps: PeopleWorkflowDeps, person: Person, provider: string, state: PersonRunState, patch: PersonRunState, now: Date) {
  const users = { ...state.users, ...patch.users };
  const sets = { ...state.permissionSets, ...patch.permissionSets };
  const userId = users[provider] ?? (await ensureUser(deps, person, provider, now));
  const arns: PermissionSetArns = sets[provider] ?? (await ensurePermissionSets(deps.cloudFor(provider), deps.settings.permissionSets));
  patch.users = { ...users, [provider]: userId };
  patch.permissionSets = { ...sets, [provider]: arns };
  return { userId, arns };
}

export const ensureUserStep = (deps: PeopleWorkflowDeps): Step => ({
  name: 'ensure-user',
  run: async ({ input, now }) => {
    const person = await activeTenantPerson(deps, input.personId);
    if (person === undefined) return skip;
    const providers = [...new Set((await readyAccounts(deps, person.tenant.id)).map((a) => a.provider))];
    const users: Record<string, string> = {};
    for (const provider of providers) users[provider] = await ensureUser(deps, person, provider, now);
    return { type: 'done', patch: { users } };
  },
});

export const ensurePermissionSetsStep = (deps: PeopleWorkflowDeps): Step => ({
  name: 'ensure-permission-sets',
  run: async ({ state }) => {
    if (state.skipped === true) return { type: 'done' };
    const permissionSets: Record<string, PermissionSetArns> = {};
    for (const provider of Object.keys(state.users ?? {})) permissionSets[provider] = await ensurePermissionSets(deps.cloudFor(provider), deps.settings.permissionSets);
    return { type: 'done', patch: { permissionSets } };
  },
});

export async function assignmentExists(cloud: CloudDriver, accountId: string, permissionSetArn: string, userId: string): Promise<boolean> {
  const found = await findInPages((t) => cloud.listAccountAssignments(accountId, permissionSetArn, t), (a) => a.principalType === 'USER' && a.principalId === userId);
  return found !== undefined;
}

/** What the row of this account should become now, or undefined when it needs nothing. */
function nextRow(row: PersonAccess | undefined, person: ActivePerson, account: ReadyAccount, now: Date): PersonAccess | undefined {
  const wanted = permissionSetFor(person.tenantRole);
  if (row === undefined || row.status === 'removed' || row.status === 'removing') {
    // Access became due when the person was added or the account became ready, whichever was later.
    const due = account.readyAt !== null && account.readyAt > person.createdAt ? account.readyAt : person.createdAt;
    return { personId: person.id, accountId: account.id, permissionSet: wanted, replacing: null, status: 'pending', requestedAt: due, readyAt: null, removedAt: null, requestId: null, failure: null, updatedAt: now };
  }
  if (row.permissionSet !== wanted) {
    // A role change: the new set is assigned first, and the old one removed once it works (no gap).
    return { ...row, permissionSet: wanted, replacing: row.replacing ?? row.permissionSet, status: 'pending', requestedAt: now, readyAt: null, requestId: null, failure: null, updatedAt: now };
  }
  if (row.status === 'failed') return { ...row, status: 'pending', requestId: null, updatedAt: now };
  if (row.status === 'pending' && row.requestId === null) return row;
  return undefined;
}

export const assignAccountsStep = (deps: PeopleWorkflowDeps): Step => ({
  name: 'assign-accounts',
  run: async ({ input, state, now }) => {
    if (state.skipped === true) return { type: 'done' };
    const person = await activeTenantPerson(deps, input.personId);
    if (person === undefined) return skip;
    const patch: PersonRunState = {};
    for (const account of await readyAccounts(deps, person.tenant.id)) {
      const current = (await deps.access.getAccess(person.id, account.id)) ?? null;
      const row = nextRow(current ?? undefined, person, account, now);
      if (row === undefined) continue;
      const cloud = deps.cloudFor(account.provider);
      const { userId, arns } = await identityIn(deps, person, account.provider, state, patch, now);
      const assignment = { accountId: account.providerAccountId, permissionSetArn: arns[row.permissionSet], principalType: 'USER' as const, principalId: userId };
      // Written before the provider is asked, so a crash leaves a pending row that the next execution completes.
      // Not written: another run changed the row since it was read, and sees to it.
      if (!(await deps.access.saveAccess(row, current))) continue;
      if (await assignmentExists(cloud, assignment.accountId, assignment.permissionSetArn, userId)) {
        await deps.access.saveAccess({ ...row, status: 'ready', readyAt: now, updatedAt: now }, row);
        continue;
      }
      const status = await cloud.createAccountAssignment(assignment);
      await deps.access.saveAccess(
        status.status === 'FAILED'
          ? { ...row, status: 'failed', failure: status.failureReason ?? 'failed', updatedAt: now }
          : { ...row, status: status.status === 'SUCCEEDED' ? 'ready' : 'pending', readyAt: status.status === 'SUCCEEDED' ? now : null, requestId: status.status === 'SUCCEEDED' ? null : status.requestId, updatedAt: now },
        row,
      );
    }
    return { type: 'done', patch };
  },
});

export const waitForAssignmentsStep = (deps: PeopleWorkflowDeps): Step => ({
  name: 'wait-for-assignments',
  run: async ({ input, state, now }) => {
    if (state.skipped === true) return { type: 'done' };
    const rows = await deps.access.listAccess([input.personId]);
    let pending = false;
    let failed = false;
    let unasked = false;
    for (const row of rows) {
      const { provider, providerAccountId } = row.account;
      const cloud = deps.cloudFor(provider);
      if (row.status === 'pending' && row.requestId !== null) {
        const status = await cloud.describeAccountAssignmentCreationStatus(row.requestId);
        if (status.status === 'IN_PROGRESS') pending = true;
        else if (status.status === 'SUCCEEDED') {
          await deps.access.saveAccess({ ...row, status: 'ready', readyAt: now, requestId: null, updatedAt: now }, row);
          // The old set of a role change goes on the next look, now that the new one works.
          if (row.replacing !== null) pending = true;
        } else {
          failed = true;
          await deps.access.saveAccess({ ...row, status: 'failed', requestId: null, failure: status.failureReason ?? 'failed', updatedAt: now }, row);
        }
      } else if (row.status === 'pending') {
        // Written but never asked for (the asking execution died, or another run is asking now).
        unasked = true;
      } else if (row.status === 'ready' && row.replacing !== null && providerAccountId !== null) {
        pending = (await removeReplacedSet(deps, cloud, { ...row, providerAccountId, provider }, state, now)) || pending;
      }
    }
    if (failed) {
      const rounds = (state.failedRounds ?? 0) + 1;
      if (rounds >= deps.settings.maxFailedRounds) {
        return { type: 'fail', code: 'assignment_failed', message: 'アカウントの割り当てが繰り返し失敗しました。理由は利用者のアクセス一覧を見てください / an account assignment failed repeatedly; see the person’s access for the reason', action: 'retry', patch: { failedRounds: rounds } };
      }
      return { type: 'goto', step: 'assign-accounts', afterMs: deps.settings.pollIntervalMs * rounds, note: 'an assignment failed; asking again', patch: { failedRounds: rounds } };
    }
    if (unasked) return { type: 'goto', step: 'assign-accounts', afterMs: deps.settings.pollIntervalMs, note: 'an assignment was recorded but not yet asked for' };
    if (pending) return { type: 'wait', afterMs: deps.settings.pollIntervalMs };
    return { type: 'done' };
  },
});

/** After a role change works, deletes the old set's assignment and waits for it; true while that is in progress. */
async function removeReplacedSet(
  deps: PeopleWorkflowDeps,
  cloud: CloudDriver,
  row: PersonAccess & { provider: string; providerAccountId: string },
  state: PersonRunState,
  now: Date,
): Promise<boolean> {
  const { provider, providerAccountId, ...access } = row;
  if (access.replacing === null) return false;
  if (access.requestId !== null) {
    const status = await cloud.describeAccountAssignmentDeletionStatus(access.requestId);
    if (status.status === 'IN_PROGRESS') return true;
    // FAILED: ask again on the next look.
    await deps.access.saveAccess({ ...access, replacing: status.status === 'SUCCEEDED' ? null : access.replacing, requestId: null, updatedAt: now }, access);
    return status.status !== 'SUCCEEDED';
  }
  const userId = state.users?.[provider];
  const arns = state.permissionSets?.[provider];
  if (userId === undefined || arns === undefined) throw new Error(`no user or permission sets recorded for ${provider} before replacing a set`);
  const deletion = await cloud.deleteAccountAssignment({ accountId: providerAccountId, permissionSetArn: arns[access.replacing], principalType: 'USER', principalId: userId });
  await deps.access.saveAccess({ ...access, requestId: deletion.requestId, updatedAt: now }, access);
  return true;
}
