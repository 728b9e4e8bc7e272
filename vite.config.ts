import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  // The embed must load inside <iframe sandbox="allow-scripts">, whose origin is "null": its module
  // scripts are CORS requests, so static assets are served with Access-Control-Allow-Origin: *.
  preview: { cors: true },
  build: {
    target: 'es2022',
    rollupOptions: {
      input: {
        main: resolve(import.meta.dirname, 'index.html'),
        embed: resolve(import.meta.dirname, 'embed.html'),
      },
    },
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    setupFiles: ['src/engine/testing/vitest.setup.ts'],
    testTimeout: 30_000,
  },
});
