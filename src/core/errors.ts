/** Stable error codes: they cross the worker boundary and CLI output unchanged. */
export type GenizaErrorCode =
  | 'EMPTY_CORPUS'
  | 'UNREADABLE_FILE'
  | 'BAD_INPUT'
  | 'DUPLICATE_ID'
  | 'EMPTY_DOCUMENT'
  | 'BAD_OPTION'
  | 'BAD_BUNDLE'
  | 'BUNDLE_VERSION'
  | 'HASH_MISMATCH'
  | 'NETWORK'
  | 'NOT_LOADED'
  | 'MODEL'
  | 'INTERNAL';

/** An error a user can act on: a stable `code` and a one-line message naming what was wrong. */
export class GenizaError extends Error {
  readonly code: GenizaErrorCode;
  constructor(code: GenizaErrorCode, message: string) {
    super(message);
    this.name = 'GenizaError';
    this.code = code;
  }
}

/** True for a GenizaError, also one rebuilt from `{ name, code, message }` after crossing a worker boundary. */
export function isGenizaError(e: unknown): e is GenizaError {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'GenizaError'
    && typeof (e as { code?: unknown }).code === 'string';
}
