/**
 * Vite config of the demo site (index.html at the repo root, bundle in public/bundle/, output in dist/).
 * Settings measured in STACK-NOTES: relative base (works from any folder), onnxruntime-web kept out of dep
 * pre-bundling (its wasm is found via import.meta.url), ES module workers, and COOP/COEP headers so the page
 * is cross-origin isolated (multi-threaded wasm) under `vite` and `vite preview`. The geniza plugin (geniza/vite)
 * adds the offline PWA: a service worker (dist/sw.js) that precaches the site and caches the bundle in
 * public/bundle/ by version; the demo registers it once its search index is ready (src/ui/demo.tsx).
 */
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';
import geniza from 'geniza/vite';

/** Headers that make the page cross-origin isolated. */
export const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  base: './',
  plugins: [preact(), geniza({ pwa: { bundles: ['bundle/'], register: 'manual' } })],
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: { format: 'es' },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  build: { outDir: 'dist', target: 'es2022', chunkSizeWarningLimit: 1024 },
});
