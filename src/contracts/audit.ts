import { z } from 'zod';
import { pageOf } from './common.js';

/** The audit trail's verification answer and export query; browser-safe. */
const Message = z.object({ ja: z.string(), en: z.string() });

export const AuditVerification = z
  .discriminatedUnion('intact', [
    z.object({ intact: z.literal(true), entries: z.number().int(), head: z.string(), message: Message }),
    z.object({
      intact: z.literal(false),
      entries: z.number().int().meta({ description: 'entries checked before the break' }),
      broken: z.object({ seq: z.number().int(), kind: z.enum(['missing', 'altered']) }),
      message: Message,
    }),
  ])
  .meta({ id: 'AuditVerification' });
export type AuditVerification = z.infer<typeof AuditVerification>;

export const AuditExportFormat = z.enum(['jsonl', 'csv']);
export type AuditExportFormat = z.infer<typeof AuditExportFormat>;

export const AuditExportQuery = z.object({
  format: AuditExportFormat.default('jsonl'),
  tenant: z.string().min(1).max(64).optional(),
  from: z.iso.datetime({ offset: true }).optional().meta({ description: 'ISO 8601, inclusive' }),
  to: z.iso.datetime({ offset: true }).optional().meta({ description: 'ISO 8601, exclusive' }),
});

/** One page of entries for the portal's audit log (`GET /api/audit/entries`), oldest first, as the chain runs. */
export const AuditEntriesQuery = z.object({
  tenant: z.string().min(1).max(64).optional().meta({ description: 'tenant id or code, as recorded' }),
  from: z.iso.datetime({ offset: true }).optional().meta({ description: 'ISO 8601, inclusive' }),
  to: z.iso.datetime({ offset: true }).optional().meta({ description: 'ISO 8601, exclusive' }),
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const AuditEntryView = z
  .object({
    seq: z.number().int(),
    at: z.iso.datetime(),
    actor: z.string(),
    action: z.string(),
    target: z.record(z.string(), z.string()),
    tenant: z.string().nullable(),
    source: z.object({ ip: z.string().nullable(), forwardedFor: z.string().nullable(), userAgent: z.string().nullable() }),
    result: z.object({ status: z.number().int(), outcome: z.enum(['succeeded', 'refused', 'failed']) }),
    dryRun: z.boolean(),
    details: z.record(z.string(), z.unknown()),
    prevHash: z.string(),
    hash: z.string(),
  })
  .meta({ id: 'AuditEntry' });
export type AuditEntryView = z.infer<typeof AuditEntryView>;

export const AuditEntryPage = pageOf(AuditEntryView).meta({ id: 'AuditEntryPage' });
export type AuditEntryPage = z.infer<typeof AuditEntryPage>;
