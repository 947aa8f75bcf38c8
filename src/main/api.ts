import { createApi } from '../api/app.js';
import { registryRoutes } from '../api/routes/registry.js';
import { requestRoutes } from '../api/routes/requests.js';
import { controlRoutes } from '../api/routes/controls.js';
import { postureRoutes } from '../api/routes/posture.js';
import { guardrailRoutes } from '../api/routes/guardrails.js';
import type { Container } from './container.js';

export const API_VERSION = '0.1.0';

/** The HTTP API with every route module wired to this process's use cases. */
export const buildApi = (c: Container) => createApi([registryRoutes(c.registryDeps), requestRoutes(c.requestDeps), controlRoutes(c.catalog), postureRoutes(c.postureDeps), guardrailRoutes(c.guardrailDeps)], { version: API_VERSION });
