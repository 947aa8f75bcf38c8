import { z } from 'zod';
import { CENTRAL_ROLES, TENANT_ROLES, type TenantRole } from '../access/roles.js';
import type { Label } from '../registry/labels.js';

/**
 * What a person is given on a tenant's accounts, and the inputs that add people or change their role.
 * Messages are in Japanese and English, since the API, the CLI and the portal show them as they are.
 */

/**
 * The instance's only two permission sets: Admin (the tenant admin: creates the tenant's own roles) and
 * Non-admin (switch-role only, into roles the tenant admin made). Never one per person: IAM Identity
 * Center allows 2,000 permission sets per instance, far fewer than the people of a federation.
 */
export const PermissionSetKey = z.enum(['admin', 'non_admin']);
export type PermissionSetKey = z.infer<typeof PermissionSetKey>;

export const permissionSetFor = (role: TenantRole): PermissionSetKey => (role === 'tenant_admin' ? 'admin' : 'non_admin');

export const PERMISSION_SET_LABELS: Record<PermissionSetKey, Label> = {
  admin: { ja: '管理者(Admin)', en: 'Admin' },
  non_admin: { ja: '利用者(Non-admin、スイッチロールのみ)', en: 'Non-admin (switch-role only)' },
};

/** One assignment's progress: pending until the provider confirms it, removing until it is gone. */
export const AccessStatus = z.enum(['pending', 'ready', 'failed', 'removing', 'removed']);
export type AccessStatus = z.infer<typeof AccessStatus>;

export const ACCESS_STATUS_LABELS: Record<AccessStatus, Label> = {
  pending: { ja: '付与中', en: 'Being granted' },
  ready: { ja: 'サインイン可能', en: 'Can sign in' },
  failed: { ja: '失敗', en: 'Failed' },
  removing: { ja: '削除中', en: 'Being removed' },
  removed: { ja: '削除済み', en: 'Removed' },
};

const bilingual = (ja: string, en: string): string => `${ja} / ${en}`;

export const PersonEmail = z
  .string({ error: bilingual('メールアドレスを指定してください', 'give an e-mail address') })
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: bilingual('メールアドレスの形式ではありません', 'must be an e-mail address') }).max(254, bilingual('254 文字以内にしてください', 'at most 254 characters')));

// The identity store's DisplayName: letters, marks, symbols, numbers, punctuation and spaces.
const DISPLAY_NAME = /^[\p{L}\p{M}\p{S}\p{N}\p{P} \u3000]*$/u;

export const PersonName = z
  .string({ error: bilingual('氏名を指定してください', 'give a name') })
  .trim()
  .min(1, bilingual('氏名を入力してください', 'must not be empty'))
  .max(100, bilingual('100 文字以内にしてください', 'at most 100 characters'))
  .regex(DISPLAY_NAME, bilingual('使えない文字が含まれています', 'contains characters a name cannot have'));

const roleError = bilingual('tenant_admin か tenant_member を指定してください', 'must be tenant_admin or tenant_member');
const Role = z.enum(TENANT_ROLES, { error: roleError });

export const TenantPersonInput = z.object({ email: PersonEmail, name: PersonName, role: Role.default('tenant_member') });
export type TenantPersonInput = z.input<typeof TenantPersonInput>;

export const CentralPersonInput = z.object({
  email: PersonEmail,
  name: PersonName,
  roles: z
    .array(z.enum(CENTRAL_ROLES, { error: bilingual('operator, security_officer, auditor のいずれかです', 'must be operator, security_officer or auditor') }), {
      error: bilingual('役割の一覧を指定してください', 'give a list of roles'),
    })
    .min(1, bilingual('役割を一つ以上指定してください', 'give at least one role'))
    .refine((roles) => new Set(roles).size === roles.length, bilingual('同じ役割が重複しています', 'a role is repeated')),
});
export type CentralPersonInput = z.input<typeof CentralPersonInput>;

export const RoleChangeInput = z.object({ role: Role });
export type RoleChangeInput = z.input<typeof RoleChangeInput>;
