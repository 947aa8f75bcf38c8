import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { RouteModule } from '../app.js';
import {
  AccountRequest,
  AccountRequestBody,
  AbandonResult,
  AccountRequestDetail,
  AccountRequestPage,
  BatchBody,
  BatchProgress,
  MAX_BATCH_REQUESTS,
  RequestListQuery,
  RUN_STATUS_LABELS,
  STEP_STATUS_LABELS,
  SubmitResult,
} from '../../contracts/requests.js';
import { tooLargeResponse, uploadLimit } from '../body-limit.js';
import {
  abandonAccountRequest,
  batchProgress,
  getAccountRequest,
  listAccountRequests,
  retryAccountRequest,
  submitAccountRequests,
  type RequestDeps,
  type RequestDetail,
} from '../../app/requests/use-cases.js';
import type { AccountRequestView } from '../../app/ports/request-store.js';
import type { RequestDirectory } from '../../app/ports/provisioner.js';
import type { Context } from 'hono';
import { setAuditTenants } from '../audit-trail.js';
import { readCsv } from '../../app/csv.js';
import { validationFailed } from '../../domain/errors.js';
import { invalidRequest, isoOrNull, json, pageJson, problem } from '../responses.js';
import { actorOf, scopeOf } from '../access-context.js';

const problems = {
  404: problem('Not found'),
  409: problem('Not allowed in the current state'),
  422: invalidRequest,
};
/** A dry run accepted nothing, so it answers 200 (as the registry's dry runs do); a real submission 202. */
const submitted = {
  200: json(SubmitResult, 'Dry run: what would be queued; nothing was accepted'),
  202: json(SubmitResult, 'Accepted: queued for provisioning'),
  422: problems[422],
};
const DryRun = z.object({ dryRun: z.enum(['true', 'false']).optional() });
const IdParam = z.object({ id: z.string().min(1).max(100) });

const present = (r: AccountRequestView): AccountRequest => ({
  ...r,
  statusLabel: RUN_STATUS_LABELS[r.status],
  createdAt: r.createdAt.toISOString(),
  finishedAt: isoOrNull(r.finishedAt),
});
const presentDetail = (r: RequestDetail) => ({
  ...present(r),
  steps: r.steps.map((s) => ({
    step: s.step,
    status: s.status,
    statusLabel: STEP_STATUS_LABELS[s.status],
    attempts: s.attempts,
    startedAt: s.startedAt.toISOString(),
    endedAt: isoOrNull(s.endedAt),
    lastError: s.lastError,
  })),
});

/** CSV columns: tenant_code, system_name (or system_id), environment, account_name, email (optional). */
const CSV_COLUMNS: Record<string, string> = {
  tenant_code: 'tenantCode',
  system_name: 'systemName',
  system_id: 'systemId',
  environment: 'environment',
  account_name: 'accountName',
  email: 'email',
};

/**
 * Submits, and tells the audit trail the tenants of the systems the request resolved to: the use
 * case's own directory answers, so no second lookup, and only tenants that exist (even when refused).
 */
async function submitAuditing(c: Context, deps: RequestDeps, command: Parameters<typeof submitAccountRequests>[1]): Promise<SubmitResult> {
  const resolved: string[] = [];
  const directory: RequestDirectory = {
    async resolveSystems(refs) {
      const systems = await deps.directory.resolveSystems(refs);
      for (const s of systems) if (s !== undefined) resolved.push(s.organisationCode);
      return systems;
    },
  };
  try {
    return await submitAccountRequests({ ...deps, directory }, command);
  } finally {
    setAuditTenants(c, resolved);
  }
}

