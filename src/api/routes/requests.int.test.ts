import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { backends, type TestDatabase } from '../../store/testing.js';
import { provisioningHarness, demoTargets } from '../../main/testing/harness.js';
import { authenticateByTestHeader, testOperator } from '../testing.js';
import { buildApi } from '../../main/api.js';
import type { Container } from '../../main/container.js';
import { Problem } from '../../contracts/common.js';
import { AccountRequestDetail, AccountRequestPage, SubmitResult } from '../../contracts/requests.js';

type App = ReturnType<typeof buildApi>;

const send = (app: App, method: string, path: string, body?: unknown, contentType = 'application/json') =>
  app.request(path, {
    method,
    ...(body === undefined ? {} : { headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });

const OpenApiDoc = z.object({ openapi: z.string(), paths: z.record(z.string(), z.record(z.string(), z.unknown())) });

const ROWS = 500;
const ENVIRONMENTS = ['prod', 'staging', 'dev', 'sandbox'];
const HEADER = 'tenant_code,system_name,environment,account_name,email';

type Row = { tenantCode: string; systemName: string; environment: string; accountName: string; email: string };

/** 500 valid rows over the demo systems; data row i is line i + 2 of the file (the header is line 1). */
function validRows(): Row[] {
  const targets = demoTargets();
  return Array.from({ length: ROWS }, (_, i) => {
    const target = targets[i % targets.length];
    assert.ok(target);
    const accountName = `api-${String(i).padStart(3, '0')}`;
    return { ...target, environment: ENVIRONMENTS[i % ENVIRONMENTS.length] ?? 'dev', accountName, email: `${accountName}@accounts.hatoba.example` };
  });
}

const toCsv = (rows: Row[]) => [HEADER, ...rows.map((r) => [r.tenantCode, r.systemName, r.environment, r.accountName, r.email].join(','))].join('\n') + '\n';
const fileRow = (index: number) => index + 2;

// The three bad rows, by data index.
const UNKNOWN_SYSTEM = 41;
const BAD_ENVIRONMENT = 250;
const DUPLICATE_NAME = 498;
const DUPLICATED = 10;

function badRows(): Row[] {
  const rows = validRows().map((r) => ({ ...r }));
  const set = (index: number, patch: Partial<Row>) => {
    const row = rows[index];
    assert.ok(row);
    rows[index] = { ...row, ...patch };
  };
  set(UNKNOWN_SYSTEM, { systemName: 'no-such-system' });
  set(BAD_ENVIRONMENT, { environment: 'qa' });
  // Same name as an earlier row, its own e-mail: only the name is a duplicate.
  set(DUPLICATE_NAME, { accountName: rows[DUPLICATED]?.accountName ?? '' });
  return rows;
}

for (const backend of backends()) {
  describe(`account request API on ${backend.name}`, () => {
    let t: TestDatabase | undefined;
    let c: Container;
    let app: App;
    const submitted: string[] = [];

    before(async () => {
      t = await backend.open();
      c = await provisioningHarness(t.db);
      app = buildApi(c, { authenticate: authenticateByTestHeader(testOperator) });
    });
    after(async () => t?.dispose());

    const countRows = async (table: 'account_requests' | 'workflow_runs') =>
      z.coerce.number().parse((await c.db.query(`SELECT count(*) AS n FROM ${table}`))[0]?.n);

    async function listAll(): Promise<z.infer<typeof AccountRequestPage>> {
      const response = await send(app, 'GET', '/api/account-requests?limit=500');
      assert.equal(response.status, 200);
      return AccountRequestPage.parse(await response.json());
    }

    it('refuses a 500-row CSV with three bad rows, listing exactly those rows by their line in the file, and queues nothing', async () => {
      const response = await send(app, 'POST', '/api/account-requests/import', toCsv(badRows()), 'text/csv');
      assert.equal(response.status, 422);
      const problem = Problem.parse(await response.json());
      assert.equal(problem.code, 'validation_failed');
      assert.ok(problem.issues.every((i) => i.path[0] === 'row'), JSON.stringify(problem.issues));
      assert.deepEqual(
        problem.issues.map((i) => i.path.slice(0, 3)),
        [
          ['row', fileRow(UNKNOWN_SYSTEM), 'systemName'],
          ['row', fileRow(BAD_ENVIRONMENT), 'environment'],
          ['row', fileRow(DUPLICATE_NAME), 'accountName'],
        ],
      );
      assert.deepEqual((await listAll()).items, []);
      assert.equal(await countRows('account_requests'), 0);
      assert.equal(await countRows('workflow_runs'), 0);
    });

    it('answers a dry run of the corrected file with 200 and what it would queue, and queues nothing', async () => {
      const response = await send(app, 'POST', '/api/account-requests/import?dryRun=true', toCsv(validRows()), 'text/csv');
      assert.equal(response.status, 200);
      const result = SubmitResult.parse(await response.json());
      assert.equal(result.dryRun, true);
      assert.equal(result.requests.length, ROWS);
      assert.deepEqual(result.requests.map((r) => r.accountName), validRows().map((r) => r.accountName));
      assert.deepEqual((await listAll()).items, []);
      assert.equal(await countRows('account_requests'), 0);
    });

    it('accepts the corrected file with 202 and queues its 500 requests as one batch', async () => {
      const response = await send(app, 'POST', '/api/account-requests/import', toCsv(validRows()), 'text/csv');
      assert.equal(response.status, 202);
      const result = SubmitResult.parse(await response.json());
      assert.equal(result.dryRun, false);
      assert.ok(result.batchId);
      assert.equal(result.requests.length, ROWS);
      assert.deepEqual(result.requests.map((r) => r.email), validRows().map((r) => r.email));
      submitted.push(...result.requests.map((r) => r.id));
      assert.equal(await countRows('account_requests'), ROWS);
      const page = AccountRequestPage.parse(await (await send(app, 'GET', `/api/account-requests?batchId=${result.batchId}&limit=500`)).json());
      assert.equal(page.items.length, ROWS);
      assert.ok(page.items.every((r) => r.status === 'pending'));
    });

    it('accepts a single request posted as JSON', async () => {
      const [target] = demoTargets();
      assert.ok(target);
      const response = await send(app, 'POST', '/api/account-requests', { ...target, environment: 'prod', accountName: 'api-single' });
      assert.equal(response.status, 202);
      const result = SubmitResult.parse(await response.json());
      assert.deepEqual([result.dryRun, result.batchId, result.requests.length], [false, null, 1]);
      assert.equal(result.requests[0]?.email, 'api-single@accounts.hatoba.example');
      submitted.push(...result.requests.map((r) => r.id));
    });

    it('pages through every request with limit and cursor: three pages cover each request exactly once', async () => {
      const limit = Math.ceil(submitted.length / 3);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 1; page <= 3; page++) {
        const response = await send(app, 'GET', `/api/account-requests?limit=${limit}${cursor === undefined ? '' : `&cursor=${encodeURIComponent(cursor)}`}`);
        assert.equal(response.status, 200);
        const body = AccountRequestPage.parse(await response.json());
        seen.push(...body.items.map((r) => r.id));
        cursor = body.nextCursor;
        if (page < 3) assert.ok(cursor, `page ${page} has a next cursor`);
      }
      assert.equal(cursor, undefined, 'the third page is the last');
      assert.equal(new Set(seen).size, seen.length, 'no request appears twice');
      assert.deepEqual([...seen].sort(), [...submitted].sort());
    });

    it('shows one request with its step timeline, empty while no worker has started it', async () => {
      const id = submitted[0] ?? '';
      const response = await send(app, 'GET', `/api/account-requests/${id}`);
      assert.equal(response.status, 200);
      const body: unknown = await response.json();
      assert.ok(typeof body === 'object' && body !== null && 'steps' in body && Array.isArray(body.steps), 'the answer has a steps array');
      const detail = AccountRequestDetail.parse(body);
      assert.deepEqual([detail.id, detail.status, detail.currentStep, detail.steps], [id, 'pending', 'validate', []]);
    });

    it('answers 409 to a retry of a request that has not failed', async () => {
      const response = await send(app, 'POST', `/api/account-requests/${submitted[0] ?? ''}/retry`);
      assert.equal(response.status, 409);
      assert.equal(Problem.parse(await response.json()).code, 'invalid_state');
    });

    it('answers 404 for an unknown request id', async () => {
      for (const [method, path] of [
        ['GET', '/api/account-requests/req_unknown'],
        ['POST', '/api/account-requests/req_unknown/retry'],
        ['POST', '/api/account-requests/req_unknown/abandon'],
      ] as const) {
        const response = await send(app, method, path);
        assert.equal(response.status, 404, `${method} ${path}`);
        assert.equal(Problem.parse(await response.json()).code, 'not_found');
      }
    });

    it('serves an OpenAPI 3.1 document that lists the account request paths', async () => {
      const response = await send(app, 'GET', '/api/openapi.json');
      assert.equal(response.status, 200);
      const doc = OpenApiDoc.parse(await response.json());
      assert.match(doc.openapi, /^3\.1\./);
      const expected: [string, string][] = [
        ['/api/account-requests', 'get'],
        ['/api/account-requests', 'post'],
        ['/api/account-requests/batch', 'post'],
        ['/api/account-requests/import', 'post'],
        ['/api/account-requests/{id}', 'get'],
        ['/api/account-requests/{id}/retry', 'post'],
        ['/api/account-requests/{id}/abandon', 'post'],
        ['/api/account-request-batches/{id}', 'get'],
      ];
      for (const [path, method] of expected) assert.ok(doc.paths[path]?.[method] !== undefined, `${method.toUpperCase()} ${path} is documented`);
    });

    it('answers dry runs of one request and of a batch with 200, since nothing was accepted, and queues nothing', async () => {
      const [target] = demoTargets();
      assert.ok(target);
      const before = await countRows('account_requests');
      const one = await send(app, 'POST', '/api/account-requests?dryRun=true', { ...target, environment: 'dev', accountName: 'api-dry-one' });
      assert.equal(one.status, 200);
      assert.equal(SubmitResult.parse(await one.json()).dryRun, true);
      const batch = await send(app, 'POST', '/api/account-requests/batch?dryRun=true', { requests: [{ ...target, environment: 'dev', accountName: 'api-dry-batch' }] });
      assert.equal(batch.status, 200);
      assert.deepEqual(SubmitResult.parse(await batch.json()).requests.map((r) => r.accountName), ['api-dry-batch']);
      assert.equal(await countRows('account_requests'), before);
    });

    it('documents 200 for a dry run and 202 for a submission on every submitting route, and 413 on every one (64 KiB or 5 MiB)', async () => {
      const doc = z.object({ paths: z.record(z.string(), z.record(z.string(), z.object({ responses: z.record(z.string(), z.unknown()) }))) }).parse(
        await (await send(app, 'GET', '/api/openapi.json')).json(),
      );
      const codes = (path: string) => Object.keys(doc.paths[path]?.post?.responses ?? {}).sort();
      assert.deepEqual(codes('/api/account-requests'), ['200', '202', '413', '422']);
      assert.deepEqual(codes('/api/account-requests/batch'), ['200', '202', '413', '422']);
      assert.deepEqual(codes('/api/account-requests/import'), ['200', '202', '413', '422']);
    });

    it('records the signed-in person as the requester and ignores an x-hatoba-actor header', async () => {
      const [target] = demoTargets();
      assert.ok(target);
      const accepted = await app.request('/api/account-requests', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hatoba-actor': 'someone-else@city.example' },
        body: JSON.stringify({ ...target, environment: 'sandbox', accountName: 'api-actor' }),
      });
      assert.equal(accepted.status, 202);
      const [queued] = SubmitResult.parse(await accepted.json()).requests;
      assert.ok(queued);
      const detail = AccountRequestDetail.parse(await (await send(app, 'GET', `/api/account-requests/${queued.id}`)).json());
      assert.equal(detail.requestedBy, testOperator.email);
    });

    it('refuses a CSV of more than 5,000 rows with 422 at "row", queuing nothing', async () => {
      const [target] = demoTargets();
      assert.ok(target);
      const lines = Array.from({ length: 5_001 }, (_, i) => `${target.tenantCode},${target.systemName},dev,api-cap-${i},api-cap-${i}@accounts.hatoba.example`);
      const before = await countRows('account_requests');
      const response = await send(app, 'POST', '/api/account-requests/import', [HEADER, ...lines].join('\n'), 'text/csv');
      assert.equal(response.status, 422);
      const problem = Problem.parse(await response.json());
      assert.deepEqual(problem.issues.map((i) => i.path), [['row']]);
      assert.match(problem.issues[0]?.message ?? '', /5001 rows; at most 5000/);
      assert.equal(await countRows('account_requests'), before);
    });

    it('refuses a CSV file or a batch larger than 5 MiB with 413 and a Problem, queuing nothing', async () => {
      const before = await countRows('account_requests');
      const filler = 'x'.repeat(5 * 1024 * 1024);
      for (const [path, contentType, body] of [
        ['/api/account-requests/import', 'text/csv', `${HEADER}\n${filler}`],
        ['/api/account-requests/batch', 'application/json', JSON.stringify({ requests: [filler] })],
      ] as const) {
        const response = await send(app, 'POST', path, body, contentType);
        assert.equal(response.status, 413, path);
        const problem = Problem.parse(await response.json());
        assert.deepEqual([problem.code, problem.issues], ['body_too_large', []], path);
      }
      assert.equal(await countRows('account_requests'), before);
    });
  });
}
