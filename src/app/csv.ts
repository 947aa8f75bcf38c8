import { parse } from 'csv-parse/sync';
import type { Issue } from '../domain/errors.js';

/**
 * Reads a CSV file whose first row names the columns (any order, case-insensitive). Row numbers are
 * those of the file as a spreadsheet shows it: the header is row 1, blank lines count, and a quoted
 * cell spanning lines is reported at the row it starts on. Problems are returned, never thrown; a
 * broken header returns no records, since rows cannot be read reliably against it.
 */
export type CsvRecord = { row: number; values: Record<string, string> };

export type CsvColumns = {
  required: readonly string[];
  optional: readonly string[];
  /** Further accepted names (e.g. numbered contact columns). */
  pattern?: RegExp;
};

/** The line a record starts on: the line it ends on minus the line breaks inside its cells. */
function startLine(endLine: number, raw: string): number {
  const body = raw.replace(/^[\r\n]+/, '').replace(/\r?\n$/, '');
  return endLine - (body.match(/\n/g)?.length ?? 0);
}

const isRawRecord = (value: unknown): value is { record: string[]; raw: string; info: { lines: number } } =>
  typeof value === 'object' && value !== null && 'record' in value && 'raw' in value && 'info' in value;

export function readCsv(text: string, columns: CsvColumns): { records: CsvRecord[]; issues: Issue[] } {
  let parsed: unknown[];
  try {
    parsed = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, raw: true, info: true });
  } catch (error) {
    const line = error instanceof Error && 'lines' in error && typeof error.lines === 'number' ? error.lines : 1;
    return { records: [], issues: [{ path: ['row', line], message: `the file is not valid CSV: ${error instanceof Error ? error.message : String(error)}` }] };
  }
  const lines = parsed.filter(isRawRecord).map((r) => ({ cells: r.record, row: startLine(r.info.lines, r.raw) }));
  const [header, ...body] = lines;
  if (header === undefined) return { records: [], issues: [{ path: ['row', 1], message: 'the file is empty: a header row is required' }] };

  const names = header.cells.map((cell) => cell.trim().toLowerCase());
  const known = new Set([...columns.required, ...columns.optional]);
  const issues: Issue[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) issues.push({ path: ['row', header.row, name], message: 'the column appears twice' });
    seen.add(name);
    if (!known.has(name) && columns.pattern?.test(name) !== true) {
      issues.push({ path: ['row', header.row, name], message: `unknown column; expected ${[...columns.required, ...columns.optional].join(', ')}` });
    }
  }
  for (const name of columns.required) if (!seen.has(name)) issues.push({ path: ['row', header.row, name], message: 'required column is missing' });
  if (issues.length > 0) return { records: [], issues };

  const records: CsvRecord[] = [];
  for (const { cells, row } of body) {
    if (cells.every((cell) => cell.trim() === '')) continue; // spreadsheets export empty rows as ",,,,"
    if (cells.length !== names.length) {
      issues.push({ path: ['row', row], message: `has ${cells.length} cells but the header has ${names.length}` });
      continue;
    }
    const values: Record<string, string> = {};
    names.forEach((name, i) => {
      const cell = (cells[i] ?? '').trim();
      if (cell !== '') values[name] = cell;
    });
    records.push({ row, values });
  }
  return { records, issues };
}
