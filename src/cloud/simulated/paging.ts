import { z } from 'zod';
import { CloudError, type CloudErrorCode, type Page } from '../../app/ports/cloud.js';

/**
 * Keyset pagination over each table's insertion sequence. The token names the list it belongs to,
 * so a token from ListAccounts handed to ListOrganizationalUnitsForParent is refused, as AWS refuses it.
 */
const Token = z.object({ l: z.string(), s: z.number().int().nonnegative() });

export type Cursor = { list: string; invalidCode: CloudErrorCode };

export function afterSeq(cursor: Cursor, nextToken: string | undefined): number {
  if (nextToken === undefined) return 0;
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(nextToken, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const token = Token.safeParse(decoded);
  if (!token.success || token.data.l !== cursor.list) {
    throw new CloudError(cursor.invalidCode, 'The specified pagination token is not valid.', { reason: 'INVALID_PAGINATION_TOKEN' });
  }
  return token.data.s;
}

/** Takes pageSize + 1 rows fetched in sequence order and returns one page and the next token. */
export function toPage<R extends { seq: number }, T>(cursor: Cursor, rows: R[], pageSize: number, map: (row: R) => T): Page<T> {
  const pageRows = rows.slice(0, pageSize);
  const items = pageRows.map(map);
  const last = pageRows[pageRows.length - 1];
  if (rows.length <= pageSize || last === undefined) return { items };
  const nextToken = Buffer.from(JSON.stringify({ l: cursor.list, s: last.seq }), 'utf8').toString('base64url');
  return { items, nextToken };
}
