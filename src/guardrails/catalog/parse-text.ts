import { parseDocument } from 'yaml';
import type { Issue } from '../../domain/errors.js';

/**
 * Reads a catalog file's text as YAML or JSON (by its name). A syntax error is reported at the file
 * with its line and column, which neither `JSON.parse` (V8 often gives no position) nor a bare
 * exception message would tell the author.
 */
export function parseText(path: string, raw: string): { data: unknown } | { issues: Issue[] } {
  // Editors on Windows save UTF-8 with a byte-order mark, which JSON.parse refuses.
  const text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  return /\.json$/i.test(path) ? parseJson(path, text) : parseYaml(path, text);
}

function parseYaml(path: string, text: string): { data: unknown } | { issues: Issue[] } {
  const document = parseDocument(text);
  if (document.errors.length === 0) return { data: document.toJS({ maxAliasCount: 100 }) };
  return {
    issues: document.errors.map((error) => {
      const at = error.linePos?.[0];
      const reason = (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
      return { path: [path], message: `${at === undefined ? '' : `line ${at.line}, column ${at.col}: `}${reason}` };
    }),
  };
}

function parseJson(path: string, text: string): { data: unknown } | { issues: Issue[] } {
  try {
    const data: unknown = JSON.parse(text);
    return { data };
  } catch (error) {
    const offset = jsonErrorOffset(text);
    const { line, col } = lineAndColumn(text, offset);
    const reason = error instanceof Error ? error.message.replace(/ in JSON at position \d+.*$/s, '').replace(/, ".*" is not valid JSON$/s, '') : String(error);
    return { issues: [{ path: [path], message: `line ${line}, column ${col}: ${reason}` }] };
  }
}

function lineAndColumn(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, col: offset - before.lastIndexOf('\n') };
}

/**
 * The offset of the first syntax error in a JSON text (called only after JSON.parse failed): a small
 * recursive-descent scan of the JSON grammar that stops at the first character it cannot accept.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text.charAt(i))) i++;
  };
  const fail = (): never => {
    throw new RangeError(String(i));
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail();
  };
  const string = () => {
    i++;
    while (i < text.length) {
      const ch = text.charAt(i);
      if (ch === '"') return void i++;
      if (ch < ' ') fail();
      if (ch === '\\') {
        const next = text.charAt(i + 1);
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail();
          i += 6;
        } else if ('"\\/bfnrt'.includes(next) && next !== '') i += 2;
        else fail();
      } else i++;
    }
    fail();
  };
  const num = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (match === null) fail();
    else i += match[0].length;
  };
  const value = (): void => {
    ws();
    const ch = text.charAt(i);
    if (ch === '{') return members('}', () => {
      ws();
      if (text.charAt(i) !== '"') fail();
      string();
      ws();
      if (text.charAt(i) !== ':') fail();
      i++;
      value();
    });
    if (ch === '[') return members(']', value);
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    return num();
  };
  const members = (close: string, item: () => void) => {
    i++;
    ws();
    if (text.charAt(i) === close) return void i++;
    for (;;) {
      item();
      ws();
      const ch = text.charAt(i);
      if (ch === close) return void i++;
      if (ch !== ',') fail();
      i++;
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
    return Math.min(i, text.length);
  } catch (error) {
    if (error instanceof RangeError) return Number(error.message);
    throw error;
  }
}
