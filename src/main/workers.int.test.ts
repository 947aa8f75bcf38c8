import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { createScratchDatabase, serverUrl } from '../store/testing.js';
import { openPostgres } from '../store/postgres.js';
import { migrate } from '../store/migrate.js';
import type { Database } from '../store/database.js';
import type { PlannedRequest } from '../app/requests/use-cases.js';
import type { Container } from './container.js';
import { provisioningHarness, requestAccounts } from './testing/harness.js';
import { allCloudAccounts, allEvents } from './testing/cloud.js';
import { eventually, spawnHatoba, stopHatoba, type HatobaProcess } from './testing/processes.js';

/**
 * Several real `hatoba serve --role worker` processes share one PostgreSQL database and one twin:
 * the provider's limit of 5 account creations in flight holds across them, and a worker killed
 * mid-flight leaves no duplicate and no orphan account.
 */

const url = serverUrl();
const REQUESTS = 40;
const LIMIT = 5;
// A short lease so the killed worker's runs are taken over in seconds, not the default 30.
const WORKER_ENV = { HATOBA_TWIN_CREATION_MS: '300', HATOBA_POLL_INTERVAL_MS: '20', HATOBA_WORKER_CONCURRENCY: '8', HATOBA_LEASE_MS: '3000' };

/**
 * The product clears `lease_owner` when a run finishes, so nothing durable says which worker did
 * what. For the test only, a trigger in the scratch database records every claim (run, new owner,
 * step). It observes; it changes nothing the product reads.
 */
async function recordClaims(db: Database): Promise<void> {
  await db.exec(`
    CREATE TABLE test_claims (seq bigserial PRIMARY KEY, run_id text NOT NULL, owner text NOT NULL, step text, at timestamptz NOT NULL DEFAULT clock_timestamp());
    CREATE FUNCTION test_record_claim() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO test_claims (run_id, owner, step) VALUES (NEW.id, NEW.lease_owner, NEW.current_step);
      RETURN NEW;
    END $$;
    CREATE TRIGGER test_record_claim AFTER UPDATE OF lease_owner ON workflow_runs FOR EACH ROW
      WHEN (NEW.lease_owner IS NOT NULL AND NEW.lease_owner IS DISTINCT FROM OLD.lease_owner)
      EXECUTE FUNCTION test_record_claim();`);
}

/** Worker owners are `<host>:<pid>:<random>`. */
const pidOf = (owner: string): number | undefined => {
  const match = /:(\d+):[^:]+$/.exec(owner);
  return match?.[1] === undefined ? undefined : Number(match[1]);
};

const Claim = z.object({ run_id: z.string(), owner: z.string(), step: z.string().nullable() });
const claims = async (db: Database) => (await db.query('SELECT run_id, owner, step FROM test_claims ORDER BY seq')).map((r) => Claim.parse(r));

const StatusCount = z.object({ status: z.string(), n: z.coerce.number() });
const Failed = z.object({ id: z.string(), failure: z.unknown() });

/** Waits until every run succeeded; stops early when one fails or a worker that should live has exited. */
async function everyRunSucceeded(db: Database, live: () => HatobaProcess[], timeoutMs: number): Promise<void> {
  await eventually(
    `all ${REQUESTS} requests to succeed`,
    async () => {
      const gone = live().find((w) => w.hasExited());
      if (gone !== undefined) throw new Error(`worker ${gone.pid} exited early:\n${gone.stderr()}`);
      const failed = (await db.query(`SELECT id, failure FROM workflow_runs WHERE status IN ('failed', 'abandoned')`)).map((r) => Failed.parse(r));
      if (failed.length > 0) throw new Error(`runs failed: ${JSON.stringify(failed)}`);
      const counts = (await db.query('SELECT status, count(*) AS n FROM workflow_runs GROUP BY status')).map((r) => StatusCount.parse(r));
      return counts.find((c) => c.status === 'succeeded')?.n === REQUESTS ? true : undefined;
    },
    timeoutMs,
    25,
  );
}

const Interval = z.object({ requested_at: z.date(), completes_at: z.date().nullable() });

/** Most creations IN_PROGRESS at one instant; a request is in flight over [requested_at, completes_at). */
async function maxCreationsInFlight(db: Database): Promise<{ max: number; total: number }> {
  const intervals = (await db.query('SELECT requested_at, completes_at FROM twin_create_account_requests')).map((r) => Interval.parse(r));
  const edges = intervals.flatMap((i) => [
    { at: i.requested_at.getTime(), delta: 1 },
    { at: i.completes_at?.getTime() ?? Number.POSITIVE_INFINITY, delta: -1 },
  ]);
  // At the same instant the finished one leaves before the new one enters (the twin counts completes_at > now).
  edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
  let current = 0;
  let max = 0;
  for (const edge of edges) {
    current += edge.delta;
    max = Math.max(max, current);
  }
  return { max, total: intervals.length };
}

/** Each request has exactly one cloud account with its e-mail; besides the management account there is no other. */
async function assertOneAccountPerRequest(c: Container, requests: PlannedRequest[]): Promise<void> {
  const accounts = (await allCloudAccounts(c.cloud)).filter((a) => a.id !== c.cloud.organization.managementAccountId);
  const byEmail = new Map<string, number>();
  for (const a of accounts) byEmail.set(a.email.toLowerCase(), (byEmail.get(a.email.toLowerCase()) ?? 0) + 1);
  const duplicates = [...byEmail].filter(([, n]) => n > 1).map(([email]) => email);
  assert.deepEqual(duplicates, [], 'no e-mail has two accounts');
  const requested = new Set(requests.map((r) => r.email.toLowerCase()));
  assert.deepEqual([...byEmail.keys()].filter((e) => !requested.has(e)), [], 'no account that nobody requested');
  assert.deepEqual(requests.filter((r) => !byEmail.has(r.email.toLowerCase())).map((r) => r.email), [], 'every request has its account');
  assert.equal(accounts.length, requests.length);
}

