import { z } from 'zod';

export const ENVIRONMENTS = ['prod', 'staging', 'dev', 'sandbox'] as const;

/** AWS account names are 1-50 characters; we keep them to a portable, readable subset. */
export const AccountName = z
  .string()
  .trim()
  .regex(/^[a-z0-9][a-z0-9-]{0,48}[a-z0-9]$/, 'use 2-50 lower-case letters, digits and hyphens');

/** Organizations limits the account e-mail to 64 characters. */
export const AccountEmail = z.string().trim().toLowerCase().max(64, 'at most 64 characters').pipe(z.email('not an e-mail address'));

/** One requested account, as a person or a CSV row gives it. A system is named by id, or by tenant code + system name. */
export const AccountRequestInput = z
  .object({
    systemId: z.string().trim().min(1).optional(),
    tenantCode: z.string().trim().min(1).optional(),
    systemName: z.string().trim().min(1).optional(),
    environment: z.enum(ENVIRONMENTS),
    accountName: AccountName.optional(),
    email: AccountEmail.optional(),
  })
  .refine((r) => r.systemId !== undefined || (r.tenantCode !== undefined && r.systemName !== undefined), {
    message: 'name the system by systemId, or by tenantCode and systemName',
    path: ['systemId'],
  });
export type AccountRequestInput = z.infer<typeof AccountRequestInput>;
