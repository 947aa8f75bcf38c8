import { z } from 'zod';

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
