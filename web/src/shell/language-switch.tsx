import { useI18n } from '../i18n/i18n';
import { LANGUAGES, LANGUAGE_NAMES } from '../i18n/language';

/** Two buttons, the current one pressed; each named in its own language, with `lang` so it is read right. */
export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <div role="group" aria-label={t.header.language} className="flex items-center gap-1">
      {LANGUAGES.map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={l === language}
          onClick={() => setLanguage(l)}
          className="min-h-11 rounded-6 border border-solid-gray-420 px-3 text-oln-16N-100 aria-pressed:border-blue-900 aria-pressed:bg-blue-900 aria-pressed:font-bold aria-pressed:text-white"
        >
          {LANGUAGE_NAMES[l]}
        </button>
      ))}
    </div>
  );
}
