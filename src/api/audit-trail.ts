import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { actorOf } from './access-context.js';
import { templateOfPath } from './authorize.js';
import { outcomeOf, type AuditRecord, type JsonValue } from '../app/audit/chain.js';
import type { AuditLog } from '../app/ports/audit-log.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// What @hono/node-server puts in c.env; absent when the app is called in-process (tests).
const NodeEnv = z.object({ incoming: z.object({ socket: z.object({ remoteAddress: z.string().optional() }) }) });
const MAX_HEADER = 256;

/** At most this many tenant codes in `details.tenants`, so one batch cannot bloat an entry. */
export const MAX_AUDIT_TENANTS = 50;

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by a handler that knows the one tenant it changed (or was refused for); preferred over the path and query. */
    auditTenant?: string;
    /** Set by a handler that touched several tenants: recorded in `details.tenants`, no single tenant. */
    auditTenants?: readonly string[];
  }
}

/**
 * Tells the audit trail which tenants a request touched: one distinct code becomes the entry's
 * tenant, several go into `details.tenants`. Only codes that were validated or resolved, never raw input.
 */
export function setAuditTenants(c: Context, codes: Iterable<string>): void {
  const distinct = [...new Set(codes)].sort();
  const [only] = distinct;
  if (distinct.length === 1 && only !== undefined) c.set('auditTenant', only);
  else if (distinct.length > 1) c.set('auditTenants', distinct);
}

/** `details.tenants` (sorted, at most MAX_AUDIT_TENANTS) and `details.tenantCount` (all of them). */
function tenantDetails(c: Context): Record<string, JsonValue> {
  const tenants = c.get('auditTenants');
  if (tenants === undefined || tenants.length === 0) return {};
  const sorted = [...new Set(tenants)].sort();
  return { tenants: sorted.slice(0, MAX_AUDIT_TENANTS), tenantCount: sorted.length };
}

const clip = (value: string | undefined): string | null => (value === undefined ? null : value.slice(0, MAX_HEADER));

/** Where a request came from, as the audit trail records it: the socket's address, X-Forwarded-For and the user agent, clipped. */
export function requestSource(c: Context): AuditRecord['source'] {
  const env = NodeEnv.safeParse(c.env);
  return {
    ip: env.success ? (env.data.incoming.socket.remoteAddress ?? null) : null,
    forwardedFor: clip(c.req.header('x-forwarded-for')),
    userAgent: clip(c.req.header('user-agent')),
  };
}

/** The route as its OpenAPI path template (`/api/tenants/{tenant}/systems`), or null when no route matched. */
function templateOf(c: Context): string | null {
  const path = c.req.routePath;
  return path.endsWith('*') ? null : templateOfPath(path);
}

/** The audit record of a request that was just answered: ids from the path and the tenants its handler named, never its body. */
export function auditRecordOf(c: Context, at: Date): AuditRecord {
  const template = templateOf(c);
  const target = template === null ? {} : c.req.param();
  const status = c.res.status;
  return {
    at,
    // The signed-in person; `anonymous` for a refused request without valid credentials.
    actor: clip(actorOf(c)) ?? 'anonymous',
    action: `${c.req.method} ${template ?? 'unmatched'}`,
    target,
    tenant: c.get('auditTenant') ?? target.tenant ?? c.req.query('tenant') ?? null,
    source: requestSource(c),
    result: { status, outcome: outcomeOf(status) },
    dryRun: c.req.query('dryRun') === 'true',
    details: template === null ? { path: c.req.path.slice(0, MAX_HEADER) } : tenantDetails(c),
  };
}

/**
 * Appends every state-changing request under /api to the audit trail after it was answered,
 * refusals included. A failed append is logged, not turned into a failure of a change already made.
 */
export const auditTrail =
  (log: AuditLog, now: () => Date = () => new Date()): MiddlewareHandler =>
  async (c, next) => {
    await next();
    if (!STATE_CHANGING.has(c.req.method)) return;
    try {
      await log.append(auditRecordOf(c, now()));
    } catch (error) {
      console.error('audit trail: the entry could not be appended:', error instanceof Error ? error.message : error);
    }
  };
