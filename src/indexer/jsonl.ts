/** JSON Lines reading shared by the corpus reader (ingest) and the evaluation collection reader. */
import { GenizaError } from '../core/errors.ts';

/**
 * Parses JSON lines, calling `each(object, where)` with `where` = `file:line`; blank lines and a leading BOM are
 * skipped. A line that is not valid JSON or not an object throws GenizaError('BAD_INPUT') naming file:line;
 * `expected` describes the object in that message (default `a JSON object`).
 */
export function eachJsonLine(
  content: string,
  file: string,
  each: (o: Record<string, unknown>, where: string) => void,
  expected = 'a JSON object',
): void {
  const lines = content.replace(/^\ufeff/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const where = `${file}:${i + 1}`;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      throw new GenizaError('BAD_INPUT', `${where}: invalid JSON (${(e as Error).message})`);
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new GenizaError('BAD_INPUT', `${where}: expected ${expected}`);
    each(v as Record<string, unknown>, where);
  }
}
