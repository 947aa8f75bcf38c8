import type { MiddlewareHandler } from 'hono';
import { z } from 'zod';
import { Principal } from '../domain/access/principal.js';

/**
 * Test support (only tests import this file): authentication stand-ins for tests of the composed API
 * that are about something else than signing in. The sign-in tests use the real thing.
 */

/** Every request is made by `principal`. */
export const authenticateAs =
  (principal: Principal): MiddlewareHandler =>
  async (c, next) => {
    c.set('principal', principal);
    return next();
  };

export const TEST_PRINCIPAL_HEADER = 'x-test-principal';

/** The principal a request names in `x-test-principal` (JSON), else `fallback` (anonymous when undefined). */
export const authenticateByTestHeader =
  (fallback?: Principal): MiddlewareHandler =>
  async (c, next) => {
    const header = c.req.header(TEST_PRINCIPAL_HEADER);
    const principal = header === undefined ? fallback : Principal.parse(z.json().parse(JSON.parse(header)));
    if (principal !== undefined) c.set('principal', principal);
    return next();
  };

export const testOperator: Principal = { kind: 'central', personId: 'per_test_operator', email: 'operator@hatoba.test', name: 'Test Operator', roles: ['operator', 'security_officer', 'auditor'], via: 'token' };

export const tenantPrincipal = (tenant: { id: string; code: string }, role: 'tenant_admin' | 'tenant_member' = 'tenant_admin', email = `admin@${tenant.code}.test`): Principal => ({
  kind: 'tenant', personId: `per_test_${tenant.code}_${role}`, email, name: `Test ${role}`, tenantId: tenant.id, tenantCode: tenant.code, role, via: 'token',
});
