import { z } from 'zod';
import { CentralRole, TenantRole, ROLE_LABELS } from '../domain/access/roles.js';

/**
 * What the portal learns about the signed-in person (`GET /auth/me`) and how it talks to the API from a
 * browser: state-changing requests carry `x-csrf-token` with the session's token. Browser-safe.
 */
export const CSRF_HEADER = 'x-csrf-token';

export const Me = z
  .object({
    personId: z.string(),
    email: z.string(),
    name: z.string(),
    kind: z.enum(['central', 'tenant']),
    /** Central roles, or the one tenant role. */
    roles: z.array(z.union([CentralRole, TenantRole])),
    tenant: z.object({ id: z.string(), code: z.string(), nameJa: z.string(), nameEn: z.string() }).nullable(),
    /** The assurance the sign-in showed. */
    acr: z.string().nullable(),
    amr: z.array(z.string()),
    csrfToken: z.string(),
    /** When the session ends at the latest (ISO 8601). */
    expiresAt: z.string(),
  })
  .meta({ id: 'Me' });
export type Me = z.infer<typeof Me>;

export { ROLE_LABELS };

/** Paths of the sign-in flow (not under /api: they answer with redirects and pages, not JSON). */
export const AUTH_PATHS = {
  signIn: '/auth/sign-in',
  callback: '/auth/callback',
  signOut: '/auth/sign-out',
  me: '/auth/me',
} as const;
