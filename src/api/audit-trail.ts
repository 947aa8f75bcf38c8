import type { Context, MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { ACTOR_HEADER } from '../contracts/common.js';
import { DEFAULT_ACTOR } from '../app/guardrails/deps.js';
import { outcomeOf, type AuditRecord } from '../app/audit/chain.js';
import type { AuditLog } from '../app/ports/audit-log.js';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
// What @hono/node-server puts in c.env; absent when the app is called in-process (tests).
const NodeEnv = z.object({ incoming: z.object({ socket: z.object({ remoteAddress: z.string().optional() }) }) });
const MAX_HEADER = 256;

const clip = (value: string | undefined): string | null => (value === undefined ? null : value.slice(0, MAX_HEADER));

/** The route as its OpenAPI path template (`/api/tenants/{tenant}/systems`), or null when no route matched. */
function templateOf(c: Context): string | null {
  const path = c.req.routePath;
  return path.endsWith('*') ? null : path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}');
}

/** The audit record of a request that was just answered: ids from the path, never its body. */
export function auditRecordOf(c: Context, at: Date): AuditRecord {
  const template = templateOf(c);
  const target = template === null ? {} : c.req.param();
  const env = NodeEnv.safeParse(c.env);
  const status = c.res.status;
  return {
    at,
    // An invalid header is refused (422) by the route; the refusal still records what was claimed.
    actor: clip(c.req.header(ACTOR_HEADER)) ?? DEFAULT_ACTOR,
    action: `${c.req.method} ${template ?? 'unmatched'}`,
    target,
    tenant: target.tenant ?? c.req.query('tenant') ?? null,
    source: {
      ip: env.success ? (env.data.incoming.socket.remoteAddress ?? null) : null,
      forwardedFor: clip(c.req.header('x-forwarded-for')),
      userAgent: clip(c.req.header('user-agent')),
    },
    result: { status, outcome: outcomeOf(status) },
    dryRun: c.req.query('dryRun') === 'true',
    details: template === null ? { path: c.req.path.slice(0, MAX_HEADER) } : {},
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
