// Types of the `geniza/vite` entry (index.js), which loads plugin.ts at run time.
export { default, default as geniza, normalizeBase } from './plugin.ts';
export type { GenizaViteOptions, PwaOptions } from './plugin.ts';
