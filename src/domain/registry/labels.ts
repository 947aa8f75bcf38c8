/** A label shown to a person, in both languages the product speaks. */
export type Label = { ja: string; en: string };
