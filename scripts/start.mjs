#!/usr/bin/env node
// `npm start`: builds the demo (bundle of docs/*.md if missing or stale, then the site into dist/) and serves
// dist/ with `vite preview` (COOP/COEP headers on, see vite.config.ts). PORT=xxxx picks the port (default 4173).
import { preview } from 'vite';
import { prepare } from './e2e-prepare.mjs';

try {
  prepare();
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
}

const port = Number(process.env.PORT) || 4173;
const server = await preview({ preview: { port, strictPort: false, open: false }, logLevel: 'warn' });
const urls = server.resolvedUrls?.local ?? [`http://localhost:${port}/`];
console.log('');
console.log('  geniza demo: search geniza\'s own documentation in the page');
console.log(`  open ${urls[0]}   (Ctrl+C to stop)`);
console.log('');
const stop = () => { void server.close().then(() => process.exit(0)); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
