import { OpenAPIHono } from '@hono/zod-openapi';
import { issuesFromZod, respondWithProblem } from './errors.js';
import { HTTPException } from 'hono/http-exception';
import { DomainError, validationFailed } from '../domain/errors.js';
import { bodyLimits, documentBodyLimits } from './body-limit.js';
import { auditTrail } from './audit-trail.js';
import type { AuditLog } from '../app/ports/audit-log.js';
import type { MiddlewareHandler } from 'hono';
import { authorization, unrestrictedAccess } from './authorize.js';

const TARGET_NAMES: Record<string, string> = { json: 'body', query: 'query', param: 'path', header: 'header', form: 'body' };

/** A router whose validation failures all answer 422 with every problem and its location. */
export function createRouter(): OpenAPIHono {
  return new OpenAPIHono({
    defaultHook: (result, c) => {
      if (!result.success) {
        const part = TARGET_NAMES[result.target] ?? result.target;
        return respondWithProblem(c, validationFailed('リクエストが正しくありません / the request is not valid', issuesFromZod(part, result.error.issues)));
      }
      return undefined;
    },
  });
}

export type RouteModule = (app: OpenAPIHono) => void;

/**
 * How requests are authenticated and authorized. The server passes `authenticate` (session cookies and
 * bearer tokens, src/api/authentication.ts), after which every /api route is decided by the policy
 * table (src/api/authorize.ts). `'unrestricted'` is for route-module tests only: nobody signs in and
 * every tenant is in scope. There is no default, so an API cannot be built open by omission.
 */
export type ApiAccess = 'unrestricted' | { authenticate: MiddlewareHandler };

/**
 * Builds the HTTP API from route modules; serves its own OpenAPI 3.1 document. With `audit`, every
 * state-changing request is appended to the audit trail once answered (registered first, so refusals
 * by authorization and the body limit are recorded too).
 */
export function createApi(modules: RouteModule[], options: { version: string; audit?: AuditLog; access: ApiAccess }): OpenAPIHono {
  const app = createRouter();
  app.onError((error, c) => {
    // Hono's own refusals (malformed JSON 400, unsupported media type 415, …) keep their status.
    if (error instanceof HTTPException) {
      return c.json({ code: `http_${error.status}`, message: error.message || 'the request cannot be read', issues: [] }, error.status);
    }
    if (!(error instanceof DomainError)) console.error('unexpected error:', error instanceof Error ? error.message : error);
    return respondWithProblem(c, error);
  });
  app.notFound((c) => c.json({ code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}`, issues: [] }, 404));
  if (options.audit !== undefined) app.use('/api/*', auditTrail(options.audit));
  if (options.access === 'unrestricted') app.use('/api/*', unrestrictedAccess);
  else {
    app.use('/api/*', options.access.authenticate);
    app.use('/auth/*', options.access.authenticate);
    app.use('/api/*', authorization());
  }
  app.use('/api/*', bodyLimits);
  for (const register of modules) register(app);
  documentBodyLimits(app);
  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: { title: 'Hatoba API', version: options.version, description: 'Control plane for a federated government cloud.' },
  });
  app.get('/api/health', (c) => c.json({ status: 'ok' }));
  return app;
}
