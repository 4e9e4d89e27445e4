/** The version of geniza, read from package.json. */
import { readFileSync } from 'node:fs';

let cached: string | undefined;

/** Version string from package.json, e.g. `0.1.0`. */
export function genizaVersion(): string {
  cached ??= (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  return cached;
}
