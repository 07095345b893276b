/**
 * Vite build of the Firebreak web app. The app talks to the server only over HTTP, so
 * the dev server proxies `/api` to a Firebreak server on 127.0.0.1:8080.
 *
 * The app shares the server's domain TYPES (`import type` from `../src/...`) but never its
 * code: the `types-only-from-server` plugin fails the build if a runtime import reaches
 * into the server's source tree.
 */
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const serverSource = fileURLToPath(new URL('../src/', import.meta.url));

function typesOnlyFromServer(): Plugin {
  return {
    name: 'firebreak-types-only-from-server',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || importer.startsWith(serverSource)) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      if (resolved && resolved.id.startsWith(serverSource)) {
        this.error(`${importer} imports server code at run time (${source}); share types with \`import type\` only`);
      }
      return resolved;
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [typesOnlyFromServer(), react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
    chunkSizeWarningLimit: 600,
  },
  server: {
    host: '127.0.0.1',
    proxy: { '/api': { target: 'http://127.0.0.1:8080', changeOrigin: false } },
  },
});
