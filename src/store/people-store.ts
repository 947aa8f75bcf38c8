import { z } from 'zod';
import { DomainError } from '../domain/errors.js';
import { CentralRole, TenantRole } from '../domain/access/roles.js';
import { decodeCursor, toPage } from '../app/paging.js';
import type { NewPerson, PeopleStore, Person, PersonFilter } from '../app/ports/people-store.js';
import type { Database, Row, SqlExecutor } from './database.js';

/**
 * People in SQL (table `people`, migration 009). Only the active person may hold an e-mail address or
 * a provider subject (partial unique indexes): removed people keep their rows for the audit trail.
 */

const PersonRow = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    kind: z.enum(['central', 'tenant']),
    central_roles: z.array(CentralRole),
    tenant_id: z.string().nullable(),
    tenant_code: z.string().nullable(),
    tenant_role: TenantRole.nullable(),
    issuer: z.string().nullable(),
    subject: z.string().nullable(),
    status: z.enum(['active', 'removed']),
    created_at: z.date(),
    created_by: z.string(),
    removed_at: z.date().nullable(),
    removed_by: z.string().nullable(),
  })
  .transform(
    (r): Person => ({
      id: r.id,
      email: r.email,
      name: r.name,
      kind: r.kind,
      centralRoles: r.central_roles,
      tenant: r.tenant_id === null ? null : { id: r.tenant_id, code: r.tenant_code ?? '' },
      tenantRole: r.tenant_role,
      issuer: r.issuer,
      subject: r.subject,
      status: r.status,
      createdAt: r.created_at,
      createdBy: r.created_by,
      removedAt: r.removed_at,
      removedBy: r.removed_by,
    }),
  );

/** A person with their tenant's code; `WHERE`/`ORDER BY` are appended by the caller. */
const SELECT_PERSON = 'SELECT p.*, o.code AS tenant_code FROM people p LEFT JOIN organisations o ON o.id = p.tenant_id';

const parseAll = (rows: Row[]): Person[] => rows.map((r) => PersonRow.parse(r));

/** Both drivers report a unique violation with SQLSTATE 23505 in `code`. */
const isUniqueViolation = (error: unknown): boolean => typeof error === 'object' && error !== null && 'code' in error && error.code === '23505';

const emailTaken = (email: string): DomainError =>
  new DomainError('conflict', `このメールアドレスの利用者は既に登録されています / a person with the e-mail address ${email} already exists`, {
    issues: [{ path: ['email'], message: '既に使われています / already used by an active person' }],
  });

// The keyset of a list: e-mail first (what people look for), id to tell a removed person from the active one.
const Key = z.tuple([z.string(), z.string()]);
const keyOf = (p: Person): string => JSON.stringify([p.email, p.id]);

function afterKey(cursor: string | undefined): [string, string] | undefined {
  const text = decodeCursor(cursor);
  if (text === undefined) return undefined;
  try {
    const parsed = Key.safeParse(JSON.parse(text));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through to the error below
  }
  throw new DomainError('validation_failed', 'カーソルが不正です / the cursor is not valid', { issues: [{ path: ['cursor'], message: 'not a cursor of this list' }] });
}

