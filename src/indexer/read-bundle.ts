/** Reads a bundle folder from disk (Node) and verifies it: manifest valid, every file present, sizes and SHA-256 match. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GenizaError } from '../core/errors.ts';
import { validateManifest } from '../core/manifest.ts';
import type { BundleFileName } from '../core/types.ts';
import type { BundleFiles } from '../../workers/engine.ts';
import { MANIFEST_FILE, sha256Hex } from './bundle.ts';

export type { BundleFiles };

async function readBytes(path: string, shown: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder' : (e as Error).message;
    throw new GenizaError('BAD_BUNDLE', `bundle: cannot read ${shown}: ${why}`);
  }
}

/**
 * Reads and verifies the bundle in `dir`. Throws GenizaError('BAD_BUNDLE') for a missing or malformed file,
 * 'BUNDLE_VERSION' for an unknown format version, 'HASH_MISMATCH' when a file's size or SHA-256 differs.
 * @example const files = await readBundle('public/bundle'); const engine = await SearchEngine.create(ort, files);
 */
export async function readBundle(dir: string): Promise<BundleFiles> {
  const manifestPath = join(dir, MANIFEST_FILE);
  const raw = await readBytes(manifestPath, manifestPath);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(raw));
  } catch (e) {
    throw new GenizaError('BAD_BUNDLE', `bundle: ${manifestPath} is not valid JSON: ${(e as Error).message}`);
  }
  const manifest = validateManifest(json);
  const read = async (name: BundleFileName): Promise<Uint8Array> => {
    const entry = manifest.files[name];
    if (/(^|[\\/])\.\.([\\/]|$)/.test(entry.path) || entry.path.startsWith('/')) {
      throw new GenizaError('BAD_BUNDLE', `bundle: manifest file path ${JSON.stringify(entry.path)} leaves the bundle folder`);
    }
    const path = join(dir, entry.path);
    const bytes = await readBytes(path, path);
    if (bytes.byteLength !== entry.bytes) {
      throw new GenizaError('HASH_MISMATCH', `bundle: ${path} has ${bytes.byteLength} bytes but the manifest says ${entry.bytes}; rebuild with \`geniza build\``);
    }
    const sha = sha256Hex(bytes);
    if (sha !== entry.sha256) {
      throw new GenizaError('HASH_MISMATCH', `bundle: ${path} has SHA-256 ${sha} but the manifest says ${entry.sha256}; rebuild with \`geniza build\``);
    }
    return bytes;
  };
  return {
    manifest,
    encoder: await read('encoder'),
    decoder: await read('decoder'),
    tokenizer: await read('tokenizer'),
    trie: await read('trie'),
    docs: await read('docs'),
  };
}
