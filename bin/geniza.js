#!/usr/bin/env node
// The geniza command: registers tsx (TypeScript on the fly) and runs src/indexer/cli.ts.
import { register } from 'tsx/esm/api';

register();
try {
  const { main } = await import('../src/indexer/cli.ts');
  process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
} catch (e) {
  // Only reached when the CLI itself cannot load (main() prints its own errors).
  process.stderr.write(`geniza: cannot start: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
  process.exitCode = 1;
}
