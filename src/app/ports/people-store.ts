import type { CentralRole, TenantRole } from '../../domain/access/roles.js';
import type { PageRequest } from './registry-store.js';

/** A person Hatoba knows (src/store/people-store.ts; table `people`, migration 009). */
export type Person = {
  id: string;
  /** Lower case. */
  email: string;
  name: string;
  kind: 'central' | 'tenant';
  /** At least one for a central person; empty for a tenant person. */
  centralRoles: CentralRole[];
  /** Set for a tenant person, with the tenant's code. */
  tenant: { id: string; code: string } | null;
  tenantRole: TenantRole | null;
  /** The provider's issuer and subject, bound at the first sign-in. */
  issuer: string | null;
  subject: string | null;
  status: 'active' | 'removed';
  createdAt: Date;
  createdBy: string;
  removedAt: Date | null;
  removedBy: string | null;
};

export type NewPerson = {
  id: string;
  email: string;
  name: string;
  createdAt: Date;
  createdBy: string;
} & ({ kind: 'central'; centralRoles: CentralRole[] } | { kind: 'tenant'; tenantId: string; tenantRole: TenantRole });

export type PersonFilter = { tenantId?: string; kind?: 'central' | 'tenant'; includeRemoved?: boolean };

export interface PeopleStore {
  get(id: string): Promise<Person | undefined>;
  /** The active person with this e-mail address (lower-cased by the caller). */
  findActiveByEmail(email: string): Promise<Person | undefined>;
  findActiveBySubject(issuer: string, subject: string): Promise<Person | undefined>;
  /** The most recently removed person bound to this (issuer, subject), or else with this e-mail address (when given). */
  findRemoved(issuer: string, subject: string, email: string | undefined): Promise<Person | undefined>;
  /** Throws DomainError `conflict` when an active person already has the e-mail address. */
  create(person: NewPerson): Promise<Person>;
  /** Binds the provider's subject to a person who has none yet; false when one is already bound. */
  bindSubject(id: string, issuer: string, subject: string): Promise<boolean>;
  /** People by e-mail address, keyset-paged. */
  list(filter: PersonFilter, page: PageRequest): Promise<{ items: Person[]; nextCursor?: string }>;
  /** Changes an active tenant person's role (the people use cases swap their permission set); undefined when not an active tenant person. */
  setTenantRole(id: string, role: TenantRole): Promise<Person | undefined>;
  /** Marks an active person removed and deletes their sessions and API tokens in the same transaction; undefined when not active. */
  remove(id: string, by: string, at: Date): Promise<Person | undefined>;
}
