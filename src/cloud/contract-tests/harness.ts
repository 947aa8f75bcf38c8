import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { CloudError, type CloudDriver, type CloudErrorCode, type CreateAccountStatus, type AssignmentStatus, type Page } from '../../app/ports/cloud.js';

/**
 * What a driver brings to the contract suite. The suite never sleeps: it asks the harness to let
 * provider time pass (advance a fake clock for the twin, step a mocked SDK for the AWS driver).
 */
export type CloudDriverHarness = {
  driver: CloudDriver;
  advance(ms: number): Promise<void>;
  dispose(): Promise<void>;
};

export type MakeHarness = () => Promise<CloudDriverHarness>;

/** Runs one test body on a fresh harness and always disposes of it. */
export const withHarness =
  (make: MakeHarness, body: (h: CloudDriverHarness) => Promise<void>) =>
  async (): Promise<void> => {
    const harness = await make();
    try {
      await body(harness);
    } finally {
      await harness.dispose();
    }
  };

/** Names and e-mails unique per run, so a suite can share one provider organisation between tests. */
export const unique = (prefix: string): string => `${prefix}-${randomBytes(4).toString('hex')}`;
export const uniqueEmail = (prefix: string): string => `${unique(prefix)}@contract.hatoba.invalid`;

// Generous: the twin under test uses short creation times; a mocked SDK answers on the next poll.
const POLL_STEP_MS = 10_000;
const MAX_POLLS = 500;

export async function waitForCreation(h: CloudDriverHarness, requestId: string): Promise<CreateAccountStatus> {
  for (let poll = 0; poll < MAX_POLLS; poll += 1) {
    const status = await h.driver.describeCreateAccountStatus(requestId);
    if (status.state !== 'IN_PROGRESS') return status;
    await h.advance(POLL_STEP_MS);
  }
  assert.fail(`creation ${requestId} still IN_PROGRESS after ${MAX_POLLS} polls`);
}

export async function createAccountNow(h: CloudDriverHarness, prefix = 'acct'): Promise<{ accountId: string; email: string }> {
  const email = uniqueEmail(prefix);
  const started = await h.driver.createAccount({ email, accountName: unique(prefix) });
  const done = await waitForCreation(h, started.id);
  assert.equal(done.state, 'SUCCEEDED', `creation of ${email} ended ${done.state} (${done.failureReason ?? ''})`);
  assert.ok(done.accountId !== undefined);
  return { accountId: done.accountId, email };
}

export async function waitForAssignment(h: CloudDriverHarness, requestId: string): Promise<AssignmentStatus> {
  for (let poll = 0; poll < MAX_POLLS; poll += 1) {
    const status = await h.driver.describeAccountAssignmentCreationStatus(requestId);
    if (status.status !== 'IN_PROGRESS') return status;
    await h.advance(POLL_STEP_MS);
  }
  assert.fail(`assignment ${requestId} still IN_PROGRESS after ${MAX_POLLS} polls`);
}

/** Follows nextToken to the end and fails on a page loop. */
export async function collect<T>(fetch: (nextToken?: string) => Promise<Page<T>>, maxPages = 1_000): Promise<{ items: T[]; pages: number }> {
  const items: T[] = [];
  let token: string | undefined;
  for (let pages = 1; pages <= maxPages; pages += 1) {
    const page = await fetch(token);
    items.push(...page.items);
    if (page.nextToken === undefined) return { items, pages };
    assert.notEqual(page.nextToken, token, 'a nextToken must move forward');
    token = page.nextToken;
  }
  assert.fail(`more than ${maxPages} pages`);
}

export async function rejectsWith(promise: Promise<unknown>, code: CloudErrorCode): Promise<CloudError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof CloudError, `expected a CloudError ${code}, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}, but the call succeeded`);
}

export const ACCOUNT_ID = /^\d{12}$/;
export const ROOT_ID = /^r-[0-9a-z]{4,32}$/;
export const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
export const CREATE_REQUEST_ID = /^car-[a-z0-9]{8,32}$/;
