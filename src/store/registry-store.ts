import { z } from 'zod';
import { DomainError, notFound, type Issue } from '../domain/errors.js';
import { Account, AccountStatus, Environment } from '../domain/registry/account.js';
import { ContactRole, Organisation, OrganisationKind } from '../domain/registry/organisation.js';
import { PlacementMatch, PlacementRule, type PlacementSubject } from '../domain/registry/placement.js';
import { CloudProvider, System } from '../domain/registry/system.js';
import { decodeCursor, toPage, type Page } from '../app/paging.js';
import type {
  AccountFilter,
  AccountPatch,
  AccountWithOwners,
  OrganisationFilter,
  PageRequest,
  RegistryStore,
  ReserveAccountInput,
} from '../app/ports/registry-store.js';
import type { Database, Row, SqlExecutor } from './database.js';

/**
 * The registry in SQL, the same statements on PGlite and PostgreSQL. Rows are parsed with zod, never
 * cast. Many-row writes go through jsonb_to_recordset: one parameter per batch of rows, because PGlite
 * is slow row by row and PostgreSQL caps a statement at 65,535 parameters.
 */
const BATCH_SIZE = 500;

const OrganisationRow = z
  .object({
    id: z.string(),
    kind: OrganisationKind,
    code: z.string(),
    name_ja: z.string(),
    name_en: z.string(),
    parent_code: z.string().nullable(),
    prefecture: z.string().nullable(),
    contacts: z.array(z.object({ name: z.string(), email: z.string(), role: ContactRole })),
    billing_email: z.string(),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .transform(
    (r): Organisation => ({
      id: r.id,
      kind: r.kind,
      code: r.code,
      nameJa: r.name_ja,
      nameEn: r.name_en,
      parentCode: r.parent_code,
      prefecture: r.prefecture,
      contacts: r.contacts,
      billingEmail: r.billing_email,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }),
  );

const SystemRow = z
  .object({
    id: z.string(),
    organisation_id: z.string(),
    slug: z.string(),
    name_ja: z.string(),
    name_en: z.string(),
    provider: CloudProvider,
    attributes: z.record(z.string(), z.string()),
    created_at: z.date(),
    updated_at: z.date(),
  })
  .transform(
    (r): System => ({
      id: r.id,
      organisationId: r.organisation_id,
      slug: r.slug,
      nameJa: r.name_ja,
      nameEn: r.name_en,
      provider: r.provider,
      attributes: r.attributes,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }),
  );

const AccountRow = z
  .object({
    id: z.string(),
    system_id: z.string(),
    organisation_id: z.string(),
    provider: CloudProvider,
    environment: Environment,
    name: z.string(),
    email: z.string(),
    status: AccountStatus,
    provider_account_id: z.string().nullable(),
    ou_path: z.string().nullable(),
    request_id: z.string().nullable(),
    created_at: z.date(),
    updated_at: z.date(),
    ready_at: z.date().nullable(),
  })
  .transform(
    (r): Account => ({
      id: r.id,
      systemId: r.system_id,
      organisationId: r.organisation_id,
      provider: r.provider,
      environment: r.environment,
      name: r.name,
      email: r.email,
      status: r.status,
      providerAccountId: r.provider_account_id,
      ouPath: r.ou_path,
      requestId: r.request_id,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      readyAt: r.ready_at,
    }),
  );

/** An account row joined with the columns of its tenant (t_) and system (s_) that lists show. */
const AccountWithOwnersRow = z
  .object({
    t_code: z.string(),
    t_kind: OrganisationKind,
    t_name_ja: z.string(),
    t_name_en: z.string(),
    t_prefecture: z.string().nullable(),
    s_slug: z.string(),
    s_name_ja: z.string(),
    s_name_en: z.string(),
    s_attributes: z.record(z.string(), z.string()),
  })
  .loose()
  .transform((r): AccountWithOwners => {
    const account = AccountRow.parse(r);
    return {
      account,
      tenant: { id: account.organisationId, code: r.t_code, kind: r.t_kind, nameJa: r.t_name_ja, nameEn: r.t_name_en, prefecture: r.t_prefecture },
      system: { id: account.systemId, slug: r.s_slug, nameJa: r.s_name_ja, nameEn: r.s_name_en, provider: account.provider, attributes: r.s_attributes },
    };
  });

const RuleRow = z
  .object({ id: z.string(), priority: z.number(), description: z.string(), match: PlacementMatch, ou_path: z.string() })
  .transform((r): PlacementRule => ({ id: r.id, priority: r.priority, description: r.description, match: r.match, ouPath: r.ou_path }));

const ACCOUNT_WITH_OWNERS = `
  SELECT a.*, o.code AS t_code, o.kind AS t_kind, o.name_ja AS t_name_ja, o.name_en AS t_name_en, o.prefecture AS t_prefecture,
         s.slug AS s_slug, s.name_ja AS s_name_ja, s.name_en AS s_name_en, s.attributes AS s_attributes
  FROM accounts a JOIN organisations o ON o.id = a.organisation_id JOIN systems s ON s.id = a.system_id`;

const ORGANISATION_RECORD = `jsonb_to_recordset($1::jsonb) AS r(id text, kind text, code text, name_ja text, name_en text,
  parent_code text, prefecture text, contacts jsonb, billing_email text, created_at timestamptz, updated_at timestamptz)`;

/** Collects positional parameters while a statement is assembled. */
class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const whereClause = (conditions: string[]): string => (conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`);
const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function organisationRecord(o: Organisation): Row {
  return {
    id: o.id,
    kind: o.kind,
    code: o.code,
    name_ja: o.nameJa,
    name_en: o.nameEn,
    parent_code: o.parentCode,
    prefecture: o.prefecture,
    contacts: o.contacts,
    billing_email: o.billingEmail,
    created_at: o.createdAt.toISOString(),
    updated_at: o.updatedAt.toISOString(),
  };
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const conflictOn = (message: string, issues: Issue[]): DomainError => new DomainError('conflict', message, { issues });

export function createRegistryStore(db: Database): RegistryStore {
  const one = async <T>(executor: SqlExecutor, schema: z.ZodType<T>, sql: string, params: unknown[]): Promise<T | undefined> => {
    const rows = await executor.query(sql, params);
    return rows[0] === undefined ? undefined : schema.parse(rows[0]);
  };
  const many = async <T>(executor: SqlExecutor, schema: z.ZodType<T>, sql: string, params: unknown[]): Promise<T[]> =>
    (await executor.query(sql, params)).map((row) => schema.parse(row));

  return {
    getOrganisation: (id) => one(db, OrganisationRow, 'SELECT * FROM organisations WHERE id = $1', [id]),
    getOrganisationByCode: (code) => one(db, OrganisationRow, 'SELECT * FROM organisations WHERE code = $1', [code]),
    async findOrganisationsByCodes(codes) {
      if (codes.length === 0) return [];
      return many(db, OrganisationRow, 'SELECT * FROM organisations WHERE code = ANY($1::text[]) ORDER BY code', [[...codes]]);
    },

    async listOrganisations(filter: OrganisationFilter, page: PageRequest): Promise<Page<Organisation>> {
      const p = new Params();
      const conditions: string[] = [];
      if (filter.kind !== undefined) conditions.push(`kind = ${p.add(filter.kind)}`);
      if (filter.prefecture !== undefined) conditions.push(`prefecture = ${p.add(filter.prefecture)}`);
      if (filter.parentCode !== undefined) conditions.push(`parent_code = ${p.add(filter.parentCode)}`);
      if (filter.q !== undefined && filter.q !== '') {
        const pattern = p.add(likePattern(filter.q));
        conditions.push(`(name_ja ILIKE ${pattern} OR name_en ILIKE ${pattern} OR code LIKE ${pattern})`);
      }
      const after = decodeCursor(page.cursor);
      if (after !== undefined) conditions.push(`code > ${p.add(after)}`);
      const rows = await many(db, OrganisationRow, `SELECT * FROM organisations ${whereClause(conditions)} ORDER BY code LIMIT ${p.add(page.limit + 1)}`, p.values);
      return toPage(rows, page.limit, (o) => o.code);
    },

    async saveOrganisations(changes) {
      return db.transaction(async (tx) => {
        const clashes: string[] = [];
        for (const batch of batches(changes.insert, BATCH_SIZE)) {
          const inserted = await tx.query(
            `INSERT INTO organisations (id, kind, code, name_ja, name_en, parent_code, prefecture, contacts, billing_email, created_at, updated_at)
             SELECT id, kind, code, name_ja, name_en, parent_code, prefecture, contacts, billing_email, created_at, updated_at FROM ${ORGANISATION_RECORD}
             ON CONFLICT (code) DO NOTHING RETURNING code`,
            [JSON.stringify(batch.map(organisationRecord))],
          );
          const done = new Set(inserted.map((row) => String(row.code)));
          for (const o of batch) if (!done.has(o.code)) clashes.push(o.code);
        }
        // Throwing rolls the whole import back: a file is applied completely or not at all.
        if (clashes.length > 0) {
          throw conflictOn(`${clashes.length} organisation code(s) were registered meanwhile`, clashes.map((code) => ({ path: ['code', code], message: 'already registered' })));
        }
        let updated = 0;
        for (const batch of batches(changes.update, BATCH_SIZE)) {
          const rows = await tx.query(
            `UPDATE organisations o SET kind = r.kind, name_ja = r.name_ja, name_en = r.name_en, parent_code = r.parent_code,
               prefecture = r.prefecture, contacts = r.contacts, billing_email = r.billing_email, updated_at = r.updated_at
             FROM ${ORGANISATION_RECORD} WHERE o.code = r.code RETURNING o.code`,
            [JSON.stringify(batch.map(organisationRecord))],
          );
          updated += rows.length;
        }
        return { inserted: changes.insert.length, updated };
      });
    },

    async getSystem(id) {
      const system = await one(db, SystemRow, 'SELECT * FROM systems WHERE id = $1', [id]);
      if (system === undefined) return undefined;
      const organisation = await one(db, OrganisationRow, 'SELECT * FROM organisations WHERE id = $1', [system.organisationId]);
      return organisation === undefined ? undefined : { system, organisation };
    },
    getSystemBySlug: (organisationId, slug) => one(db, SystemRow, 'SELECT * FROM systems WHERE organisation_id = $1 AND slug = $2', [organisationId, slug]),
    async listSystems(organisationId, page) {
      const p = new Params();
      const conditions = [`organisation_id = ${p.add(organisationId)}`];
      const after = decodeCursor(page.cursor);
      if (after !== undefined) conditions.push(`slug > ${p.add(after)}`);
      const rows = await many(db, SystemRow, `SELECT * FROM systems ${whereClause(conditions)} ORDER BY slug LIMIT ${p.add(page.limit + 1)}`, p.values);
      return toPage(rows, page.limit, (s) => s.slug);
    },
    async insertSystem(system) {
      const row = await one(
        db,
        SystemRow,
        `INSERT INTO systems (id, organisation_id, slug, name_ja, name_en, provider, attributes, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9) ON CONFLICT (organisation_id, slug) DO NOTHING RETURNING *`,
        [system.id, system.organisationId, system.slug, system.nameJa, system.nameEn, system.provider, JSON.stringify(system.attributes), system.createdAt, system.updatedAt],
      );
      if (row === undefined) throw conflictOn(`the tenant already has a system "${system.slug}"`, [{ path: ['slug'], message: 'already used by another system of this tenant' }]);
      return row;
    },

    listPlacementRules: () => many(db, RuleRow, 'SELECT * FROM placement_rules ORDER BY priority', []),
    async replacePlacementRules(rules) {
      await db.transaction(async (tx) => {
        await tx.query('DELETE FROM placement_rules', []);
        if (rules.length === 0) return;
        await tx.query(
          `INSERT INTO placement_rules (id, priority, description, match, ou_path)
           SELECT id, priority, description, match, ou_path FROM jsonb_to_recordset($1::jsonb) AS r(id text, priority integer, description text, match jsonb, ou_path text)`,
          [JSON.stringify(rules.map((r) => ({ id: r.id, priority: r.priority, description: r.description, match: r.match, ou_path: r.ouPath })))],
        );
      });
    },

    async reserveAccount(reservation: ReserveAccountInput) {
      // E-mail addresses compare case-insensitively (the provider treats them so); stored lower-case.
      const input = { ...reservation, email: reservation.email.trim().toLowerCase() };
      const created = await one(
        db,
        AccountRow,
        `INSERT INTO accounts (id, system_id, organisation_id, provider, environment, name, email, status, request_id, created_at, updated_at)
         SELECT $1, s.id, s.organisation_id, s.provider, $3, $4, $5, $6, $7, coalesce($8::timestamptz, now()), coalesce($8::timestamptz, now())
         FROM systems s WHERE s.id = $2
         ON CONFLICT DO NOTHING RETURNING *`,
        [input.id, input.systemId, input.environment, input.name, input.email, input.status, input.requestId ?? null, input.createdAt ?? null],
      );
      if (created !== undefined) return created;
      // Nothing inserted: find out why, and say which field is taken.
      const system = await db.query('SELECT 1 FROM systems WHERE id = $1', [input.systemId]);
      if (system.length === 0) throw notFound('system', input.systemId);
      const holders = await many(db, AccountRow, 'SELECT * FROM accounts WHERE id = $1 OR name = $2 OR email = $3', [input.id, input.name, input.email]);
      const same = holders.find((a) => a.id === input.id);
      // The same reservation made again (a retried step) gets its account back rather than a conflict.
      if (same !== undefined && same.name === input.name && same.email === input.email && same.systemId === input.systemId) return same;
      const issues: Issue[] = [];
      if (holders.some((a) => a.name === input.name)) issues.push({ path: ['name'], message: `the account name "${input.name}" is taken` });
      if (holders.some((a) => a.email === input.email)) issues.push({ path: ['email'], message: `the e-mail address ${input.email} is taken` });
      if (issues.length === 0) issues.push({ path: ['id'], message: `account id ${input.id} is taken` });
      throw conflictOn(issues.map((i) => i.message).join('; '), issues);
    },
    async getAccount(id) {
      return one(db, AccountWithOwnersRow, `${ACCOUNT_WITH_OWNERS} WHERE a.id = $1`, [id]);
    },
    getAccountByEmail: (email) => one(db, AccountRow, 'SELECT * FROM accounts WHERE email = $1', [email.trim().toLowerCase()]),
    async updateAccount(id, patch: AccountPatch) {
      const p = new Params();
      const sets: string[] = [];
      if (patch.providerAccountId !== undefined) sets.push(`provider_account_id = ${p.add(patch.providerAccountId)}`);
      if (patch.ouPath !== undefined) sets.push(`ou_path = ${p.add(patch.ouPath)}`);
      if (patch.status !== undefined) sets.push(`status = ${p.add(patch.status)}`);
      if (patch.readyAt !== undefined) sets.push(`ready_at = ${p.add(patch.readyAt)}`);
      if (patch.requestId !== undefined) sets.push(`request_id = ${p.add(patch.requestId)}`);
      sets.push(`updated_at = coalesce(${p.add(patch.updatedAt ?? null)}::timestamptz, now())`);
      const row = await one(db, AccountRow, `UPDATE accounts SET ${sets.join(', ')} WHERE id = ${p.add(id)} RETURNING *`, p.values);
      if (row === undefined) throw notFound('account', id);
      return row;
    },
    async releaseAccount(id) {
      const rows = await db.query(
        `DELETE FROM accounts WHERE id = $1 AND provider_account_id IS NULL AND status IN ('provisioning', 'failed') RETURNING id`,
        [id],
      );
      return rows.length > 0;
    },
    async listAccounts(filter: AccountFilter, page: PageRequest) {
      const p = new Params();
      const conditions: string[] = [];
      if (filter.organisationId !== undefined) conditions.push(`a.organisation_id = ${p.add(filter.organisationId)}`);
      if (filter.systemId !== undefined) conditions.push(`a.system_id = ${p.add(filter.systemId)}`);
      if (filter.status !== undefined) conditions.push(`a.status = ${p.add(filter.status)}`);
      if (filter.environment !== undefined) conditions.push(`a.environment = ${p.add(filter.environment)}`);
      const after = decodeCursor(page.cursor);
      if (after !== undefined) conditions.push(`a.id < ${p.add(after)}`);
      const rows = await many(db, AccountWithOwnersRow, `${ACCOUNT_WITH_OWNERS} ${whereClause(conditions)} ORDER BY a.id DESC LIMIT ${p.add(page.limit + 1)}`, p.values);
      return toPage(rows, page.limit, (r) => r.account.id);
    },
    async listPlacementSubjects(): Promise<PlacementSubject[]> {
      const rows = await many(db, AccountWithOwnersRow, `${ACCOUNT_WITH_OWNERS} WHERE a.status IN ('ready', 'suspended') ORDER BY a.id`, []);
      return rows.map(({ account, tenant, system }) => ({ account, tenant, system }));
    },
  };
}
