import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** Hatoba's version as package.json gives it: what scan reports and the OSCAL export state. */
export const packageVersion = (): string | undefined =>
  z.object({ version: z.string() }).safeParse(JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))).data?.version;
