import type { OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { matchedRoutes } from 'hono/route';
import { Problem } from '../contracts/common.js';

/**
 * Every request body is read whole into memory, so every one has a size limit, set here and only here:
 * a command (a JSON body naming what to do) gets 64 KiB, an upload (a CSV file, a JSON batch, a whole
 * rule set) 5 MiB. `bodyLimits` applies to the whole API; a route is an upload by declaring `uploadLimit()`.
 */
export const MAX_JSON_BYTES = 64 * 1024;
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

const tooLarge = (size: string, en: string, ja: string): Problem => ({
  code: 'body_too_large',
  message: `リクエスト本文が ${size} を超えています。${ja} / the request body is larger than ${size}; ${en}`,
  issues: [],
});
const commandTooLarge = tooLarge('64 KiB', 'send less', '内容を減らしてください');
const uploadTooLarge = tooLarge('5 MiB', 'split the file', 'ファイルを分割してください');

// Hono's bodyLimit buffers what it reads: the limit must be checked once, by the outermost middleware.
const commandLimit = bodyLimit({ maxSize: MAX_JSON_BYTES, onError: (c) => c.json(commandTooLarge, 413) });
const uploadsLimit = bodyLimit({ maxSize: MAX_UPLOAD_BYTES, onError: (c) => c.json(uploadTooLarge, 413) });

/** Marks its route as an upload; `bodyLimits` recognises it among the handlers matched for a request. */
const upload: MiddlewareHandler = async (_c, next) => next();

/** Route middleware: the route takes uploads of up to 5 MiB instead of 64 KiB. */
export const uploadLimit = (): MiddlewareHandler => upload;

/** The OpenAPI response of a route that has `uploadLimit`. */
export const tooLargeResponse = { description: 'The body is larger than 5 MiB', content: { 'application/json': { schema: Problem } } };
const commandTooLargeResponse = { description: 'The body is larger than 64 KiB', content: { 'application/json': { schema: Problem } } };

/** App middleware, registered before the routes: 413 with a Problem, like every other refusal, instead of Hono's plain-text default. */
export const bodyLimits: MiddlewareHandler = async (c, next) =>
  (matchedRoutes(c).some((route) => route.handler === upload) ? uploadsLimit : commandLimit)(c, next);

/** Documents the 413 on every route with a body that does not document its own (call after registering the routes). */
export function documentBodyLimits(app: OpenAPIHono): void {
  for (const definition of app.openAPIRegistry.definitions) {
    if (definition.type !== 'route' || definition.route.request?.body === undefined) continue;
    // A copy: route modules may share one responses object between routes.
    definition.route = { ...definition.route, responses: { 413: commandTooLargeResponse, ...definition.route.responses } };
  }
}
