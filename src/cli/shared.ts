import { readFile, writeFile } from 'node:fs/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { UsageError, describeError, exitCodeOf, type CliIo } from './program.js';

/** Helpers every verb module uses: verb groups, running a verb, reading CSV files, writing output files, paging, tables, language. */

/** Finds the verb group another module may already have created (e.g. `accounts request`), or makes it. */
export const subcommand = (program: Command, name: string, description: string): Command =>
  program.commands.find((c) => c.name() === name) ?? program.command(name).description(description);

/** Runs a verb's action, printing a failure and setting the exit code once (see exitCodeOf). */
export async function runVerb(io: CliIo, action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (error) {
    // One line per io.err call, so that a problem's issues read (and are captured) one by one.
    for (const line of describeError(error).split('\n')) io.err(line);
    process.exitCode = exitCodeOf(error);
  }
}

/**
 * Japanese spreadsheets are often saved as Shift_JIS; read UTF-8 when the bytes are UTF-8, else
 * Shift_JIS, and say so, rather than importing mojibake names.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'shift_jis' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('shift_jis').decode(bytes), encoding: 'shift_jis' };
  }
}

const READ_FAILURES: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder, not a file',
};
const WRITE_FAILURES: Record<string, string> = { ...READ_FAILURES, ENOENT: 'no such folder' };

/** The reason a file operation failed, in words for the common codes. */
function failureReason(error: unknown, reasons: Record<string, string>): string {
  const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
  return (code === undefined ? undefined : reasons[code]) ?? (error instanceof Error ? error.message : String(error));
}

/**
 * Reads a CSV file the user named, as text (see decodeCsv). A file that cannot be read is the user's
 * input being wrong, not the program failing: it is a UsageError (exit 2) that names the file.
 */
export async function readCsvFile(file: string, io: CliIo): Promise<string> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new UsageError(`cannot read ${file}: ${failureReason(error, READ_FAILURES)}`, { cause: error });
  }
  const { text, encoding } = decodeCsv(bytes);
  if (encoding === 'shift_jis') io.err(`${file} is not UTF-8; read it as Shift_JIS`);
  return text;
}

/** Writes a file the user named (`--output`); one that cannot be written is a UsageError (exit 2) that names it. */
export async function writeTextFile(file: string, text: string): Promise<void> {
  try {
    await writeFile(file, text, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot write ${file}: ${failureReason(error, WRITE_FAILURES)}`, { cause: error });
  }
}

/** commander argParser: a whole number ≥ 1. Refused values exit 2 (invalid input), like every usage error we raise. */
export function positiveInteger(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1 || !Number.isSafeInteger(Number(value))) {
    const error = new InvalidArgumentError('must be a positive whole number.');
    error.exitCode = 2;
    throw error;
  }
  return Number(value);
}

export const queryString = (params: Record<string, string | undefined>): string => {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined && value !== '') search.set(key, value);
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
};

/** Fetches one page, or every page when `all` is set (following nextCursor). */
export async function fetchPages<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; nextCursor?: string | undefined }>,
  options: { cursor?: string | undefined; all: boolean },
): Promise<{ items: T[]; nextCursor?: string | undefined }> {
  let page = await fetchPage(options.cursor);
  if (!options.all) return page;
  const items = [...page.items];
  while (page.nextCursor !== undefined) {
    page = await fetchPage(page.nextCursor);
    items.push(...page.items);
  }
  return { items };
}

export type Lang = 'ja' | 'en';
/** Labels come from the API in both languages (`statusLabel`, `kindLabel`); `--lang` picks one, Japanese by default. */
export const langOption = () => new Option('--lang <lang>', 'language of labels and names').choices(['ja', 'en']).default('ja');

// Wide (East Asian) characters take two terminal columns; tables of Japanese names must count them so.
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u;
export const displayWidth = (text: string): number => [...text].reduce((width, ch) => width + (WIDE.test(ch) ? 2 : 1), 0);

/** A plain table: a header, columns padded to their widest cell (by display width). */
export function formatTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(displayWidth(h), ...rows.map((r) => displayWidth(r[i] ?? ''))));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - displayWidth(cell))))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
