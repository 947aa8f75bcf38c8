/**
 * Where the keys of a JSON document's top-level `Resources` object start, in document order, found
 * by one pass over the text, so a JSON template parsed with JSON.parse still gives each resource its
 * line. The text must already be valid JSON (JSON.parse accepted it): the pass only tells strings
 * from structure. It also refuses a document with a repeated key in any object (JSON.parse would keep
 * the last silently), so that the caller can fall back to the YAML reader, which reports it with
 * line and column.
 */
export type KeyOffset = { key: string; offset: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

type Frame = { object: boolean; keys: Set<string> | undefined; resources: boolean };

/** The keys of the top-level `Resources` object, or undefined when some object repeats a key (or there is no such object). */
export function resourceKeyOffsets(text: string): KeyOffset[] | undefined {
  const stack: Frame[] = [];
  let frame: Frame | undefined;
  let expectKey = false;
  // The top-level key just read was "Resources": the object that opens next is the one we want.
  let resourcesNext = false;
  let found: KeyOffset[] | undefined;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      const start = i;
      for (;;) {
        i = text.indexOf('"', i + 1);
        if (i < 0) return undefined;
        let backslashes = 0;
        for (let j = i - 1; text.charCodeAt(j) === BACKSLASH; j -= 1) backslashes += 1;
        if (backslashes % 2 === 0) break;
      }
      if (!expectKey || frame === undefined) continue;
      expectKey = false;
      const raw = text.slice(start, i + 1);
      const key = raw.includes('\\') ? decode(raw) : raw.slice(1, -1);
      if (key === undefined) return undefined;
      const keys = (frame.keys ??= new Set());
      if (keys.has(key)) return undefined;
      keys.add(key);
      if (frame.resources) found?.push({ key, offset: start });
      resourcesNext = stack.length === 0 && key === 'Resources';
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (frame !== undefined) stack.push(frame);
      const resources = c === OPEN_OBJECT && resourcesNext;
      if (resources) found = [];
      frame = { object: c === OPEN_OBJECT, keys: undefined, resources };
      expectKey = frame.object;
      resourcesNext = false;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      frame = stack.pop();
      expectKey = false;
      resourcesNext = false;
    } else if (c === COMMA) {
      expectKey = frame?.object ?? false;
      resourcesNext = false;
    }
  }
  return found;
}

function decode(raw: string): string | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The 1-based line of each offset, for offsets in ascending order, in one pass. */
export function linesOf(text: string, offsets: readonly number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let at = 0;
  for (const offset of offsets) {
    for (let nl = text.indexOf('\n', at); nl >= 0 && nl < offset; nl = text.indexOf('\n', nl + 1)) {
      line += 1;
      at = nl + 1;
    }
    lines.push(line);
  }
  return lines;
}
