import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database } from './database.js';
import type { NotificationStore, RecordedNotification } from '../app/ports/notifications.js';

const NotificationRow = z
  .object({
    id: z.string(),
    dedupe_key: z.string(),
    organisation_id: z.string().nullable(),
    recipient: z.string(),
    subject_ja: z.string(),
    subject_en: z.string(),
    body: z.record(z.string(), z.unknown()),
    created_at: z.date(),
  })
  .transform(
    (r): RecordedNotification => ({
      id: r.id,
      dedupeKey: r.dedupe_key,
      organisationId: r.organisation_id,
      recipient: r.recipient,
      subject: { ja: r.subject_ja, en: r.subject_en },
      body: r.body,
      createdAt: r.created_at,
    }),
  );

export function createNotificationStore(db: Database): NotificationStore {
  return {
    async record(n) {
      await db.query(
        `INSERT INTO notifications (id, dedupe_key, organisation_id, recipient, subject_ja, subject_en, body)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING`,
        [randomUUID(), n.dedupeKey, n.organisationId, n.recipient, n.subject.ja, n.subject.en, JSON.stringify(n.body)],
      );
    },
    async list(filter) {
      const rows = await db.query(
        `SELECT * FROM notifications WHERE ($1::text IS NULL OR organisation_id = $1) AND ($2::text IS NULL OR recipient = $2)
         ORDER BY created_at DESC LIMIT $3`,
        [filter.organisationId ?? null, filter.recipient ?? null, filter.limit],
      );
      return rows.map((r) => NotificationRow.parse(r));
    },
  };
}