/** Inserts a person inside the caller's transaction; DomainError `conflict` at ['email'] when an active person has the address. */
export async function insertPerson(tx: SqlExecutor, person: NewPerson): Promise<Person> {
  const email = person.email.trim().toLowerCase();
  const tenantId = person.kind === 'tenant' ? person.tenantId : null;
  const tenantRole = person.kind === 'tenant' ? person.tenantRole : null;
  const centralRoles = person.kind === 'central' ? [...new Set(person.centralRoles)] : [];
  let inserted: Row[];
  try {
    inserted = await tx.query(
      `INSERT INTO people (id, email, name, kind, central_roles, tenant_id, tenant_role, created_at, created_by)
       VALUES ($1, $2, $3, $4, $5::text[], $6, $7, $8::timestamptz, $9)
       ON CONFLICT (email) WHERE status = 'active' DO NOTHING RETURNING id`,
      [person.id, email, person.name, person.kind, centralRoles, tenantId, tenantRole, person.createdAt.toISOString(), person.createdBy],
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken(email);
    throw error;
  }
  if (inserted.length === 0) throw emailTaken(email);
  return mustSelect(tx, person.id);
}

/** Marks an active person removed and ends their sessions and API tokens, inside the caller's transaction. */
export async function removePersonIn(tx: SqlExecutor, id: string, by: string, at: Date): Promise<Person | undefined> {
  const rows = await tx.query(`UPDATE people SET status = 'removed', removed_at = $2::timestamptz, removed_by = $3 WHERE id = $1 AND status = 'active' RETURNING id`, [
    id,
    at.toISOString(),
    by,
  ]);
  if (rows.length === 0) return undefined;
  // Removal takes effect on the person's next request: no session or token outlives them.
  await tx.query('DELETE FROM sessions WHERE person_id = $1', [id]);
  await tx.query('DELETE FROM api_tokens WHERE person_id = $1', [id]);
  return mustSelect(tx, id);
}

/** Changes an active tenant person's role inside the caller's transaction. */
export async function setTenantRoleIn(tx: SqlExecutor, id: string, role: TenantRole): Promise<Person | undefined> {
  const rows = await tx.query(`UPDATE people SET tenant_role = $2 WHERE id = $1 AND kind = 'tenant' AND status = 'active' RETURNING id`, [id, role]);
  return rows.length === 0 ? undefined : mustSelect(tx, id);
}

async function mustSelect(tx: SqlExecutor, id: string): Promise<Person> {
  const person = parseAll(await tx.query(`${SELECT_PERSON} WHERE p.id = $1`, [id]))[0];
  if (person === undefined) throw new Error(`person ${id} vanished within its own transaction`);
  return person;
}

export function createPeopleStore(db: Database): PeopleStore {
  async function one(sql: string, params: unknown[]): Promise<Person | undefined> {
    return parseAll(await db.query(sql, params))[0];
  }

  return {
    get: (id) => one(`${SELECT_PERSON} WHERE p.id = $1`, [id]),

    findActiveByEmail: (email) => one(`${SELECT_PERSON} WHERE p.email = $1 AND p.status = 'active'`, [email.trim().toLowerCase()]),

    findActiveBySubject: (issuer, subject) => one(`${SELECT_PERSON} WHERE p.issuer = $1 AND p.subject = $2 AND p.status = 'active'`, [issuer, subject]),

    // Subject first: a removed person found by the account they signed in with, before an address.
    findRemoved: (issuer, subject, email) =>
      one(
        `${SELECT_PERSON} WHERE p.status = 'removed' AND ((p.issuer = $1 AND p.subject = $2) OR p.email = $3)
          ORDER BY (p.issuer = $1 AND p.subject = $2) IS TRUE DESC, p.removed_at DESC LIMIT 1`,
        [issuer, subject, email === undefined ? null : email.trim().toLowerCase()],
      ),

    create: (person: NewPerson) => insertPerson(db, person),

    async bindSubject(id, issuer, subject) {
      try {
        const rows = await db.query(
          `UPDATE people SET issuer = $2, subject = $3
            WHERE id = $1 AND status = 'active' AND subject IS NULL
              AND NOT EXISTS (SELECT 1 FROM people q WHERE q.issuer = $2 AND q.subject = $3 AND q.status = 'active')
            RETURNING id`,
          [id, issuer, subject],
        );
        return rows.length > 0;
      } catch (error) {
        // Two people racing for one subject: the index lets one win.
        if (isUniqueViolation(error)) return false;
        throw error;
      }
    },

    async list(filter: PersonFilter, page) {
      const params: unknown[] = [];
      const add = (value: unknown): string => {
        params.push(value);
        return `$${params.length}`;
      };
      const conditions: string[] = [];
      if (filter.tenantId !== undefined) conditions.push(`p.tenant_id = ${add(filter.tenantId)}`);
      if (filter.kind !== undefined) conditions.push(`p.kind = ${add(filter.kind)}`);
      if (filter.includeRemoved !== true) conditions.push(`p.status = 'active'`);
      const after = afterKey(page.cursor);
      if (after !== undefined) conditions.push(`(p.email, p.id) > (${add(after[0])}, ${add(after[1])})`);
      const where = conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`;
      const rows = parseAll(await db.query(`${SELECT_PERSON} ${where} ORDER BY p.email, p.id LIMIT ${add(page.limit + 1)}`, params));
      return toPage(rows, page.limit, keyOf);
    },

    setTenantRole: (id, role) => setTenantRoleIn(db, id, role),

    remove: (id, by, at) => db.transaction((tx) => removePersonIn(tx, id, by, at)),
  };
}
