/** Which language the portal speaks: Japanese by default, the choice kept in localStorage. */
export const LANGUAGES = ['ja', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const LANGUAGE_KEY = 'hatoba.language';

export const isLanguage = (value: unknown): value is Language => value === 'ja' || value === 'en';

/** The language stored before, or Japanese; a storage that refuses (privacy mode) means Japanese. */
export function storedLanguage(storage: Pick<Storage, 'getItem'> | undefined): Language {
  try {
    const value = storage?.getItem(LANGUAGE_KEY);
    return isLanguage(value) ? value : 'ja';
  } catch {
    return 'ja';
  }
}

export function storeLanguage(storage: Pick<Storage, 'setItem'> | undefined, language: Language): void {
  try {
    storage?.setItem(LANGUAGE_KEY, language);
  } catch {
    // Not remembered this time; the page still switches.
  }
}

/** The name of each language in itself, for the switch. */
export const LANGUAGE_NAMES: Record<Language, string> = { ja: '日本語', en: 'English' };

/** A message by a key the server chose (a step name, an outcome); the key itself when there is none. */
export const lookup = (dict: Readonly<Record<string, string>>, key: string): string => dict[key] ?? key;
