/**
 * Identifiers as OSCAL writes them. OSCAL ids are tokens (an XML NCName: a letter or `_` first, then
 * letters, digits, `.`, `-`, `_`), and NIST's own 800-53 catalog spells controls in lower case with
 * enhancements after a dot (`ac-2.1` for AC-2(1)); component definitions must use that spelling for
 * their control-id to resolve against NIST's catalog.
 */

import { normalise80053 } from '../catalog/ids.js';

const TOKEN = /^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$/u;

export const isOscalToken = (text: string): boolean => TOKEN.test(text);

/** HTB-S3-001 -> htb-s3-001. */
export const controlToken = (controlId: string): string => toToken(controlId);

/** AC-2(1) -> ac-2.1, AC-02(01) -> ac-2.1; other frameworks: lower case, `(x)` -> `.x`. */
export function requirementToken(frameworkId: string, requirementId: string): string {
  // 800-53 ids are read by the catalog's own normaliser (AC-02(01) -> AC-2(1)), then spelt as NIST's OSCAL does.
  const canonical = frameworkId.startsWith('nist-sp-800-53') ? normalise80053(requirementId) : undefined;
  const id = canonical ?? requirementId.normalize('NFKC').trim();
  return toToken(id.replace(/\s*\(([^()]*)\)/g, '.$1'));
}

function toToken(text: string): string {
  const token = text.normalize('NFKC').trim().toLowerCase().replace(/[^\p{L}\p{N}._-]+/gu, '-');
  return /^(\p{L}|_)/u.test(token) ? token : `_${token}`;
}

/** Orders ids as people read them: AC-2 < AC-2(1) < AC-10, HTB-S3-002 < HTB-S3-010. */
export function compareNatural(a: string, b: string): number {
  const left = chunks(a);
  const right = chunks(b);
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i] ?? '';
    const y = right[i] ?? '';
    if (x === y) continue;
    const numeric = /^\d/.test(x) && /^\d/.test(y);
    if (numeric && Number(x) !== Number(y)) return Number(x) - Number(y);
    return x < y ? -1 : 1;
  }
  return left.length - right.length || (a < b ? -1 : a > b ? 1 : 0);
}

const chunks = (text: string): string[] => text.toLowerCase().match(/\d+|\D+/g) ?? [];
