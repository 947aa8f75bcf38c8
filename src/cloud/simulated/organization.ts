import { z } from 'zod';
import type { Clock } from '../../app/ports/clock.js';
import type { Database, Row } from '../../store/database.js';
import type { ResolvedTwinConfig } from './config.js';
import {
  FULL_AWS_ACCESS_CONTENT,
  FULL_AWS_ACCESS_ID,
  newAccountId,
  newIdentityStoreId,
  newOrganizationId,
  newRootId,
  newSsoInstanceArn,
} from './ids.js';

/** The twin's organisation: fixed once created, so every instance may cache it. */
export type TwinOrganization = {
  id: string;
  name: string;
  managementAccountId: string;
  rootId: string;
  ssoInstanceArn: string;
  identityStoreId: string;
};

/** Everything an operation needs; `now` is read once per call from the injected clock. */
export type TwinContext = {
  db: Database;
  clock: Clock;
  config: ResolvedTwinConfig;
  org: TwinOrganization;
};

const OrganizationRow = z.object({
  id: z.string(),
  name: z.string(),
  management_account_id: z.string(),
  root_id: z.string(),
  sso_instance_arn: z.string(),
  identity_store_id: z.string(),
});

/**
 * Opens the named twin, creating it on first use: organisation, root, management account and the
 * AWS-managed FullAWSAccess policy attached to the root and the management account (as AWS does when
 * SCPs are enabled). Several processes may race here; the unique name makes exactly one of them win.
 */
export async function openOrganization(db: Database, clock: Clock, config: ResolvedTwinConfig): Promise<TwinOrganization> {
  const now = clock.now().toISOString();
  await db.transaction(async (tx) => {
    const inserted = await tx.query(
      `INSERT INTO twin_organizations (id, name, management_account_id, root_id, sso_instance_arn, identity_store_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7::timestamptz)
       ON CONFLICT (name) DO NOTHING
       RETURNING id, management_account_id, root_id`,
      [newOrganizationId(), config.twin, newAccountId(), newRootId(), newSsoInstanceArn(), newIdentityStoreId(), now],
    );
    const created = inserted[0];
    if (created === undefined) return;
    const org = OrganizationRow.pick({ id: true, management_account_id: true, root_id: true }).parse(created);
    await tx.query(
      `INSERT INTO twin_accounts (id, org_id, name, email, parent_id, joined_at) VALUES ($1, $2, 'management', $3, $4, $5::timestamptz)`,
      [org.management_account_id, org.id, config.managementAccountEmail, org.root_id, now],
    );
    await tx.query(
      `INSERT INTO twin_policies (org_id, id, name, description, type, aws_managed, content, created_at)
       VALUES ($1, $2, 'FullAWSAccess', 'Allows access to every operation', 'SERVICE_CONTROL_POLICY', true, $3, $4::timestamptz)`,
      [org.id, FULL_AWS_ACCESS_ID, FULL_AWS_ACCESS_CONTENT, now],
    );
    await tx.query(
      `INSERT INTO twin_policy_attachments (org_id, policy_id, target_id) VALUES ($1, $2, $3), ($1, $2, $4)`,
      [org.id, FULL_AWS_ACCESS_ID, org.root_id, org.management_account_id],
    );
  });
  const row = OrganizationRow.parse(first(await db.query('SELECT * FROM twin_organizations WHERE name = $1', [config.twin])));
  return {
    id: row.id,
    name: row.name,
    managementAccountId: row.management_account_id,
    rootId: row.root_id,
    ssoInstanceArn: row.sso_instance_arn,
    identityStoreId: row.identity_store_id,
  };
}

/** The single row a query is known to return (aggregates, INSERT … RETURNING). */
export function first(rows: Row[]): Row {
  const row = rows[0];
  if (row === undefined) throw new Error('expected one row, got none');
  return row;
}

/** Row fields shared by the modules. Sequences are int8: coerced so either backend's representation parses. */
export const seq = z.coerce.number();
export const json = z.record(z.string(), z.unknown());
