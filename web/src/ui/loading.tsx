import { useI18n } from '../i18n/i18n';

export function Loading() {
  const { t } = useI18n();
  return (
    <p role="status" className="my-4 text-std-16N-170 text-solid-gray-600">
      {t.loading}
    </p>
  );
}
