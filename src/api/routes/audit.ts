import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import type { RouteModule } from '../app.js';
import { invalidRequest, json } from '../responses.js';
import { AuditEntriesQuery, AuditEntryPage, AuditExportQuery, AuditVerification } from '../../contracts/audit.js';
import type { AuditFilter, AuditLog } from '../../app/ports/audit-log.js';
import { CSV_HEADER, csvLine, exportAudit, exportedEntry, jsonLine, verifyAuditChain } from '../../app/audit/use-cases.js';
import { decodeCursor, toPage } from '../../app/paging.js';
import { validationFailed } from '../../domain/errors.js';

const tags = ['audit'];
const TYPES = { jsonl: 'application/jsonl; charset=utf-8', csv: 'text/csv; charset=utf-8' } as const;

/** The filter of an export or a page: the tenant, and a period that must not be empty. */
function filterOf(q: { tenant?: string | undefined; from?: string | undefined; to?: string | undefined }): AuditFilter {
  const from = q.from === undefined ? undefined : new Date(q.from);
  const to = q.to === undefined ? undefined : new Date(q.to);
  if (from !== undefined && to !== undefined && from >= to) {
    throw validationFailed('期間が正しくありません / the period is empty', [{ path: ['query', 'to'], message: 'must be after from' }]);
  }
  return { ...(q.tenant === undefined ? {} : { tenant: q.tenant }), ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
}

/** A page cursor is the last seq shown. */
function afterSeq(cursor: string | undefined): number {
  const text = decodeCursor(cursor);
  if (text === undefined) return 0;
  if (!/^\d{1,15}$/.test(text)) throw validationFailed('the cursor is not valid', [{ path: ['query', 'cursor'], message: 'pass back a nextCursor as it was given' }]);
  return Number(text);
}

/** The audit trail: verify the whole chain, page through it, export a slice for the annual audit. */
export function auditRoutes(log: AuditLog): RouteModule {
  return (app: OpenAPIHono) => {
    app.openapi(
      createRoute({
        method: 'get', path: '/api/audit/verify', tags, summary: 'Walks the whole hash chain and names the first missing or altered entry',
        responses: { 200: json(AuditVerification, 'Intact, or the first break') },
      }),
      async (c) => c.json(await verifyAuditChain(log), 200),
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/audit/entries', tags, summary: 'One page of audit entries in seq order, by tenant and period',
        request: { query: AuditEntriesQuery },
        responses: { 200: json(AuditEntryPage, 'One page, each entry with its hash and prev_hash'), 422: invalidRequest },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const filter = filterOf(q);
        const page = toPage(await log.read(afterSeq(q.cursor), q.limit + 1, filter), q.limit, (e) => String(e.seq));
        return c.json({ items: page.items.map(exportedEntry), ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }) }, 200);
      },
    );

    app.openapi(
      createRoute({
        method: 'get', path: '/api/audit/export', tags, summary: 'Audit entries as JSON Lines or CSV, each with its hash and prev_hash, by tenant and period',
        request: { query: AuditExportQuery },
        responses: {
          200: { description: 'One entry per line, in seq order', content: { [TYPES.jsonl]: { schema: { type: 'string' } }, [TYPES.csv]: { schema: { type: 'string' } } } },
          422: invalidRequest,
        },
      }),
      async (c) => {
        const q = c.req.valid('query');
        const entries = exportAudit(log, filterOf(q));
        const line = q.format === 'csv' ? csvLine : jsonLine;
        const encoder = new TextEncoder();
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            if (q.format === 'csv') controller.enqueue(encoder.encode(CSV_HEADER));
          },
          async pull(controller) {
            const next = await entries.next();
            if (next.done === true) controller.close();
            else controller.enqueue(encoder.encode(line(next.value)));
          },
          async cancel() {
            await entries.return(undefined);
          },
        });
        return c.body(body, 200, { 'content-type': TYPES[q.format], 'content-disposition': `attachment; filename="hatoba-audit.${q.format}"` });
      },
    );
  };
}
