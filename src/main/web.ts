import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MiddlewareHandler, Next } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';

/** Where `npm run build:web` (vite build web) puts the portal. */
export const PORTAL_DIST = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Paths the server answers itself: the API, the sign-in flow, the bundled identity provider. */
const SERVER_PATHS = /^\/(?:api|auth|idp)(?:\/|$)/;

/**
 * The portal's content security policy: scripts, styles and calls from this origin only (Vite emits
 * no inline script, React sets no inline style), no framing, no plugins, forms only to this origin.
 */
export const PORTAL_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

const portalHeaders: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('Content-Security-Policy', PORTAL_CSP);
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('X-Frame-Options', 'DENY');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('Cross-Origin-Opener-Policy', 'same-origin');
};

/** Any Hono app (the API's OpenAPIHono included). */
export type PortalHost = { use: (path: string, handler: MiddlewareHandler) => unknown };

const NOT_BUILT = 'ポータルがビルドされていません。`npm run build:web` を実行してください。\nThe portal is not built: run `npm run build:web`.\n';

/**
 * Serves the built portal at `/`: its files, and `index.html` for every other GET outside /api,
 * /auth and /idp (the portal routes in the browser). Hashed assets are cached for good, the page
 * never. Mount it after the API, on the same app; paths it does not serve fall through to the app.
 */
export function mountPortal(app: PortalHost, options: { dir?: string } = {}): void {
  const dir = options.dir ?? PORTAL_DIST;
  const built = existsSync(join(dir, 'index.html'));
  const files = serveStatic({ root: dir });
  const page = serveStatic({ root: dir, path: 'index.html' });
  const fellThrough: Next = async () => undefined;
  const cached = (res: Response, forGood: boolean): Response => {
    res.headers.set('Cache-Control', forGood ? 'public, max-age=31536000, immutable' : 'no-cache');
    return res;
  };

  app.use('*', async (c, next) => {
    if (SERVER_PATHS.test(c.req.path) || (c.req.method !== 'GET' && c.req.method !== 'HEAD')) return next();
    return portalHeaders(c, async () => {
      if (!built) {
        c.res = c.text(NOT_BUILT, 503);
        return;
      }
      const file = await files(c, fellThrough);
      if (file !== undefined) {
        c.res = cached(file, c.req.path.startsWith('/assets/'));
        return;
      }
      // A missing asset is a 404, not the page: a browser would otherwise run HTML as a script.
      if (c.req.path.startsWith('/assets/') || /\.[a-z0-9]+$/i.test(c.req.path)) {
        c.res = c.text('not found', 404);
        return;
      }
      const index = await page(c, fellThrough);
      c.res = index === undefined ? c.text('not found', 404) : cached(index, false);
    });
  });
}
