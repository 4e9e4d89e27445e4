/**
 * Vite config of the standalone `<geniza-search>` build: `dist/widget/geniza-search.js`, one ES module to load
 * with `<script type="module" src=".../geniza-search.js">` on any page. Its worker and onnxruntime's wasm are
 * emitted beside it under dist/widget/assets/ and found relative to the script (`new URL(..., import.meta.url)`,
 * relative base), so the folder can be copied anywhere.
 *   npx vite build --config vite.widget.config.ts
 */
import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

export default defineConfig({
  base: './',
  publicDir: false,
  plugins: [preact()],
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: { format: 'es' },
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1024,
    rollupOptions: {
      input: { 'geniza-search': 'src/element/index.ts' },
      preserveEntrySignatures: 'exports-only',
      output: { entryFileNames: '[name].js', chunkFileNames: 'assets/[name]-[hash].js', assetFileNames: 'assets/[name]-[hash][extname]' },
    },
  },
});
