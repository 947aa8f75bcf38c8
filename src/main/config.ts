import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { validationFailed } from '../domain/errors.js';
import { FaultConfig } from '../cloud/simulated/config.js';
import { PeopleRules } from '../identity/people-rules.js';
import { isLoopbackHttp } from '../identity/oidc.js';

const int = (fallback: number, min = 0) => z.coerce.number().int().min(min).default(fallback);
/** https, or http to this machine only (a __Host- cookie needs a secure context; a provider's answers need TLS). */
const secureUrl = z.url().refine((u) => u.startsWith('https://') || isLoopbackHttp(u), 'must be https:// (http:// only for localhost)');
const words = z.string().transform((s) => s.split(/[\s,]+/).filter((w) => w !== ''));
/** JSON text checked against `schema`; a syntax error or every problem at its path, never the value itself. */
const jsonOf = <T extends z.ZodType>(schema: T, example: string) =>
  z
    .string()
    .transform((text, ctx): unknown => {
      try {
        return JSON.parse(text);
      } catch {
        ctx.addIssue({ code: 'custom', message: `must be JSON: ${example}` });
        return z.NEVER;
      }
    })
    .pipe(schema);

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
  /** Sign-in (ADR 0011). The origin people reach Hatoba at; default http://localhost:PORT. */
  HATOBA_PUBLIC_URL: secureUrl.refine((u) => new URL(u).pathname === '/' && !/[?#]/.test(u), 'must be an origin only, e.g. https://hatoba.example.jp').transform((u) => new URL(u).origin).optional(),
  HATOBA_OIDC_ISSUER: secureUrl.optional(),
  HATOBA_OIDC_CLIENT_ID: z.string().min(1).optional(),
  HATOBA_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  HATOBA_OIDC_ACR_VALUES: words.optional(),
  HATOBA_OIDC_AMR_VALUES: words.optional(),
  HATOBA_OIDC_PEOPLE_RULES: jsonOf(PeopleRules, '[{"when": {"claim": "roles", "equals": "operator"}, "central": ["operator"]}]').optional(),
  HATOBA_SESSION_IDLE_MINUTES: int(30, 1).pipe(z.number().max(24 * 60)),
  HATOBA_SESSION_MAX_HOURS: int(8, 1).pipe(z.number().max(30 * 24)),
});

/** A provider is the three settings together (checked beside the schema, so it is reported with its other problems). */
const OIDC_SETTINGS = ['HATOBA_OIDC_ISSUER', 'HATOBA_OIDC_CLIENT_ID', 'HATOBA_OIDC_CLIENT_SECRET'] as const;
function missingProviderSettings(env: Record<string, string | undefined>): { path: string[]; message: string }[] {
  const missing = OIDC_SETTINGS.filter((name) => env[name] === undefined);
  if (missing.length === 0 || missing.length === OIDC_SETTINGS.length) return [];
  return missing.map((name) => ({ path: ['env', name], message: 'required with the other HATOBA_OIDC_ISSUER / _CLIENT_ID / _CLIENT_SECRET settings' }));
}

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
  identity: {
    /** The origin people reach Hatoba at; undefined: http://localhost:<the port the server listens on>. */
    publicUrl: string | undefined;
    /** The OpenID provider; undefined: none (the demo then runs its own at /idp). */
    oidc: { issuer: string; clientId: string; clientSecret: string } | undefined;
    /** The accepted acr and amr values; undefined when neither is set (src/main/identity.ts picks the default). */
    assurance: { acr: string[]; amr: string[] } | undefined;
    peopleRules: PeopleRules | undefined;
    session: { idleMinutes: number; maxHours: number };
    /** Where the demo writes its operator's API token (beside the data folder). */
    demoTokenFile: string;
  };
};

/** Parses the environment; every problem is reported at once, named by its variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const given = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(given);
  // Messages name the variable, never its value (HATOBA_OIDC_CLIENT_SECRET is one).
  const issues = [...(parsed.success ? [] : parsed.error.issues.map((i) => ({ path: ['env', ...i.path.map(String)], message: i.message }))), ...missingProviderSettings(given)];
  if (!parsed.success || issues.length > 0) throw validationFailed('the configuration is not valid', issues);
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
    identity: {
      publicUrl: e.HATOBA_PUBLIC_URL,
      oidc:
        e.HATOBA_OIDC_ISSUER === undefined || e.HATOBA_OIDC_CLIENT_ID === undefined || e.HATOBA_OIDC_CLIENT_SECRET === undefined
          ? undefined
          : { issuer: e.HATOBA_OIDC_ISSUER, clientId: e.HATOBA_OIDC_CLIENT_ID, clientSecret: e.HATOBA_OIDC_CLIENT_SECRET },
      assurance: e.HATOBA_OIDC_ACR_VALUES === undefined && e.HATOBA_OIDC_AMR_VALUES === undefined ? undefined : { acr: e.HATOBA_OIDC_ACR_VALUES ?? [], amr: e.HATOBA_OIDC_AMR_VALUES ?? [] },
      peopleRules: e.HATOBA_OIDC_PEOPLE_RULES,
      session: { idleMinutes: e.HATOBA_SESSION_IDLE_MINUTES, maxHours: e.HATOBA_SESSION_MAX_HOURS },
      demoTokenFile: resolve(dirname(resolve(e.HATOBA_DATA_DIR)), 'demo-token'),
    },
  };
}
