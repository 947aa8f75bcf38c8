import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ja, type Messages } from './ja';
import { en } from './en';
import { storeLanguage, storedLanguage, type Language } from './language';

const MESSAGES: Record<Language, Messages> = { ja, en };

type I18n = {
  language: Language;
  t: Messages;
  setLanguage: (language: Language) => void;
  /** Picks the API's two-language label in the current language. */
  label: (value: { ja: string; en: string }) => string;
};

const I18nContext = createContext<I18n | undefined>(undefined);

const storage = (): Storage | undefined => (typeof window === 'undefined' ? undefined : window.localStorage);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setState] = useState<Language>(() => storedLanguage(storage()));
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    storeLanguage(storage(), next);
    setState(next);
  }, []);
  const value = useMemo<I18n>(() => ({ language, t: MESSAGES[language], setLanguage, label: (l) => l[language] }), [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (value === undefined) throw new Error('useI18n outside I18nProvider');
  return value;
}
