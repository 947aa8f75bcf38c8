import type { Label } from '../domain/registry/labels.js';

/**
 * How strongly a person must have signed in at the provider: any one of the accepted `acr` values
 * (an assurance level, e.g. an eID card), or any one of the accepted `amr` values (a method, e.g.
 * `mfa`). Meeting one is enough. With both lists empty nothing is required.
 */
export type AssuranceRequirement = { acr: readonly string[]; amr: readonly string[] };

/** What the ID token showed. */
export type ShownAssurance = { acr: string | undefined; amr: readonly string[] };

export type AssuranceCheck = { met: true } | { met: false; reason: Label };

const list = (values: readonly string[]): string => values.join(', ');

/** The requirement in words, in both languages. */
export function describeRequirement(req: AssuranceRequirement): Label {
  const ja: string[] = [];
  const en: string[] = [];
  if (req.acr.length > 0) {
    ja.push(`認証レベル (acr) が ${list(req.acr)} のいずれか`);
    en.push(`an assurance level (acr) of ${list(req.acr)}`);
  }
  if (req.amr.length > 0) {
    ja.push(`認証方式 (amr) に ${list(req.amr)} のいずれかを含むこと`);
    en.push(`an authentication method (amr) of ${list(req.amr)}`);
  }
  return { ja: ja.join('、または'), en: en.join(', or ') };
}

export function checkAssurance(req: AssuranceRequirement, shown: ShownAssurance): AssuranceCheck {
  if (req.acr.length === 0 && req.amr.length === 0) return { met: true };
  if (shown.acr !== undefined && req.acr.includes(shown.acr)) return { met: true };
  if (shown.amr.some((m) => req.amr.includes(m))) return { met: true };
  const required = describeRequirement(req);
  const acr = shown.acr ?? '—';
  const amr = shown.amr.length === 0 ? '—' : list(shown.amr);
  return {
    met: false,
    reason: {
      ja: `このサインインは必要な認証の強さを満たしていません。必要なもの: ${required.ja}。今回のサインイン: acr ${acr}、amr ${amr}。`,
      en: `This sign-in is not strong enough. Required: ${required.en}. This sign-in showed: acr ${acr}, amr ${amr}.`,
    },
  };
}
