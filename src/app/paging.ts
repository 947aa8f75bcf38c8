/**
 * Keyset pagination cursors. A cursor is the sort key of the last item seen, base64url-encoded,
 * so pages stay stable while rows are inserted and the store never counts or offsets.
 */
export type Cursor = { after: string };

export const encodeCursor = (after: string): string => Buffer.from(after, 'utf8').toString('base64url');

export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  return Buffer.from(cursor, 'base64url').toString('utf8');
}

export type Page<T> = { items: T[]; nextCursor?: string };

/** Given limit+1 rows fetched in key order, returns one page and the cursor of the next. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => string): Page<T> {
  if (rows.length <= limit) return { items: rows };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return last === undefined ? { items } : { items, nextCursor: encodeCursor(keyOf(last)) };
}
