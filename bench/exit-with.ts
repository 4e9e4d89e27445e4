/** Runs a benchmark's `main` and exits with its code; a GenizaError prints as one `error:` line, exit 2. */
import { isGenizaError } from '../src/core/errors.ts';

/** Exits with the code `main` resolves to, or 2 after printing why it failed. */
export function exitWith(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(isGenizaError(e) ? `error: ${e.message}` : e);
      process.exit(2);
    },
  );
}
