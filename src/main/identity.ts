import { IncomingMessage, ServerResponse } from 'node:http';
import type { MiddlewareHandler } from 'hono';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { z } from 'zod';
import type { Config } from './config.js';
import type { Container } from './container.js';
import { openDatabase } from './database.js';
import { DEMO_PEOPLE, DEMO_PEOPLE_RULES } from './demo-people.js';
import type { RouteModule } from '../api/app.js';
import { authentication } from '../api/authentication.js';
import { authRoutes } from '../api/routes/auth.js';
import { AUTH_PATHS } from '../contracts/session.js';
import type { AuditLog } from '../app/ports/audit-log.js';
import type { PeopleStore } from '../app/ports/people-store.js';
import type { Clock } from '../app/ports/clock.js';
import { outcomeOf, type JsonValue } from '../app/audit/chain.js';
import { timeOrderedId } from '../app/registry/ids.js';
import { DomainError } from '../domain/errors.js';
import type { AssuranceRequirement } from '../identity/assurance.js';
import { createAuthFlow, type RequestSource, type SignInEvent } from '../identity/auth-flow.js';
import type { DevProvider } from '../identity/dev-provider.js';
import { DEV_PROVIDER_PATH } from '../identity/dev-provider-path.js';
import { createRelyingParty, type RelyingParty } from '../identity/oidc.js';
import { newSecret } from '../identity/secrets.js';
import { createSessions, type Sessions } from '../identity/sessions.js';
import { createApiTokens, type ApiTokens } from '../identity/tokens.js';
import { createPeopleStore } from '../store/people-store.js';
import { createSessionStore } from '../store/session-store.js';
import { createAuditStore } from '../store/audit-store.js';

/**
 * Sign-in, wired (ADR 0011): the relying party, sessions, API tokens and, in the demo when no
 * provider is configured, the bundled provider at /idp. The public origin is asked for lazily:
 * with PORT=0 it is known only once the server listens, and nothing needs it before a request.
 */
export type IdentityOptions = {
  /** The public origin, e.g. `http://localhost:8080`. */
  origin: () => string;
  /** Run the bundled provider when no HATOBA_OIDC_ISSUER is set (the demo). */
  devProvider: boolean;
  /** The bundled provider's client secret; by default a random one (tests pass theirs to look for it in the logs). */
  demoClientSecret?: string;
  warn?: (line: string) => void;
};

export type Identity = {
  /** The authentication middleware, for `createApi(…, { access: { authenticate } })`. */
  authenticate: MiddlewareHandler;
  /** `/auth/*`, `/api/tokens`, and the bundled provider at `/idp` when it runs. */
  modules: RouteModule[];
  /** Whether the bundled provider serves /idp. */
  bundled: boolean;
  sessions: Sessions;
  tokens: ApiTokens;
  people: PeopleStore;
};

const LOA = { substantial: 'urn:hatoba:loa:substantial', high: 'urn:hatoba:loa:high' };
const SCOPE = 'openid email profile';
const DEMO_CLIENT_ID = 'hatoba-demo';

/** The assurance required: as configured, else multi-factor (and, with the bundled provider, its LoA substantial or high too). */
export function assuranceOf(config: Config, bundled: boolean): AssuranceRequirement {
  return config.identity.assurance ?? (bundled ? { acr: [LOA.substantial, LOA.high], amr: ['mfa'] } : { acr: [], amr: ['mfa'] });
}

const NodeBindings = z.object({ incoming: z.instanceof(IncomingMessage), outgoing: z.instanceof(ServerResponse) });

/** The bundled provider mounted in our own server; made at its first request, when the origin is known. */
function devProviderModule(make: () => Promise<DevProvider>): RouteModule {
  let provider: Promise<DevProvider> | undefined;
  return (app) => {
    app.all(`${DEV_PROVIDER_PATH}/*`, async (c) => {
      const node = NodeBindings.safeParse(c.env);
      if (!node.success) return c.text('the demo identity provider runs only in the Node.js server', 501);
      provider ??= make();
      await (await provider).handle(node.data.incoming, node.data.outgoing);
      return RESPONSE_ALREADY_SENT;
    });
  };
}

/** Sign-ins, refusals and sign-outs in the audit trail, as the browser's request to the callback or sign-out. */
function auditSignIns(log: AuditLog, clock: Clock) {
  return async (event: SignInEvent, source: RequestSource) => {
    const status = event.kind === 'refused' ? 403 : 303;
    const details: Record<string, JsonValue> =
      event.kind === 'signed_in' ? { event: 'signed_in', how: event.how, acr: event.acr ?? null, amr: [...event.amr] } : event.kind === 'refused' ? { event: 'refused', refusal: event.refusal } : { event: 'signed_out' };
    await log.append({
      at: clock.now(),
      actor: event.email ?? 'anonymous',
      action: event.kind === 'signed_out' ? `POST ${AUTH_PATHS.signOut}` : `GET ${AUTH_PATHS.callback}`,
      target: event.kind === 'refused' || event.personId === undefined ? {} : { person: event.personId },
      tenant: event.kind === 'signed_in' ? event.tenantCode : null,
      source,
      result: { status, outcome: outcomeOf(status) },
      dryRun: false,
      details,
    });
  };
}

