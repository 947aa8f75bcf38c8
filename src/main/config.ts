import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { validationFailed } from '../domain/errors.js';
import { FaultConfig } from '../cloud/simulated/config.js';

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);

/** Every setting comes from the environment; documented in README.md → Configuration. */
const Env = z.object({
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(),
  HATOBA_DATA_DIR: z.string().min(1).default('.hatoba/data'),
  HATOBA_HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(8080, 0).pipe(z.number().max(65535)),
  HATOBA_URL: z.url().optional(),
  HATOBA_CLOUD: z.enum(['simulated']).default('simulated'),
  /** The controls catalog folder; relative to the working directory. Default: catalog/ beside bin/hatoba.js, so any cwd works. */
  HATOBA_CATALOG_DIR: z.string().min(1).optional(),
  HATOBA_ACCOUNT_EMAIL_DOMAIN: z.string().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'must be a domain name').default('accounts.hatoba.example'),
  HATOBA_WORKER_CONCURRENCY: int(20, 1),
  HATOBA_LEASE_MS: int(30_000, 1_000),
  HATOBA_POLL_INTERVAL_MS: int(2_000, 1),
  HATOBA_EXPECTED_CREATION_MS: z.coerce.number().int().min(0).optional(),
  HATOBA_CREATION_TIMEOUT_MS: int(60 * 60_000, 1),
  HATOBA_SUPPORT_PLAN: z.enum(['BASIC', 'DEVELOPER', 'BUSINESS', 'ENTERPRISE']).default('BUSINESS'),
  HATOBA_TWIN_CREATION_MS: int(8_000, 0),
  HATOBA_TWIN_CONCURRENCY: int(5, 1),
  /** How many days an impact report replays when the request names no date. */
  HATOBA_IMPACT_LOOKBACK_DAYS: int(30, 1).pipe(z.number().max(3650)),
  /** Fault injection for the twin, as JSON: {"seed": 1, "calls": [...], "creations": [...]} (src/cloud/simulated/config.ts). */
  HATOBA_TWIN_FAULTS: z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON: {"calls": [...], "creations": [...]}' });
        return z.NEVER;
      }
    })
    .pipe(FaultConfig)
    .optional(),
});

export type Config = {
  database: { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };
  http: { host: string; port: number };
  serverUrl: string;
  cloud: 'simulated';
  accountEmailDomain: string;
  catalogDir: string;
  worker: { concurrency: number; leaseMs: number; pollIntervalMs: number; expectedCreationMs: number; creationTimeoutMs: number; supportPlan: 'BASIC' | 'DEVELOPER' | 'BUSINESS' | 'ENTERPRISE' };
  twin: { creationMs: number; concurrency: number; faults: FaultConfig | undefined };
  guardrails: { impactLookbackDays: number };
};

/** Parses the environment; every problem is reported at once, named by its variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const parsed = Env.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== '')));
  if (!parsed.success) {
    throw validationFailed(
      'the configuration is not valid',
      parsed.error.issues.map((i) => ({ path: ['env', ...i.path.map(String)], message: i.message })),
    );
  }
  const e = parsed.data;
  return {
    database: e.DATABASE_URL !== undefined ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'pglite', dataDir: resolve(e.HATOBA_DATA_DIR) },
    http: { host: e.HATOBA_HOST, port: e.PORT },
    serverUrl: e.HATOBA_URL ?? `http://${e.HATOBA_HOST}:${e.PORT}`,
    cloud: e.HATOBA_CLOUD,
    accountEmailDomain: e.HATOBA_ACCOUNT_EMAIL_DOMAIN,
    catalogDir: e.HATOBA_CATALOG_DIR === undefined ? fileURLToPath(new URL('../../catalog', import.meta.url)) : resolve(e.HATOBA_CATALOG_DIR),
    worker: { concurrency: e.HATOBA_WORKER_CONCURRENCY, leaseMs: e.HATOBA_LEASE_MS, pollIntervalMs: e.HATOBA_POLL_INTERVAL_MS,
      // The twin's creation time is known; a real provider's is a guess an operator can tune.
      expectedCreationMs: e.HATOBA_EXPECTED_CREATION_MS ?? (e.HATOBA_CLOUD === 'simulated' ? e.HATOBA_TWIN_CREATION_MS : 60_000),
      creationTimeoutMs: e.HATOBA_CREATION_TIMEOUT_MS, supportPlan: e.HATOBA_SUPPORT_PLAN },
    twin: { creationMs: e.HATOBA_TWIN_CREATION_MS, concurrency: e.HATOBA_TWIN_CONCURRENCY, faults: e.HATOBA_TWIN_FAULTS },
    guardrails: { impactLookbackDays: e.HATOBA_IMPACT_LOOKBACK_DAYS },
  };
}
