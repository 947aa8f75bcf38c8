/**
 * Provisioning benchmark: N account requests on the twin with a fixed creation time T and the
 * provider's concurrency limit C. The lower bound of the makespan is ceil(N / C) × T; the ratio of the
 * measured makespan to that bound shows how much the orchestrator adds (goal <= 1.02). Also prints
 * the orchestrator's CPU time per account (this process runs the twin too, so it is an upper bound).
 *
 *   npm run bench:provisioning            # N=1000, T=1000 ms, C=5, embedded database, 5 general workers
 *   BENCH_N=200 BENCH_CREATION_MS=500 npm run bench:provisioning
 *   DATABASE_URL=postgres://… npm run bench:provisioning
 */
import { ALL_TENANTS } from '../src/app/scope.js';
import { loadConfig } from '../src/main/config.js';
import { createContainer } from '../src/main/container.js';
import { openPglite } from '../src/store/pglite.js';
import { openPostgres } from '../src/store/postgres.js';
import { migrate } from '../src/store/migrate.js';
import { createScratchDatabase } from '../src/store/testing.js';
import { seedDemoFederation } from '../src/app/registry/demo-federation.js';
import { demoTargets } from '../src/main/testing/harness.js';
import { allEvents } from '../src/main/testing/cloud.js';
import { submitAccountRequests } from '../src/app/requests/use-cases.js';

const N = Number(process.env.BENCH_N ?? 1000);
const T = Number(process.env.BENCH_CREATION_MS ?? 1000);
const C = Number(process.env.BENCH_CONCURRENCY ?? 5);
const GOAL = 1.02;

const server = process.env.DATABASE_URL;
const scratch = server === undefined ? undefined : await createScratchDatabase(server);
const db = scratch === undefined ? (await openPglite()).db : await openPostgres(scratch.url);
await migrate(db);

const config = loadConfig({ HATOBA_TWIN_CREATION_MS: String(T), HATOBA_TWIN_CONCURRENCY: String(C), HATOBA_WORKER_CONCURRENCY: '20' });
const container = await createContainer(config, db, {
  twin: { accountCreationDurationMs: T, accountCreationConcurrency: C, assignmentDurationMs: 0, pageSize: 1000 },
  settings: { expectedCreationMs: T, pollIntervalMs: 5 },
});
await seedDemoFederation(container.registryDeps, { dryRun: false });

const targets = demoTargets();
const items = Array.from({ length: N }, (_, i) => ({ ...targets[i % targets.length], environment: 'dev', accountName: `bench-${i}` }));
const submitted = await submitAccountRequests(container.requestDeps, { items, requestedBy: 'bench@hatoba.example', scope: ALL_TENANTS, dryRun: false, batch: true, locate: (i) => ['bench', i] });
const batchId = submitted.batchId ?? '';

const cpuBefore = process.cpuUsage();
const started = performance.now();
const startedAt = Date.now();
const runner = container.createRunner({ concurrency: Number(process.env.BENCH_WORKER_CONCURRENCY ?? 5) });
await runner.start();
for (;;) {
  const counts = await container.requestDeps.requests.countByStatus({ batchId });
  if (counts.pending + counts.running === 0) {
    if (counts.succeeded !== N) throw new Error(`only ${counts.succeeded} of ${N} succeeded: ${JSON.stringify(counts)}`);
    break;
  }
  await new Promise((r) => setTimeout(r, 20));
}
const makespan = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
await runner.stop();

const throttled = (await allEvents(container.cloud, { eventName: 'CreateAccount' })).filter((e) => e.errorCode !== undefined).length;
// Where the time goes: how long after a creation ended did the slot's next creation start.
const gaps = await db.query(
  `SELECT avg(gap) AS avg_ms, max(gap) AS max_ms FROM (
     SELECT extract(epoch FROM (lead(requested_at, ${C}) OVER (ORDER BY requested_at) - completes_at)) * 1000 AS gap
     FROM twin_create_account_requests) g WHERE gap IS NOT NULL`,
);
const span = await db.query(`SELECT min(requested_at) AS first, max(completes_at) AS last FROM twin_create_account_requests`);
const first = span[0]?.first;
const last = span[0]?.last;
const startLag = first instanceof Date ? first.getTime() - startedAt : NaN;
const tail = last instanceof Date ? startedAt + makespan - last.getTime() : NaN;
const bound = Math.ceil(N / C) * T;
const ratio = makespan / bound;
console.log(`backend                ${db.kind}`);
console.log(`requests               ${N} (creation ${T} ms, concurrency ${C})`);
console.log(`makespan               ${(makespan / 1000).toFixed(2)} s`);
console.log(`lower bound            ${(bound / 1000).toFixed(2)} s  (ceil(N/C) x T)`);
console.log(`ratio                  ${ratio.toFixed(4)}  (goal <= ${GOAL}) ${ratio <= GOAL ? 'OK' : 'ABOVE GOAL'}`);
console.log(`CPU per account        ${((cpu.user + cpu.system) / 1000 / N).toFixed(2)} ms (orchestrator and twin in one process)`);
console.log(`slot hand-over          avg ${Number(gaps[0]?.avg_ms).toFixed(1)} ms, max ${Number(gaps[0]?.max_ms).toFixed(1)} ms (creation end -> next creation start)`);
console.log(`start lag              ${startLag.toFixed(0)} ms (start -> first CreateAccount)`);
console.log(`tail                   ${tail.toFixed(0)} ms (last creation done -> all ready)`);
console.log(`refused CreateAccount  ${throttled}${throttled === 0 ? '  (never above the provider limit)' : '  (the provider refused creations: above its limit)'}`);
await db.close();
await scratch?.drop();
