import type { Notification } from '../ports/notifications.js';
import type { Organisation } from '../../domain/registry/organisation.js';
import type { Grant } from './model.js';

/** The notifications break-glass records in the outbox, in Japanese and English. */

/** Whom a tenant is told through: its security contacts, else its primary ones, else any; the portal list always shows it too. */
export function tenantRecipients(tenant: Pick<Organisation, 'code' | 'contacts'>): string[] {
  const by = (role: string) => tenant.contacts.filter((c) => c.role === role).map((c) => c.email);
  const chosen = by('security').length > 0 ? by('security') : by('primary').length > 0 ? by('primary') : tenant.contacts.map((c) => c.email);
  return chosen.length > 0 ? [...new Set(chosen)] : [`tenant:${tenant.code}`];
}

const hours = (minutes: number): string => (minutes % 60 === 0 ? `${minutes / 60}h` : `${minutes}min`);

export function requestedNotice(g: Grant, tenant: Pick<Organisation, 'id' | 'code' | 'contacts'>, accountName: string): Notification[] {
  return tenantRecipients(tenant).map((recipient) => ({
    dedupeKey: `break-glass-requested:${g.id}:${recipient}`,
    organisationId: tenant.id,
    recipient,
    subject: {
      ja: `緊急アクセスの申請: ${g.requestedBy.name} がアカウント ${accountName} へのアクセス (${hours(g.durationMinutes)}) を求めています`,
      en: `Break-glass request: ${g.requestedBy.name} asks for access to account ${accountName} (${hours(g.durationMinutes)})`,
    },
    body: { grantId: g.id, accountId: g.accountId, providerAccountId: g.providerAccountId, requester: g.requestedBy.email, reason: g.reason, durationMinutes: g.durationMinutes },
  }));
}

const DECISION_WORDS = {
  approved: { ja: '承認されました', en: 'was approved' },
  denied: { ja: '却下されました', en: 'was denied' },
  revoked: { ja: '取り消されました', en: 'was revoked' },
} as const;

export function decisionNotice(g: Grant, decision: keyof typeof DECISION_WORDS): Notification {
  const words = DECISION_WORDS[decision];
  return {
    dedupeKey: `break-glass-${decision}:${g.id}`,
    organisationId: g.tenantId,
    recipient: g.requestedBy.email,
    subject: { ja: `緊急アクセス ${g.id} は${words.ja}`, en: `Break-glass grant ${g.id} ${words.en}` },
    body: {
      grantId: g.id,
      accountId: g.accountId,
      providerAccountId: g.providerAccountId,
      status: g.status,
      note: decision === 'revoked' ? g.endNote : g.decisionNote,
      ...(g.expiresAt === null ? {} : { expiresAt: g.expiresAt.toISOString() }),
    },
  };
}

export type UncoveredGroup = { tenantId: string; tenantCode: string; accountName: string; providerAccountId: string; principalArn: string; hour: string; eventIds: string[]; firstEvent: { name: string; time: Date } };

/**
 * One message per recipient, account, principal and hour (the alert list has every call): a session
 * making a hundred calls is one message, not a hundred.
 */
export function uncoveredNotice(group: UncoveredGroup, recipient: string): Notification {
  return {
    dedupeKey: `break-glass-uncovered:${recipient}:${group.providerAccountId}:${group.principalArn}:${group.hour}`,
    organisationId: group.tenantId,
    recipient,
    subject: {
      ja: `警告: 承認された緊急アクセスのない中央側の操作がアカウント ${group.accountName} (${group.providerAccountId}) で記録されました`,
      en: `Alert: central-side activity without an approved break-glass grant in account ${group.accountName} (${group.providerAccountId})`,
    },
    body: {
      providerAccountId: group.providerAccountId,
      principal: group.principalArn,
      firstEvent: { name: group.firstEvent.name, time: group.firstEvent.time.toISOString() },
      eventIds: group.eventIds,
    },
  };
}
