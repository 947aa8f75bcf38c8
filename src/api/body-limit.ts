import { bodyLimit } from 'hono/body-limit';
import { Problem } from '../contracts/common.js';

/** Uploads (CSV files, JSON batches) are read whole into memory: refuse a large one before reading it all. */
export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

const tooLarge: Problem = {
  code: 'body_too_large',
  message: `the request body is larger than ${MAX_UPLOAD_BYTES} bytes (5 MiB); split the file`,
  issues: [],
};

/** Route middleware: 413 with a Problem, like every other refusal, instead of Hono's plain-text default. */
export const uploadLimit = () => bodyLimit({ maxSize: MAX_UPLOAD_BYTES, onError: (c) => c.json(tooLarge, 413) });

/** The OpenAPI response of a route that has `uploadLimit`. */
export const tooLargeResponse = { description: 'The body is larger than 5 MiB', content: { 'application/json': { schema: Problem } } };
