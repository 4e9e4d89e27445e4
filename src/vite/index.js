// `geniza/vite` for plain Node: a consumer's vite.config runs without TypeScript support for node_modules, so
// this entry loads the plugin's TypeScript through tsx (scoped to geniza's own modules) and re-exports it.
import { tsImport } from 'tsx/esm/api';

const mod = await tsImport('./plugin.ts', import.meta.url);

/** The Vite plugin (see plugin.ts). */
export const geniza = mod.default;
/** `base` as a relative folder path ending in `/`. */
export const normalizeBase = mod.normalizeBase;
export default geniza;
