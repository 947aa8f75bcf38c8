import { useI18n } from '../i18n/i18n';
import { button } from './classes';

/** Back to the first page and on to the next; each button only where there is somewhere to go. */
export function Pager({ onFirst, onNext }: { onFirst: (() => void) | undefined; onNext: (() => void) | undefined }) {
  const { t } = useI18n();
  return (
    <div className="mt-4 flex flex-wrap gap-4">
      {onFirst !== undefined && (
        <button type="button" className={button.secondary} onClick={onFirst}>
          {t.firstPage}
        </button>
      )}
      {onNext !== undefined && (
        <button type="button" className={button.secondary} onClick={onNext}>
          {t.nextPage}
        </button>
      )}
    </div>
  );
}
