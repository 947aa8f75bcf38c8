/**
 * Identifiers are a type prefix, the creation time and randomness (`acc_0193a1b2c3d4e5f60718293a4b5c`).
 * The time part makes them sort in creation order, so lists page by id alone (keyset) and stay stable
 * while rows are added.
 */
export type IdPrefix = 'org' | 'sys' | 'acc' | 'plr' | 'req' | 'bat' | 'rpt' | 'per' | 'tok' | 'grt';
export type IdGenerator = (prefix: IdPrefix) => string;

export const timeOrderedId: IdGenerator = (prefix) => {
  const time = Date.now().toString(16).padStart(12, '0');
  const random = Array.from(crypto.getRandomValues(new Uint8Array(8)), (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${prefix}_${time}${random}`;
};
