import { z } from 'zod';

/**
 * API tokens for the CLI and automation (`Authorization: Bearer <token>`), each bound to the person
 * who made it and acting with that person's roles. The token itself is answered once, at creation.
 * Browser-safe.
 */
export const TOKEN_MAX_DAYS = 365;

export const NewApiToken = z
  .object({
    name: z.string().trim().min(1).max(100).meta({ description: 'what the token is for, e.g. "laptop CLI"' }),
    days: z.number().int().min(1).max(TOKEN_MAX_DAYS).default(30).meta({ description: 'how many days the token is valid (1 to 365, default 30)' }),
  })
  .strict()
  .meta({ id: 'NewApiToken' });
export type NewApiToken = z.infer<typeof NewApiToken>;

export const ApiToken = z
  .object({
    id: z.string(),
    name: z.string(),
    createdAt: z.string(),
    expiresAt: z.string(),
    lastUsedAt: z.string().nullable(),
  })
  .meta({ id: 'ApiToken' });
export type ApiToken = z.infer<typeof ApiToken>;

export const IssuedApiToken = ApiToken.extend({
  token: z.string().meta({ description: 'the bearer token; shown only in this answer' }),
}).meta({ id: 'IssuedApiToken' });
export type IssuedApiToken = z.infer<typeof IssuedApiToken>;

export const ApiTokenList = z.object({ items: z.array(ApiToken) }).meta({ id: 'ApiTokenList' });
export type ApiTokenList = z.infer<typeof ApiTokenList>;

export const ApiTokenParams = z.object({ id: z.string().min(1).max(100) });
