import { DomainError } from '../domain/errors.js';
import { folderOf } from '../guardrails/catalog/loader.js';
import { describeError } from './program.js';

/** A path inside a file as one writes it in JSON or YAML: `mappings[0].source`. */
export const pathText = (path: readonly (string | number)[]): string =>
  path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

/**
 * Where an issue is. The catalog loader puts the file first (`…/catalog/mappings/m.json`): the file,
 * then the path inside it, so the file name is not run together with the path. Anything else (the
 * configuration's `env.PORT`) as a dotted path.
 */
export function issueLocation(path: readonly (string | number)[]): string {
  const [first, ...rest] = path;
  if (typeof first === 'string' && folderOf(first) !== undefined) return rest.length === 0 ? first : `${first}: ${pathText(rest)}`;
  return path.join('.');
}

/** Why the process cannot start (the configuration, the controls catalog): the message, then every issue on its own line. */
export function describeStartupError(error: unknown): string {
  if (error instanceof DomainError) return [error.message, ...error.issues.map((i) => `  ${issueLocation(i.path)}: ${i.message}`)].join('\n');
  return describeError(error);
}
