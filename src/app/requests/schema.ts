import { z } from 'zod';
import { AccountEmail, AccountName, Environment } from '../../domain/registry/account.js';

/**
 * One requested account, as a person or a CSV row gives it. The system is named by id, or by tenant
 * code + system slug. Without a name the account is called <tenant code>-<system slug>-<environment>;
 * without an e-mail it gets <name>@<the configured account e-mail domain>.
 */
export const AccountRequestInput = z
  .object({
    systemId: z.string().trim().min(1).optional(),
    tenantCode: z.string().trim().min(1).optional(),
    systemName: z.string().trim().min(1).optional(),
    environment: Environment,
    accountName: AccountName.optional(),
    email: AccountEmail.optional(),
  })
  .refine((r) => r.systemId !== undefined || (r.tenantCode !== undefined && r.systemName !== undefined), {
    message: 'name the system by systemId, or by tenantCode and systemName',
    path: ['systemId'],
  });
export type AccountRequestInput = z.infer<typeof AccountRequestInput>;
