/** Path patterns such as `/accounts/:id`: literal segments, and `:name` for one segment (decoded). */
export type Params = Record<string, string>;

export function matchPath(pattern: string, path: string): Params | undefined {
  const want = segments(pattern);
  const have = segments(path);
  if (want.length !== have.length) return undefined;
  const params: Params = {};
  for (const [i, part] of want.entries()) {
    const actual = have[i];
    if (actual === undefined) return undefined;
    if (part.startsWith(':')) {
      const value = decode(actual);
      if (value === undefined || value === '') return undefined;
      params[part.slice(1)] = value;
    } else if (part !== actual) {
      return undefined;
    }
  }
  return params;
}

const segments = (path: string): string[] => path.split('/').filter((s) => s !== '');

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Only same-site paths: `returnTo` and links must never lead to another origin. */
export const isLocalPath = (to: string): boolean => to.startsWith('/') && !to.startsWith('//') && !to.startsWith('/\\');
