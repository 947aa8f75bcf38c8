import { ALL_TENANTS } from '../app/scope.js';
import { after, afterEach, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends, type TestDatabase } from '../store/testing.js';
import { provisioningHarness, requestAccounts, waitForRuns } from './testing/harness.js';
import { cloudAccountsWithEmail, createAccountCalls, allEvents, createAccountDirectly } from './testing/cloud.js';
import type { Container } from './container.js';
import { abandonAccountRequest, type PlannedRequest } from '../app/requests/use-cases.js';
import type { WorkflowRun } from '../app/ports/workflow-store.js';
import type { WorkflowRunner } from '../workflows/engine/runner.js';
import { creationSlot } from '../workflows/provisioning/deps.js';

/**
 * Each injected fault of the twin ends a provisioning run in the right state. The harness retries
 * fast (at most 4 attempts of a step) and times a creation out after 400 ms.
 */
for (const backend of backends()) {
  describe(`injected cloud faults on ${backend.name}`, () => {
    let t: TestDatabase | undefined;
    let c: Container;
    let runner: WorkflowRunner | undefined;

    before(async () => {
      t = await backend.open();
      c = await provisioningHarness(t.db);
      runner = c.createRunner({ concurrency: 8 });
      await runner.start();
    });
    afterEach(() => c.cloud.faults.clear());
    after(async () => {
      await runner?.stop();
      await t?.dispose();
    });

    /** Submits one request (account name `<prefix>-0`, e-mail `<prefix>-0@accounts.hatoba.example`). */
    async function submitOne(prefix: string): Promise<PlannedRequest> {
      const [request] = (await requestAccounts(c, 1, prefix)).requests;
      assert.ok(request);
      return request;
    }

    async function finished(request: PlannedRequest): Promise<WorkflowRun> {
      const [run] = await waitForRuns(c, [request.id]);
      assert.ok(run);
      return run;
    }

    async function registryStatus(request: PlannedRequest): Promise<string | undefined> {
      return (await c.registry.getAccount(request.accountId))?.account.status;
    }

    it('stops at wait-for-creation for an abandon when the e-mail already belongs to an account outside the organisation, keeping the reservation', async () => {
      const email = 'f-dup-0@accounts.hatoba.example';
      c.cloud.faults.injectCreation({ outcome: 'EMAIL_ALREADY_EXISTS', emails: [email] });
      const request = await submitOne('f-dup');
      assert.equal(request.email, email);
      const run = await finished(request);
      assert.equal(run.status, 'failed');
      assert.deepEqual(
        { step: run.failure?.step, code: run.failure?.code, action: run.failure?.action },
        { step: 'wait-for-creation', code: 'email_already_exists', action: 'abandon' },
      );
      assert.deepEqual(await cloudAccountsWithEmail(c.cloud, email), []);
      assert.equal(await registryStatus(request), 'provisioning', 'the name and e-mail stay reserved');
    });

    it('never takes over an account in the organisation that this request did not create, even with the same e-mail', async () => {
      const email = 'f-own-0@accounts.hatoba.example';
      const foreign = await createAccountDirectly(c.cloud, { email, accountName: 'audit-by-hand' });
      const foreignId = foreign.accountId ?? '';
      const parentBefore = await c.cloud.listParents(foreignId);
      const request = await submitOne('f-own');
      const run = await finished(request);
      assert.equal(run.status, 'failed');
      assert.equal(run.failure?.code, 'email_already_exists');
      assert.deepEqual(await c.cloud.listParents(foreignId), parentBefore, 'the foreign account was not moved');
      for (const ps of (await c.cloud.listPermissionSets()).items) {
        assert.deepEqual((await c.cloud.listAccountAssignments(foreignId, ps.arn)).items, [], 'nobody was given access to it');
      }
    });

    it('refuses an adopted creation whose account turns out to belong to another request (foreign_account)', async () => {
      const started = await createAccountDirectly(c.cloud, { email: 'f-for-0@accounts.hatoba.example', accountName: 'f-for-0', tags: { 'hatoba:request': 'req_someone_else' } });
      const input = {
        requestId: 'req_mine', accountId: 'acc_mine', organisationId: 'org_x', organisationCode: '131016', systemId: 'sys_x', provider: 'simulated',
        environment: 'dev', accountName: 'f-for-0', email: 'f-for-0@accounts.hatoba.example', ouPath: '/Workloads', requestedBy: 'tester@hatoba.example',
      };
      const context = { runId: 'req_mine', input, attempt: 1, stepStartedAt: new Date(), resumed: true, now: new Date(), signal: new AbortController().signal };
      const adopted = await c.workflow.execute('wait-for-creation', { ...context, state: { createRequestId: started.id, adoptedCreation: true } });
      assert.equal(adopted.type, 'fail');
      assert.equal(adopted.type === 'fail' ? adopted.code : '', 'foreign_account');
      // A creation this run made itself is not checked again (it is on the slot hand-over path).
      const own = await c.workflow.execute('wait-for-creation', { ...context, state: { createRequestId: started.id, adoptedCreation: false } });
      assert.equal(own.type, 'done');
    });

    it('creates the account again after a CONCURRENT_ACCOUNT_MODIFICATION failure and ends with exactly one account', async () => {
      const email = 'f-cam-0@accounts.hatoba.example';
      c.cloud.faults.injectCreation({ outcome: 'CONCURRENT_ACCOUNT_MODIFICATION', emails: [email], times: 1 });
      const request = await submitOne('f-cam');
      const run = await finished(request);
      assert.equal(run.status, 'succeeded', JSON.stringify(run.failure));
      assert.equal((await cloudAccountsWithEmail(c.cloud, email)).length, 1);
      const accepted = (await createAccountCalls(c.cloud, email)).filter((e) => e.errorCode === undefined);
      assert.equal(accepted.length, 2, 'one doomed creation, one that succeeded');

      const steps = await c.requestDeps.requests.steps(request.id);
      const wait = steps.find((s) => s.step === 'wait-for-creation');
      assert.equal(wait?.status, 'succeeded');
      assert.equal(wait?.lastError?.code, 'retrying_from_create-account');
      assert.match(wait?.lastError?.message ?? '', /CONCURRENT_ACCOUNT_MODIFICATION/);
      assert.deepEqual(steps.map((s) => s.status), steps.map(() => 'succeeded'));
    });

    it('waits out a throttled CreateAccount three times and then creates one account', async () => {
      const email = 'f-thr-0@accounts.hatoba.example';
      c.cloud.faults.injectCall({ operation: 'CreateAccount', error: 'TooManyRequestsException', times: 3 });
      const request = await submitOne('f-thr');
      const run = await finished(request);
      assert.equal(run.status, 'succeeded', JSON.stringify(run.failure));
      assert.equal((await cloudAccountsWithEmail(c.cloud, email)).length, 1);
      const calls = await createAccountCalls(c.cloud, email);
      assert.deepEqual(
        calls.map((e) => e.errorCode ?? 'accepted').sort(),
        ['TooManyRequestsException', 'TooManyRequestsException', 'TooManyRequestsException', 'accepted'].sort(),
      );
      const create = (await c.requestDeps.requests.steps(request.id)).find((s) => s.step === 'create-account');
      assert.equal(create?.lastError?.code, 'TooManyRequestsException');
    });

    it('retries MoveAccount through two service errors and "another operation is in progress", then places the account', async () => {
      const email = 'f-mov-0@accounts.hatoba.example';
      c.cloud.faults.injectCall({ operation: 'MoveAccount', error: 'ServiceException', times: 2 });
      c.cloud.faults.injectCall({ operation: 'MoveAccount', error: 'ConcurrentModificationException', times: 1 });
      const request = await submitOne('f-mov');
      const run = await finished(request);
      assert.equal(run.status, 'succeeded', JSON.stringify(run.failure));
      const [account] = await cloudAccountsWithEmail(c.cloud, email);
      assert.ok(account);
      assert.equal((await c.cloud.listParents(account.id)).type, 'ORGANIZATIONAL_UNIT');
      const moves = (await allEvents(c.cloud, { accountId: account.id, eventName: 'MoveAccount' })).reverse();
      assert.deepEqual(moves.map((e) => e.errorCode ?? 'ok'), ['ServiceException', 'ServiceException', 'ConcurrentModificationException', 'ok']);
      assert.match(moves[2]?.errorMessage ?? '', /another operation is in progress/i);
      const place = (await c.requestDeps.requests.steps(request.id)).find((s) => s.step === 'place-in-ou');
      assert.deepEqual({ status: place?.status, attempts: place?.attempts }, { status: 'succeeded', attempts: 4 });
    });

    it('fails with creation_timed_out when a creation never completes, gives the slot back, and the next request still provisions', async () => {
      const email = 'f-nev-0@accounts.hatoba.example';
      c.cloud.faults.injectCreation({ outcome: 'NEVER_COMPLETES', emails: [email], times: 1 });
      const request = await submitOne('f-nev');
      const run = await finished(request);
      assert.equal(run.status, 'failed');
      assert.deepEqual(
        { step: run.failure?.step, code: run.failure?.code, action: run.failure?.action },
        { step: 'wait-for-creation', code: 'creation_timed_out', action: 'retry-or-abandon' },
      );
      assert.deepEqual(await c.workflowStore.slotHolders(creationSlot('simulated')), [], 'no slot is held by the failed run');
      assert.deepEqual(await cloudAccountsWithEmail(c.cloud, email), []);

      const next = await submitOne('f-nxt');
      const nextRun = await finished(next);
      assert.equal(nextRun.status, 'succeeded', JSON.stringify(nextRun.failure));
      assert.equal((await cloudAccountsWithEmail(c.cloud, next.email)).length, 1);
    });

    it('fails with account_limit_exceeded when the organisation has no room for another account', async () => {
      const email = 'f-lim-0@accounts.hatoba.example';
      c.cloud.faults.injectCreation({ outcome: 'ACCOUNT_LIMIT_EXCEEDED', emails: [email], times: 1 });
      const request = await submitOne('f-lim');
      const run = await finished(request);
      assert.equal(run.status, 'failed');
      assert.deepEqual({ step: run.failure?.step, code: run.failure?.code }, { step: 'wait-for-creation', code: 'account_limit_exceeded' });
      assert.deepEqual(await cloudAccountsWithEmail(c.cloud, email), []);

      // Nothing was created, so abandoning frees the name and e-mail and the same request can be sent again.
      const abandoned = await abandonAccountRequest(c.requestDeps, ALL_TENANTS, request.id);
      assert.equal(abandoned.status, 'abandoned');
      assert.equal(abandoned.released, true);
      const again = await submitOne('f-lim');
      assert.equal(again.email, email);
      const rerun = await finished(again);
      assert.equal(rerun.status, 'succeeded', JSON.stringify(rerun.failure));
    });

    it('asks the provider before freeing a name: an account tagged for the request keeps it taken, and abandoning twice is harmless', async () => {
      const email = 'f-ask-0@accounts.hatoba.example';
      c.cloud.faults.injectCreation({ outcome: 'ACCOUNT_LIMIT_EXCEEDED', emails: [email], times: 1 });
      const request = await submitOne('f-ask');
      assert.equal((await finished(request)).status, 'failed');
      // A creation that reached the provider although nothing was recorded (the call "failed" on our side).
      await createAccountDirectly(c.cloud, { email, accountName: request.accountName, tags: { 'hatoba:request': request.id } });
      const first = await abandonAccountRequest(c.requestDeps, ALL_TENANTS, request.id);
      assert.equal(first.released, false, 'the provider holds an account for this request');
      assert.equal(await registryStatus(request), 'failed');
      const second = await abandonAccountRequest(c.requestDeps, ALL_TENANTS, request.id);
      assert.equal(second.status, 'abandoned');
      assert.equal(second.released, false);
    });

    it('keeps the name and e-mail taken when a request is abandoned after its account was created', async () => {
      c.cloud.faults.injectCall({ operation: 'StartSupportPlanUpdate', error: 'ServiceException' });
      const request = await submitOne('f-keep');
      const run = await finished(request);
      assert.equal(run.status, 'failed');
      const abandoned = await abandonAccountRequest(c.requestDeps, ALL_TENANTS, request.id);
      assert.equal(abandoned.released, false);
      assert.equal(await registryStatus(request), 'failed');
      await assert.rejects(requestAccounts(c, 1, 'f-keep'), (error: unknown) => error instanceof Error && /already used/.test(JSON.stringify(error)));
    });

    it('gives up support enrolment with retries_exhausted while the provider keeps failing, and an operator retry then finishes it', async () => {
      const email = 'f-sup-0@accounts.hatoba.example';
      c.cloud.faults.injectCall({ operation: 'StartSupportPlanUpdate', error: 'ServiceException' });
      const request = await submitOne('f-sup');
      const run = await finished(request);
      assert.equal(run.status, 'failed');
      assert.deepEqual({ step: run.failure?.step, code: run.failure?.code }, { step: 'enrol-support', code: 'retries_exhausted' });
      const enrol = (await c.requestDeps.requests.steps(request.id)).find((s) => s.step === 'enrol-support');
      assert.deepEqual({ status: enrol?.status, attempts: enrol?.attempts }, { status: 'failed', attempts: 4 });

      c.cloud.faults.clear();
      await c.requestDeps.provisioner.retry(request.id);
      const retried = await finished(request);
      assert.equal(retried.status, 'succeeded', JSON.stringify(retried.failure));
      const [account] = await cloudAccountsWithEmail(c.cloud, email);
      assert.ok(account);
      assert.equal(await c.cloud.getSupportPlan(account.id), 'BUSINESS');
      assert.equal(await registryStatus(request), 'ready');
    });

    it('lets an operator abandon a failed request: the request ends abandoned, and its reservation is given back when nothing was created', async () => {
      const email = 'f-abn-0@accounts.hatoba.example';
      c.cloud.faults.injectCreation({ outcome: 'ACCOUNT_LIMIT_EXCEEDED', emails: [email], times: 1 });
      const request = await submitOne('f-abn');
      assert.equal((await finished(request)).status, 'failed');
      await c.requestDeps.provisioner.abandon(request.id);
      assert.equal((await c.requestDeps.requests.get(request.id))?.status, 'abandoned');
      assert.equal((await c.workflowStore.getRun(request.id))?.status, 'abandoned');
      assert.equal(await registryStatus(request), undefined, 'the provider created nothing: the reservation is released');
      assert.deepEqual(await c.workflowStore.slotHolders(creationSlot('simulated')), []);
    });
  });
}
