// Builds what the benchmark loads into temp folders (the app's dist/ is left alone, since others
// may be serving it) and serves each with `vite preview`: the app with its own config (COOP/COEP
// and CSP headers), the DuckDB-WASM page with a bare config.
import path from 'node:path';
import { build, preview } from 'vite';

/**
 * @param {{ root: string, outDir: string, configFile?: string | false, minify?: boolean, sourcemap?: boolean }} opts
 */
export async function buildInto({ root, outDir, configFile, minify = true, sourcemap = false }) {
  await build({
    root,
    configFile,
    logLevel: 'error',
    build: { outDir, emptyOutDir: true, minify, sourcemap, ...(configFile === false ? { target: 'es2022', chunkSizeWarningLimit: 65536 } : {}) },
  });
}

/**
 * Serves a built folder on 127.0.0.1 (an OS-chosen port). Returns { url, close }.
 * @param {{ root: string, outDir: string, configFile?: string | false }} opts
 */
export async function serve({ root, outDir, configFile }) {
  const server = await preview({
    root,
    configFile,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const addr = server.httpServer.address();
  if (!addr || typeof addr !== 'object') throw new Error('preview server has no address');
  return {
    url: `http://127.0.0.1:${addr.port}`,
    close: () => new Promise((resolve) => server.httpServer.close(() => resolve(undefined))),
  };
}

/** Absolute path of a folder next to this file's parent (bench/…). */
export function benchPath(...parts) {
  return path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', ...parts);
}
