import { z } from 'zod';

/**
 * OU paths name an organizational unit by its names from the root: `/Workloads/Prod/LocalGov`.
 * AWS allows OUs five levels deep under the root, names of 1–128 characters; `/` separates levels
 * here, so it cannot appear inside a name.
 */
export const MAX_OU_DEPTH = 5;

export function ouPathProblem(path: string): string | undefined {
  if (!path.startsWith('/')) return 'must start with / (e.g. /Workloads/Prod)';
  if (path === '/') return 'must name at least one OU below the root';
  if (path.endsWith('/')) return 'must not end with /';
  const names = path.slice(1).split('/');
  if (names.length > MAX_OU_DEPTH) return `at most ${MAX_OU_DEPTH} levels below the root (the provider limit)`;
  for (const name of names) {
    if (name.length === 0) return 'must not contain empty names (//)';
    if (name.length > 128) return 'each OU name has at most 128 characters';
    if (name.trim() !== name) return 'OU names must not start or end with spaces';
  }
  return undefined;
}

export const OuPath = z.string().superRefine((path, ctx) => {
  const problem = ouPathProblem(path);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
});

/** The OU names from the root down; [] for the root itself. */
export const ouPathNames = (path: string): string[] => (path === '/' ? [] : path.slice(1).split('/'));
