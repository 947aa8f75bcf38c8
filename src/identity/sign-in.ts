import type { Clock } from '../app/ports/clock.js';
import type { NewPerson, PeopleStore, Person } from '../app/ports/people-store.js';
import type { RegistryStore } from '../app/ports/registry-store.js';
import type { IdGenerator } from '../app/registry/ids.js';
import type { Label } from '../domain/registry/labels.js';
import { DomainError } from '../domain/errors.js';
import { checkAssurance, type AssuranceRequirement } from './assurance.js';
import { applyPeopleRules, type PeopleRules } from './people-rules.js';

/** Who the provider says signed in, from the validated ID token (and userinfo for the rest). */
export type ProviderIdentity = {
  issuer: string;
  subject: string;
  /** From the ID token only: the signed statement of how the person authenticated. */
  acr: string | undefined;
  amr: string[];
  email: string | undefined;
  emailVerified: boolean;
  name: string | undefined;
  /** Every claim, for the people rules. */
  claims: Readonly<Record<string, unknown>>;
};

export type SignInRefusal =
  | { kind: 'assurance'; reason: Label }
  | { kind: 'not_registered'; email: string | undefined }
  /** A removed person stays removed: only an admin adding them again (a new person) lets them back in. */
  | { kind: 'removed'; email: string }
  | { kind: 'email_unverified'; email: string | undefined }
  | { kind: 'subject_mismatch'; email: string }
  | { kind: 'rules_conflict'; reason: Label }
  | { kind: 'unknown_tenant'; tenantCode: string };

export type SignInOutcome = { ok: true; person: Person; how: 'subject' | 'email' | 'rules' } | { ok: false; refusal: SignInRefusal };

export type SignInDeps = {
  people: PeopleStore;
  tenants: Pick<RegistryStore, 'getOrganisationByCode'>;
  clock: Clock;
  newId: IdGenerator;
  assurance: AssuranceRequirement;
  rules: PeopleRules;
  /**
   * Creates a person from the rules; by default `people.create`. The composition may pass the
   * people use case that also provisions them into the cloud's identity store.
   */
  createPerson?: (person: NewPerson) => Promise<Person>;
};

const refuse = (refusal: SignInRefusal): SignInOutcome => ({ ok: false, refusal });

/**
 * The callback's decision, after the code exchange validated the ID token: is the sign-in strong
 * enough, and who is it? The person is found by the provider's (issuer, subject); else by a verified
 * e-mail address, binding the subject to them; else created by the configured rules; else refused.
 * A removed person (by subject or verified address) is refused before the rules: the provider still
 * describing them does not undo their removal.
 */
export async function signIn(deps: SignInDeps, who: ProviderIdentity): Promise<SignInOutcome> {
  const assurance = checkAssurance(deps.assurance, { acr: who.acr, amr: who.amr });
  if (!assurance.met) return refuse({ kind: 'assurance', reason: assurance.reason });

  const bySubject = await deps.people.findActiveBySubject(who.issuer, who.subject);
  if (bySubject !== undefined) return { ok: true, person: bySubject, how: 'subject' };

  const given = who.email?.trim().toLowerCase();
  const email = given === '' ? undefined : given;
  // An address the provider has not verified could be anyone's: it neither finds nor creates a person.
  const verified = email !== undefined && who.emailVerified ? email : undefined;
  if (verified !== undefined) {
    const byEmail = await deps.people.findActiveByEmail(verified);
    if (byEmail !== undefined) return bindOrRefuse(deps, byEmail, who, verified, 'email');
  }

  const removed = await deps.people.findRemoved(who.issuer, who.subject, verified);
  if (removed !== undefined) return refuse({ kind: 'removed', email: removed.email });
  if (email === undefined) return refuse({ kind: 'not_registered', email: undefined });
  if (verified === undefined) return refuse({ kind: 'email_unverified', email });

  const outcome = applyPeopleRules(deps.rules, who.claims);
  if (outcome.kind === 'none') return refuse({ kind: 'not_registered', email });
  if (outcome.kind === 'conflict') return refuse({ kind: 'rules_conflict', reason: outcome.reason });
  const grant = outcome.grant;
  const base = { id: deps.newId('per'), email, name: who.name?.trim() || (email.split('@')[0] ?? email), createdAt: deps.clock.now(), createdBy: `sign-in:${who.issuer}` };
  let person: NewPerson;
  if (grant.kind === 'central') person = { ...base, kind: 'central', centralRoles: grant.roles };
  else {
    const tenant = await deps.tenants.getOrganisationByCode(grant.tenantCode);
    if (tenant === undefined) return refuse({ kind: 'unknown_tenant', tenantCode: grant.tenantCode });
    person = { ...base, kind: 'tenant', tenantId: tenant.id, tenantRole: grant.role };
  }
  let created: Person;
  try {
    created = await (deps.createPerson ?? deps.people.create)(person);
  } catch (error) {
    // Someone else created them in the meantime (a second tab): sign in as that person.
    if (!(error instanceof DomainError) || error.code !== 'conflict') throw error;
    const raced = await deps.people.findActiveByEmail(email);
    if (raced === undefined) throw error;
    return bindOrRefuse(deps, raced, who, email, 'email');
  }
  return bindOrRefuse(deps, created, who, email, 'rules');
}

/** Binds the subject to a person found by e-mail, unless another subject is bound to them already. */
async function bindOrRefuse(deps: SignInDeps, person: Person, who: ProviderIdentity, email: string, how: 'email' | 'rules'): Promise<SignInOutcome> {
  if (person.subject !== null) {
    return person.issuer === who.issuer && person.subject === who.subject ? { ok: true, person, how } : refuse({ kind: 'subject_mismatch', email });
  }
  if (!(await deps.people.bindSubject(person.id, who.issuer, who.subject))) return refuse({ kind: 'subject_mismatch', email });
  return { ok: true, person: { ...person, issuer: who.issuer, subject: who.subject }, how };
}