describe('three worker processes sharing one PostgreSQL database', { skip: url === undefined ? 'no PostgreSQL server (set TEST_DATABASE_URL)' : false }, () => {
  const cleanups: (() => Promise<unknown>)[] = [];

  // Runs whether the test passed or not: workers killed first, then the connection, then the database.
  afterEach(async () => {
    const errors: unknown[] = [];
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((e: unknown) => errors.push(e));
    if (errors.length > 0) throw new AggregateError(errors, 'cleaning up after the test failed');
  });

  async function startCluster(server: string) {
    const scratch = await createScratchDatabase(server);
    cleanups.push(() => scratch.drop());
    const db = await openPostgres(scratch.url);
    cleanups.push(() => db.close());
    await migrate(db);
    await recordClaims(db);
    const container = await provisioningHarness(db);
    const { requests } = await requestAccounts(container, REQUESTS, 'w');
    assert.equal(requests.length, REQUESTS);
    const workers = [0, 1, 2].map(() => spawnHatoba(['serve', '--role', 'worker'], { DATABASE_URL: scratch.url, ...WORKER_ENV }));
    for (const w of workers) cleanups.push(() => stopHatoba(w, 'SIGKILL', 5_000));
    return { db, container, requests, workers };
  }

  it('keeps at most 5 creations in flight across three workers, is never refused by the provider, and makes one account per request', async () => {
    assert.ok(url);
    const { db, container, requests, workers } = await startCluster(url);
    await everyRunSucceeded(db, () => workers, 60_000);

    const exits = await Promise.all(workers.map((w) => stopHatoba(w, 'SIGTERM')));
    assert.deepEqual(exits, workers.map(() => ({ code: 0, signal: null })), 'each worker stops cleanly on SIGTERM');

    // (a) the provider's limit, from the twin's own record of each creation
    const inFlight = await maxCreationsInFlight(db);
    assert.equal(inFlight.total, REQUESTS, 'one creation per request');
    assert.ok(inFlight.max <= LIMIT, `at most ${LIMIT} creations at once, saw ${inFlight.max}`);
    assert.equal(inFlight.max, LIMIT, 'the limit was reached, so the bound above was tested');

    // (b) never refused for the concurrency limit
    const calls = await allEvents(container.cloud, { eventName: 'CreateAccount' });
    assert.deepEqual(calls.filter((e) => e.errorCode === 'TooManyRequestsException').map((e) => e.errorMessage), []);
    assert.equal(calls.filter((e) => e.errorCode === undefined).length, REQUESTS);

    // (c) no duplicates, no orphans
    await assertOneAccountPerRequest(container, requests);

    // (d) every worker did work, and none reported an error
    const owners = new Set((await claims(db)).map((claim) => pidOf(claim.owner)));
    for (const w of workers) assert.ok(owners.has(w.pid), `worker ${w.pid} claimed runs (claimers: ${[...owners].join(', ')})`);
    for (const w of workers) {
      assert.equal(w.stderr(), '', `worker ${w.pid} printed nothing on stderr`);
      assert.match(w.stdout(), /worker running on PostgreSQL/);
    }
  });

  it('finishes every request with no duplicate account after one of the three workers is killed with SIGKILL mid-flight', async () => {
    assert.ok(url);
    const { db, container, requests, workers } = await startCluster(url);

    // Once a few requests are done, kill a worker that holds runs right now.
    const Holding = z.object({ lease_owner: z.string() });
    const victim = await eventually(
      'a few requests to succeed while a worker holds runs',
      async () => {
        const done = z.coerce.number().parse((await db.query(`SELECT count(*) AS n FROM workflow_runs WHERE status = 'succeeded'`))[0]?.n);
        if (done < 3) return undefined;
        const holders = (await db.query(`SELECT lease_owner FROM workflow_runs WHERE status = 'running' AND lease_owner IS NOT NULL`)).map((r) => Holding.parse(r));
        return workers.find((w) => holders.some((h) => pidOf(h.lease_owner) === w.pid));
      },
      30_000,
      5,
    );
    victim.child.kill('SIGKILL');
    assert.equal((await victim.exited).signal, 'SIGKILL');
    const OwnedRun = z.object({ id: z.string(), lease_owner: z.string() });
    const orphaned = (await db.query(`SELECT id, lease_owner FROM workflow_runs WHERE status = 'running'`))
      .map((r) => OwnedRun.parse(r))
      .filter((r) => pidOf(r.lease_owner) === victim.pid);

    // Its leases expire after 30 s (not configurable from the environment); then the others take over.
    const survivors = workers.filter((w) => w !== victim);
    await everyRunSucceeded(db, () => survivors, 120_000);
    await Promise.all(survivors.map((w) => stopHatoba(w, 'SIGTERM')));

    await assertOneAccountPerRequest(container, requests);
    const history = await claims(db);
    for (const run of orphaned) {
      const later = history.filter((claim) => claim.run_id === run.id && pidOf(claim.owner) !== victim.pid);
      assert.ok(later.length > 0, `run ${run.id}, held by the killed worker, was taken over`);
    }
    for (const w of survivors) assert.equal(w.stderr(), '', `worker ${w.pid} printed nothing on stderr`);
  });
});
