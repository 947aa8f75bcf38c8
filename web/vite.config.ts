import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import tailwindcss from '@tailwindcss/vite';

/** During `vite` (dev), the API, the sign-in flow and the bundled provider are the server's: proxy them. */
const server = 'http://127.0.0.1:8080';

export const config = defineConfig({
  plugins: [react(), tailwindcss()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false },
  server: { proxy: { '/api': server, '/auth': server, '/idp': server } },
});

// Vite reads a config file's default export; the only one in the portal.
// eslint-disable-next-line no-restricted-syntax
export default config;
