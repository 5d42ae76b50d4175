import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/**
 * Where `npm run dev` sends `/api`: the local server started with `npm start` or
 * `tsx server/main.ts` (`BEDROCK_PLAYGROUND_API` names another). Open the page with the token that
 * server printed (`http://localhost:5173/?token=…`): the proxy passes the cookies it sets.
 */
const API_TARGET = new URL(process.env.BEDROCK_PLAYGROUND_API ?? 'http://127.0.0.1:8790').origin;

export default defineConfig({
  resolve: {
    alias: [
      // Monaco's language modes start their workers through a module that also imports every
      // editor feature; src/monaco-workers.ts does the same without them (see there).
      {
        find: /^(?:\.\.\/)+internal\/common\/workers\.js$/,
        replacement: fileURLToPath(new URL('./src/monaco-workers.ts', import.meta.url)),
      },
    ],
  },
  server: {
    proxy: {
      '/api': {
        target: API_TARGET,
        changeOrigin: true,
        configure(proxy) {
          // The server rejects cross-origin requests; the page's origin is Vite's, so present the
          // request as the server's own.
          proxy.on('proxyReq', (proxyReq) => {
            if (proxyReq.getHeader('origin') !== undefined)
              proxyReq.setHeader('origin', API_TARGET);
          });
        },
      },
    },
  },
  worker: { format: 'es' },
  build: {
    outDir: 'dist',
    target: 'es2022',
    // Monaco is one large chunk, loaded lazily after the first paint.
    chunkSizeWarningLimit: 4096,
  },
});
