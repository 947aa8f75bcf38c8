import type { Language } from '../i18n/language';

/** A time as people of the language read it, in their time zone; the ISO form stays in `dateTime`. */
export function formatTime(iso: string, language: Language): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(language === 'ja' ? 'ja-JP' : 'en-GB', { dateStyle: 'medium', timeStyle: 'medium' }).format(date);
}
