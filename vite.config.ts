import { defineConfig } from 'vitest/config';
import type { Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

/**
 * tfjs-wasm starts its pthreads from `Function.prototype.toString()` of the emscripten factory,
 * wrapped in a Blob. After minification that text refers to renamed outer variables
 * (ReferenceError in the thread, init hangs), and a blob: script is refused by our CSP anyway.
 * So hand the thread bootstrap the untouched emscripten file, served by the app as an asset
 * (an absolute URL: the pthread worker itself runs from a blob: URL). Worker bundles only see
 * `worker.plugins`. Fails the build if tfjs changes shape, rather than ship a hang.
 */
function tfjsWasmThreadsFix(): Plugin {
  const pattern =
    /new Blob\(\[`var WasmBackendModuleThreadedSimd = ` \+\s*wasmFactoryThreadedSimd\.toString\(\)\], \{ type: 'text\/javascript' \}\)/;
  return {
    name: 'shoplens:tfjs-wasm-threads',
    apply: 'build',
    transform(code, id) {
      if (!/tfjs-backend-wasm[\\/]dist[\\/]/.test(id) || !code.includes('wasmFactoryThreadedSimd.toString()')) return null;
      if (!pattern.test(code)) throw new Error(`tfjs-wasm threads fix: bootstrap pattern not found in ${id}`);
      const asset = "import __threadedSimdJs from '@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.js?url';\n";
      return { code: asset + code.replace(pattern, 'new URL(__threadedSimdJs, self.location.href).href'), map: null };
    },
  };
}

// Cross-origin isolation lets tfjs-wasm use threads; the CSP keeps every byte on this origin.
// Static hosts must send the same headers (see README, "Hosting").
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const securityHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

export default defineConfig({
  plugins: [svelte()],
  server: { headers: securityHeaders },
  preview: { headers: securityHeaders },
  worker: { format: 'es', plugins: () => [tfjsWasmThreadsFix()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  test: {
    include: ['tests/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'forks',
  },
});
