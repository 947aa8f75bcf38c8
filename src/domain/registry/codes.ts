/**
 * Official codes of Japanese public bodies and their check digits.
 *
 * - 全国地方公共団体コード (local government code): 6 digits, the first two are the prefecture
 *   (01–47), the next three the municipality (000 for the prefecture itself), the last a check digit:
 *   modulus 11 over the first five digits with weights 6,5,4,3,2; check = 11 − (sum mod 11), keeping
 *   only the last digit (so 10 → 0 and 11 → 1).
 * - 法人番号 (corporate number): 13 digits, the FIRST is the check digit over the 12-digit base:
 *   9 − (Σ Pn × Qn mod 9), Pn the n-th base digit counted from the right, Qn = 1 for odd n, 2 for even n
 *   (財務省令第七十号 第二条; verified against the National Tax Agency's own 7000012050002).
 */

/** Dashes people type between digit groups: ASCII and full-width hyphens, en/em dashes, minus, ー. */
const SEPARATORS = /[\s\-\u2010-\u2015\u2212\u30fc\uff0d\uff70]/g;

/**
 * Full-width digits become ASCII (NFKC) and separators and spaces disappear: spreadsheets in Japan
 * are typed in full-width more often than not, and the code is the same code.
 */
export function normaliseCode(raw: string): string {
  return raw.normalize('NFKC').replace(SEPARATORS, '');
}

const LG_WEIGHTS = [6, 5, 4, 3, 2] as const;

/** The check digit for the first five digits of a local government code. */
export function localGovernmentCheckDigit(firstFive: string): number {
  if (!/^\d{5}$/.test(firstFive)) throw new RangeError(`expected 5 digits, got "${firstFive}"`);
  let sum = 0;
  for (let i = 0; i < 5; i += 1) sum += Number(firstFive[i]) * (LG_WEIGHTS[i] ?? 0);
  return (11 - (sum % 11)) % 10;
}

/** The check digit (the leading digit) for the 12-digit base of a corporate number. */
export function corporateNumberCheckDigit(base: string): number {
  if (!/^\d{12}$/.test(base)) throw new RangeError(`expected 12 digits, got "${base}"`);
  let sum = 0;
  for (let n = 1; n <= 12; n += 1) sum += Number(base[12 - n]) * (n % 2 === 1 ? 1 : 2);
  return 9 - (sum % 9);
}

/** A full local government code (with its check digit) for five digits. */
export const withLocalGovernmentCheckDigit = (firstFive: string): string => `${firstFive}${localGovernmentCheckDigit(firstFive)}`;

/** A full corporate number (check digit first) for a 12-digit base. */
export const withCorporateNumberCheckDigit = (base: string): string => `${corporateNumberCheckDigit(base)}${base}`;

/** Returns why a (normalised) local government code is not valid, or undefined when it is. */
export function localGovernmentCodeProblem(code: string): string | undefined {
  if (!/^\d{6}$/.test(code)) return 'must be a 6-digit local government code (全国地方公共団体コード) including its check digit';
  const prefecture = Number(code.slice(0, 2));
  if (prefecture < 1 || prefecture > 47) return `the first two digits must be a prefecture (01–47), not ${code.slice(0, 2)}`;
  const expected = localGovernmentCheckDigit(code.slice(0, 5));
  if (Number(code[5]) !== expected) return `check digit should be ${expected} (${code.slice(0, 5)}${expected}), not ${code[5]}`;
  return undefined;
}

/** Returns why a (normalised) corporate number is not valid, or undefined when it is. */
export function corporateNumberProblem(code: string): string | undefined {
  if (!/^\d{13}$/.test(code)) return 'must be a 13-digit corporate number (法人番号) including its check digit';
  const expected = corporateNumberCheckDigit(code.slice(1));
  if (Number(code[0]) !== expected) return `check digit (first digit) should be ${expected} (${expected}${code.slice(1)}), not ${code[0]}`;
  return undefined;
}

/** The prefecture part ('13') of a local government code. */
export const prefectureOfCode = (code: string): string => code.slice(0, 2);

/** The local government code of the prefecture a municipality code belongs to (131016 → 130001). */
export const prefectureCodeFor = (code: string): string => withLocalGovernmentCheckDigit(`${code.slice(0, 2)}000`);

/** True for a prefecture's own code (municipality digits 000). */
export const isPrefectureCode = (code: string): boolean => code.slice(2, 5) === '000';
