import { z } from 'zod';
import type { Label } from './labels.js';
import { CloudProvider } from './system.js';
import { EmailAddress } from './organisation.js';

export const ENVIRONMENTS = ['prod', 'staging', 'dev', 'sandbox'] as const;
export const Environment = z.enum(ENVIRONMENTS);
export type Environment = z.infer<typeof Environment>;
export const ENVIRONMENT_LABELS: Record<Environment, Label> = {
  prod: { ja: '本番', en: 'Production' },
  staging: { ja: 'ステージング', en: 'Staging' },
  dev: { ja: '開発', en: 'Development' },
  sandbox: { ja: 'サンドボックス', en: 'Sandbox' },
};

/**
 * provisioning: reserved, the workflow is building it; ready: handed over; failed: the workflow
 * stopped for an operator; suspended: kept but frozen (placed in the Suspended OU); closed: gone.
 */
export const ACCOUNT_STATUSES = ['provisioning', 'ready', 'failed', 'suspended', 'closed'] as const;
export const AccountStatus = z.enum(ACCOUNT_STATUSES);
export type AccountStatus = z.infer<typeof AccountStatus>;
export const ACCOUNT_STATUS_LABELS: Record<AccountStatus, Label> = {
  provisioning: { ja: '作成中', en: 'Provisioning' },
  ready: { ja: '利用可能', en: 'Ready' },
  failed: { ja: '失敗', en: 'Failed' },
  suspended: { ja: '停止中', en: 'Suspended' },
  closed: { ja: '閉鎖済み', en: 'Closed' },
};

/** Account names as the providers accept them: printable ASCII (AWS: at most 50 characters). */
export const AccountName = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(50, 'at most 50 characters')
  .regex(/^[\u0020-\u007e]+$/, 'printable ASCII only (the provider rejects anything else)');

/** AWS accepts 6–64 characters for an account's e-mail address. */
export const AccountEmail = EmailAddress.pipe(z.string().min(6).max(64, 'at most 64 characters (the provider limit)'));

export const Account = z.object({
  id: z.string(),
  systemId: z.string(),
  organisationId: z.string(),
  provider: CloudProvider,
  environment: Environment,
  name: z.string(),
  email: z.string(),
  status: AccountStatus,
  /** The provider's account id (12 digits on AWS), known once creation succeeded. */
  providerAccountId: z.string().nullable(),
  /** Where the account sits in the provider's organisation, e.g. /Workloads/Prod/LocalGov. */
  ouPath: z.string().nullable(),
  /** The Hatoba account request that reserved this account (its provisioning run has the same id). */
  requestId: z.string().nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  readyAt: z.date().nullable(),
});
export type Account = z.infer<typeof Account>;
