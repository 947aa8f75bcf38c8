/** Messages recorded for people. Real channels (e-mail, chat, webhooks) deliver from here later. */
export type Notification = {
  /** Recording the same key twice records one message (steps are retried). */
  dedupeKey: string;
  organisationId: string | null;
  recipient: string;
  subject: { ja: string; en: string };
  body: Record<string, unknown>;
};

export type RecordedNotification = Notification & { id: string; createdAt: Date };

export interface NotificationStore {
  record(notification: Notification): Promise<void>;
  list(filter: { organisationId?: string; recipient?: string; limit: number }): Promise<RecordedNotification[]>;
}