export function requestRoutes(deps: RequestDeps): RouteModule {
  return (app: OpenAPIHono) => {
    app.openapi(
      createRoute({
        method: 'post', path: '/api/account-requests', tags: ['account requests'], summary: 'Request one account',
        request: { query: DryRun, body: { content: { 'application/json': { schema: AccountRequestBody } }, required: true } },
        responses: submitted,
      }),
      async (c) => {
        const result = await submitAuditing(c, deps, {
          items: [c.req.valid('json')], requestedBy: actorOf(c), scope: scopeOf(c), dryRun: c.req.valid('query').dryRun === 'true', batch: false, locate: () => ['body'],
        });
        return c.json(result, result.dryRun ? 200 : 202);
      },
    );

    app.openapi(
      createRoute({
        method: 'post', path: '/api/account-requests/batch', tags: ['account requests'], summary: 'Request many accounts; all or nothing',
        middleware: uploadLimit(),
        request: { query: DryRun, body: { content: { 'application/json': { schema: BatchBody } }, required: true } },
        responses: { ...submitted, 413: tooLargeResponse },
      }),
      async (c) => {
        const result = await submitAuditing(c, deps, {
          items: c.req.valid('json').requests, requestedBy: actorOf(c), scope: scopeOf(c), dryRun: c.req.valid('query').dryRun === 'true', batch: true,
          locate: (i) => ['body', 'requests', i],
        });
        return c.json(result, result.dryRun ? 200 : 202);
      },
    );

    app.openapi(
      createRoute({
        method: 'post', path: '/api/account-requests/import', tags: ['account requests'], summary: 'Request many accounts from a CSV file; all or nothing',
        middleware: uploadLimit(),
        request: { query: DryRun, body: { content: { 'text/csv': { schema: z.string() } }, required: true } },
        responses: { ...submitted, 413: tooLargeResponse },
      }),
      async (c) => {
        const { records, issues } = readCsv(await c.req.text(), { required: ['environment'], optional: Object.keys(CSV_COLUMNS) });
        // The same cap as /batch; alone, since the row problems of a file that must be split anyway would only be noise.
        if (records.length > MAX_BATCH_REQUESTS) {
          throw validationFailed('the CSV file has too many rows', [{ path: ['row'], message: `${records.length} rows; at most ${MAX_BATCH_REQUESTS} per file, split it` }]);
        }
        if (issues.length > 0) throw validationFailed('the CSV file cannot be read', issues);
        const items = records.map((r) => Object.fromEntries(Object.entries(r.values).map(([k, v]) => [CSV_COLUMNS[k] ?? k, v])));
        const result = await submitAuditing(c, deps, {
          items, requestedBy: actorOf(c), scope: scopeOf(c), dryRun: c.req.valid('query').dryRun === 'true', batch: true,
          locate: (i) => ['row', records[i]?.row ?? i + 2],
        });
        return c.json(result, result.dryRun ? 200 : 202);
      },
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/account-requests', tags: ['account requests'], summary: 'List account requests',
        request: { query: RequestListQuery }, responses: { 200: json(AccountRequestPage, 'One page'), 422: problems[422] },
      }),
      async (c) => {
        const page = await listAccountRequests(deps, scopeOf(c), c.req.valid('query'));
        return c.json(pageJson(page, present), 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/account-requests/{id}', tags: ['account requests'], summary: 'One request with its step timeline',
        request: { params: IdParam }, responses: { 200: json(AccountRequestDetail, 'The request'), 404: problems[404] },
      }),
      async (c) => c.json(presentDetail(await getAccountRequest(deps, scopeOf(c), c.req.valid('param').id)), 200),
    );

    app.openapi(
      createRoute({
        method: 'post', path: '/api/account-requests/{id}/retry', tags: ['account requests'], summary: 'Retry a failed request from its failed step',
        request: { params: IdParam }, responses: { 200: json(AccountRequestDetail, 'Queued again'), 404: problems[404], 409: problems[409] },
      }),
      async (c) => c.json(presentDetail(await retryAccountRequest(deps, scopeOf(c), c.req.valid('param').id)), 200),
    );

    app.openapi(
      createRoute({
        method: 'post', path: '/api/account-requests/{id}/abandon', tags: ['account requests'], summary: 'Abandon a failed or waiting request',
        request: { params: IdParam }, responses: { 200: json(AbandonResult, 'Abandoned; `released` tells whether the name and e-mail are free again'), 404: problems[404], 409: problems[409] },
      }),
      async (c) => {
        const result = await abandonAccountRequest(deps, scopeOf(c), c.req.valid('param').id);
        return c.json({ ...presentDetail(result), released: result.released }, 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/account-request-batches/{id}', tags: ['account requests'], summary: 'Progress of a batch',
        request: { params: IdParam }, responses: { 200: json(BatchProgress, 'Counts by status'), 404: problems[404] },
      }),
      async (c) => c.json(await batchProgress(deps, scopeOf(c), c.req.valid('param').id), 200),
    );
  };
}
