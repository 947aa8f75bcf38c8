import { parse } from 'csv-parse/sync';
import type { Issue } from '../domain/errors.js';

/**
 * Reads a CSV with a header row into records keyed by header name. Row numbers are those a person
 * sees in a spreadsheet: the header is row 1, so the first record is row 2. A malformed file is
 * reported as an issue, not thrown.
 */
export function readCsv(text: string): { records: { row: number; values: Record<string, string> }[]; issues: Issue[] } {
  let rows: string[][];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), { skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (error) {
    const line = error instanceof Error && 'lines' in error && typeof error.lines === 'number' ? error.lines : 0;
    return { records: [], issues: [{ path: ['row', line], message: error instanceof Error ? error.message : String(error) }] };
  }
  const [header, ...body] = rows;
  if (header === undefined) return { records: [], issues: [{ path: ['row', 1], message: 'the file is empty: a header row is required' }] };
  const names = header.map((h) => h.trim().toLowerCase());
  const issues: Issue[] = [];
  const records = body.map((cells, i) => {
    const row = i + 2;
    if (cells.length > names.length) issues.push({ path: ['row', row], message: `has ${cells.length} cells but the header has ${names.length}` });
    const values: Record<string, string> = {};
    names.forEach((name, c) => {
      const cell = cells[c];
      if (cell !== undefined && cell !== '') values[name] = cell;
    });
    return { row, values };
  });
  return { records, issues };
}
