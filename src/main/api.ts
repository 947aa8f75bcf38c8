import { createApi, type ApiAccess, type RouteModule } from '../api/app.js';
import { registryRoutes } from '../api/routes/registry.js';
import { requestRoutes } from '../api/routes/requests.js';
import { controlRoutes } from '../api/routes/controls.js';
import { postureRoutes } from '../api/routes/posture.js';
import { guardrailRoutes } from '../api/routes/guardrails.js';
import { auditRoutes } from '../api/routes/audit.js';
import { breakGlassRoutes } from '../api/routes/break-glass.js';
import { peopleRoutes } from '../api/routes/people.js';
import type { Catalog } from '../guardrails/catalog/catalog.js';
import type { OscalExportOptions } from '../guardrails/oscal/types.js';
import { catalogModifiedAt } from './catalog.js';
import type { Container } from './container.js';
import { packageVersion } from './package-version.js';

export const API_VERSION = '0.1.0';

/**
 * The OSCAL export's version and last-modified time: Hatoba's version, and when the newest catalog
 * file was last changed (recorded when the catalog was read). Both stay the same while the files
 * do, so the same catalog exports to the same bytes (the documents' UUIDs hash their content, this
 * time included), across requests, restarts and processes. A catalog not read from files (tests)
 * gets the epoch, fixed for the same reason.
 */
export function oscalExportOptions(catalog: Catalog): OscalExportOptions {
  const modified = catalogModifiedAt(catalog) ?? new Date(0);
  return { version: packageVersion() ?? API_VERSION, lastModified: modified.toISOString().replace(/\.000Z$/, 'Z') };
}

/** The HTTP API with every route module wired to this process's use cases; `access` from src/main/identity.ts (tests: src/api/testing.ts). */
export const buildApi = (c: Container, access: Exclude<ApiAccess, 'unrestricted'>, identityModules: RouteModule[] = []) =>
  createApi(
    [registryRoutes(c.registryDeps), requestRoutes(c.requestDeps), controlRoutes(c.catalog, oscalExportOptions(c.catalog)), postureRoutes(c.postureDeps), guardrailRoutes(c.guardrailDeps), auditRoutes(c.auditLog), breakGlassRoutes(c.breakGlassDeps), peopleRoutes(c.peopleDeps), ...identityModules],
    { version: API_VERSION, audit: c.auditLog, access },
  );