export function createIdentity(config: Config, container: Container, options: IdentityOptions): Identity {
  const warn = options.warn ?? ((line: string) => console.error(line));
  const { clock } = container;
  const people = container.people;
  const store = createSessionStore(container.db);
  const sessions = createSessions({ store, people, clock, settings: config.identity.session });
  const tokens = createApiTokens({ store, people, clock, newId: timeOrderedId });
  const bundled = config.identity.oidc === undefined && options.devProvider;
  // The bundled provider's client secret lives only in this process's memory.
  const demoSecret = bundled ? (options.demoClientSecret ?? newSecret()) : undefined;
  const urls = () => ({ redirectUri: `${options.origin()}${AUTH_PATHS.callback}`, postLogoutRedirectUri: `${options.origin()}/` });
  const client = (): { issuer: string; clientId: string; clientSecret: string } | undefined =>
    config.identity.oidc ?? (demoSecret === undefined ? undefined : { issuer: `${options.origin()}${DEV_PROVIDER_PATH}`, clientId: DEMO_CLIENT_ID, clientSecret: demoSecret });
  let rp: RelyingParty | undefined;
  const assurance = assuranceOf(config, bundled);
  const relyingParty = (): RelyingParty | undefined => {
    const c = client();
    if (c === undefined) return undefined;
    rp ??= createRelyingParty({ ...c, ...urls(), scope: SCOPE, acrValues: assurance.acr });
    return rp;
  };
  const flow = createAuthFlow({
    rp: relyingParty,
    sessions,
    signIn: {
      people,
      tenants: container.registry,
      clock,
      newId: timeOrderedId,
      assurance,
      rules: config.identity.peopleRules ?? (bundled ? DEMO_PEOPLE_RULES : []),
      // A person made by a rule is provisioned like one a tenant admin adds: the twin's identity store, their tenant's accounts.
      createPerson: async (person) => {
        const { access, provisioning } = container.peopleDeps;
        const runs = person.kind === 'tenant' ? [provisioning.provisionRun(person.id, 'sign-in')] : [];
        const created = await access.addPerson(person, runs, clock.now());
        if (runs.length > 0) await provisioning.wake();
        return created;
      },
    },
    onEvent: auditSignIns(container.auditLog, clock),
    warn,
  });
  const modules: RouteModule[] = [authRoutes({ flow, tokens, tenants: container.registry, origin: options.origin })];
  if (bundled && demoSecret !== undefined) {
    // Imported on the first /idp request: oidc-provider (and its Node 20 warning) stays out of every other process.
    modules.push(
      devProviderModule(async () => {
        const { createDevProvider } = await import('../identity/dev-provider.js');
        return createDevProvider({ issuer: `${options.origin()}${DEV_PROVIDER_PATH}`, clientId: DEMO_CLIENT_ID, clientSecret: demoSecret, ...urls(), people: DEMO_PEOPLE, warn });
      }),
    );
  }
  const authenticate = authentication({
    session: (cookie) => sessions.resolve(cookie),
    token: async (token) => {
      const found = await tokens.resolve(token);
      return found === undefined ? undefined : { principal: found.principal, expiresAt: found.token.expiresAt };
    },
    origin: options.origin,
  });
  return { authenticate, modules, bundled, sessions, tokens, people };
}

/**
 * `hatoba tokens issue`: a token for a person, printed once, made on the server's own database (for
 * the first operator, before anyone can sign in). With nobody able to sign in yet (no operator at
 * all), the e-mail address becomes the first operator.
 */
export async function issueTokenFromConsole(config: Config, input: { email: string; name: string; days: number }, io: { out: (line: string) => void; err: (line: string) => void }): Promise<void> {
  const { db, close } = await openDatabase(config);
  try {
    const people = createPeopleStore(db);
    const audit = createAuditStore(db);
    const clock = { now: () => new Date(), sleep: async () => undefined };
    const email = input.email.trim().toLowerCase();
    let person = await people.findActiveByEmail(email);
    if (person === undefined) {
      const operators = await people.list({ kind: 'central' }, { limit: 500 });
      if (operators.items.some((p) => p.centralRoles.includes('operator'))) {
        throw new DomainError('not_found', `no active person has the e-mail address ${email}: an operator adds people first`, { issues: [{ path: ['--email'], message: 'not an active person' }] });
      }
      person = await people.create({ id: timeOrderedId('per'), email, name: email.split('@')[0] ?? email, kind: 'central', centralRoles: ['operator'], createdAt: clock.now(), createdBy: 'hatoba tokens issue' });
      io.err(`${email} is the first operator (nobody else could sign in yet)`);
    }
    const tokens = createApiTokens({ store: createSessionStore(db), people, clock, newId: timeOrderedId });
    const { token, record } = await tokens.issue(person.id, { name: input.name, days: input.days });
    await audit.append({
      at: clock.now(), actor: email, action: 'hatoba tokens issue', target: { token: record.id }, tenant: person.tenant?.code ?? null,
      source: { ip: null, forwardedFor: null, userAgent: 'hatoba (server console)' }, result: { status: 201, outcome: 'succeeded' }, dryRun: false, details: { days: input.days },
    });
    io.err(`API token ${record.id} for ${email}, valid until ${record.expiresAt.toISOString()}; it is shown only now:`);
    io.out(token);
  } finally {
    await close();
  }
}
