import { useI18n } from '../i18n/i18n';
import { formatTime } from './format';

export function Time({ iso }: { iso: string | null }) {
  const { language, t } = useI18n();
  if (iso === null) return <>{t.none}</>;
  return <time dateTime={iso}>{formatTime(iso, language)}</time>;
}
